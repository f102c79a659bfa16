package schema

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

const maxSchemaSize = MaxSchemaBytes

// Fetch downloads rev from url (when url is empty, from
// $MCPGEN_SCHEMA_URL/PATH if that is set, else from its pinned address),
// checks the pinned sha256, and writes it to dir/rev.Path. The file is
// written to a temporary file and renamed only after the hash matches, so
// a failed or tampered download never leaves a partial or wrong file.
// It returns the path written.
func Fetch(ctx context.Context, client *http.Client, rev Revision, url, dir string) (string, error) {
	url = sourceURL(rev, url)
	if url == "" {
		return "", fmt.Errorf("revision %s has no canonical address", rev.Name)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("cannot download %s from %s: %v (offline? put the file at %s)", rev.Name, url, err, Places(rev))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("cannot download %s from %s: %s", rev.Name, url, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxSchemaSize+1))
	if err != nil {
		return "", fmt.Errorf("cannot download %s from %s: %v", rev.Name, url, err)
	}
	if len(data) > maxSchemaSize {
		return "", fmt.Errorf("%s from %s is larger than %d bytes; refusing it", rev.Name, url, maxSchemaSize)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); !strings.EqualFold(got, rev.SHA256) {
		return "", fmt.Errorf("%s from %s has sha256 %s, not the pinned %s; nothing was written", rev.Name, url, got, rev.SHA256)
	}
	path := filepath.Join(dir, filepath.FromSlash(rev.Path))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".fetch-*.tmp")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", err
	}
	return path, os.Rename(tmp.Name(), path)
}
