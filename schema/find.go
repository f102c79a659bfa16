package schema

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// SchemaURLEnv names the environment variable that replaces the pinned
// addresses: a revision is then downloaded from $MCPGEN_SCHEMA_URL/PATH,
// a server laid out like the schema directory (a mirror, or a test's).
const SchemaURLEnv = "MCPGEN_SCHEMA_URL"

// fetchTimeout bounds one download of a revision.
const fetchTimeout = time.Minute

// ResolveInput turns the -schema argument into a file path. A revision
// name is looked up in the schema directory ($MCPGEN_SCHEMA_DIR), then in
// the cache (CacheDir); when neither has it, it is downloaded from its
// pinned address (or $MCPGEN_SCHEMA_URL), checked against the pinned
// sha256 and stored in the cache. Anything else is a file path, relative
// to the working directory; a word that names neither a revision nor a
// file is refused with the list of revisions. The returned revision is
// the zero value for a path.
func ResolveInput(arg string) (string, Revision, error) {
	rev, ok := LookupRevision(arg)
	if !ok {
		if _, err := os.Stat(arg); err != nil && looksLikeRevision(arg) {
			return "", Revision{}, fmt.Errorf("%s: no such file, and not a revision (known: %s)", arg, strings.Join(RevisionNames(), ", "))
		}
		return arg, Revision{}, nil
	}
	for _, dir := range []string{SchemaDir(), CacheDir()} {
		if dir == "" {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(rev.Path))
		if _, err := os.Stat(path); err == nil {
			return path, rev, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", rev, err
		}
	}
	cache := CacheDir()
	if cache == "" {
		return "", rev, fmt.Errorf("%s is not at %s, and the system has no cache directory to download it into", rev.Name, Places(rev))
	}
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	path, err := Fetch(ctx, http.DefaultClient, rev, "", cache)
	return path, rev, err
}

// looksLikeRevision tells a mistyped revision name (2025-11-26) from a
// file path: a single word with no extension.
func looksLikeRevision(arg string) bool {
	return arg != "" && !strings.ContainsAny(arg, `/\.`)
}

// RevisionNames lists the known revision names, in table order.
func RevisionNames() []string {
	names := make([]string, len(Revisions))
	for i, r := range Revisions {
		names[i] = r.Name
	}
	return names
}

// SchemaDir is $MCPGEN_SCHEMA_DIR, made absolute: a relative value is
// taken from the module root (ModuleRoot), so that it means the same in
// the shell at the root and under go generate, which runs each directive
// in its package's directory. It is "" when the variable is not set.
func SchemaDir() string {
	dir := os.Getenv(SchemaDirEnv)
	if dir == "" || filepath.IsAbs(dir) {
		return dir
	}
	if root, err := ModuleRoot(); err == nil {
		return filepath.Join(root, dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}

// ModuleRoot is the directory of the nearest go.mod at or above the
// working directory, or the working directory itself when there is none.
func ModuleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return wd, nil
		}
		dir = parent
	}
}

// CacheDir is where downloaded revisions are kept, laid out like the
// schema directory: mcpgen/schemas under the user's cache directory
// (os.UserCacheDir). It is "" when the system has none.
func CacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "mcpgen", "schemas")
}

// Places names where rev is looked for before it is downloaded: the file
// under $MCPGEN_SCHEMA_DIR (or that it is not set) and in the cache.
func Places(rev Revision) string {
	env := "$" + SchemaDirEnv + " (not set)"
	if dir := SchemaDir(); dir != "" {
		env = filepath.Join(dir, filepath.FromSlash(rev.Path))
	}
	if cache := CacheDir(); cache != "" {
		return env + " or " + filepath.Join(cache, filepath.FromSlash(rev.Path))
	}
	return env
}

// sourceURL is where rev is downloaded from: url when given, else
// $MCPGEN_SCHEMA_URL/PATH when that is set, else the pinned address.
func sourceURL(rev Revision, url string) string {
	if url != "" {
		return url
	}
	if base := os.Getenv(SchemaURLEnv); base != "" {
		return strings.TrimRight(base, "/") + "/" + rev.Path
	}
	return rev.URL
}
