package schema

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const fakeSchema = `{"$defs": {"A": {"type": "string"}}}`

var fakeRevision = Revision{Name: "test", Path: "core/test/schema.json"}

// pinned returns fakeRevision pinned to the sha256 of fakeSchema.
func pinned(t *testing.T) Revision {
	t.Helper()
	doc, err := Load("fake", []byte(fakeSchema))
	if err != nil {
		t.Fatal(err)
	}
	r := fakeRevision
	r.SHA256 = doc.SHA256
	return r
}

func TestFetchWritesVerifiedFile(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/schema.json" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(fakeSchema))
	}))
	defer srv.Close()
	dir := t.TempDir()
	rev := pinned(t)
	path, err := Fetch(context.Background(), srv.Client(), rev, srv.URL+"/schema.json", dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "core", "test", "schema.json"); path != want {
		t.Errorf("wrote %s, want %s", path, want)
	}
	data, err := os.ReadFile(path)
	if err != nil || string(data) != fakeSchema {
		t.Errorf("file content %q, %v", data, err)
	}
	assertNoTemp(t, filepath.Dir(path))
}

func TestFetchRefusesHashMismatch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(fakeSchema + " "))
	}))
	defer srv.Close()
	dir := t.TempDir()
	rev := pinned(t)
	// An older good copy must survive a tampered download.
	old := filepath.Join(dir, "core", "test", "schema.json")
	os.MkdirAll(filepath.Dir(old), 0o755)
	os.WriteFile(old, []byte(fakeSchema), 0o644)
	_, err := Fetch(context.Background(), srv.Client(), rev, srv.URL, dir)
	if err == nil || !strings.Contains(err.Error(), "not the pinned "+rev.SHA256) || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("got %v", err)
	}
	if data, _ := os.ReadFile(old); string(data) != fakeSchema {
		t.Errorf("the previous file changed: %q", data)
	}
	assertNoTemp(t, filepath.Dir(old))
}

func TestFetchErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			http.NotFound(w, r)
		case "/cut":
			w.Header().Set("Content-Length", "1000")
			w.Write([]byte(`{"$defs"`))
		}
	}))
	dir := t.TempDir()
	rev := pinned(t)
	for _, c := range []struct{ url, want string }{
		{srv.URL + "/missing", "404 Not Found"},
		{srv.URL + "/cut", "cannot download test"},
	} {
		if _, err := Fetch(context.Background(), srv.Client(), rev, c.url, dir); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.url, err, c.want)
		}
	}
	srv.Close()
	// Offline: the server is gone.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	t.Setenv(SchemaDirEnv, "/schemas")
	t.Setenv("XDG_CACHE_HOME", "/cache")
	_, err := Fetch(ctx, &http.Client{}, rev, srv.URL+"/schema.json", dir)
	if err == nil || !strings.Contains(err.Error(), "offline? put the file at /schemas/core/test/schema.json or /cache/mcpgen/schemas/core/test/schema.json)") {
		t.Errorf("offline: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed fetches left %d entries in the directory", len(entries))
	}
}

func TestEveryRevisionHasAnAddress(t *testing.T) {
	for _, r := range Revisions {
		if !strings.HasPrefix(r.URL, "https://") || !strings.HasSuffix(r.URL, "/schema.json") || len(r.SHA256) != 64 {
			t.Errorf("%s: address %q, sha256 %q", r.Name, r.URL, r.SHA256)
		}
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".fetch-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}
