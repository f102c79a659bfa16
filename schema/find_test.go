package schema

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// withRevision puts rev in the table for the test.
func withRevision(t *testing.T, rev Revision) {
	t.Helper()
	saved := Revisions
	Revisions = append(append([]Revision(nil), Revisions...), rev)
	t.Cleanup(func() { Revisions = saved })
}

// TestResolveInputOrder: the schema directory first, then the cache, then
// a download into the cache, checked against the pin; the second lookup
// finds the cached file without the network.
func TestResolveInputOrder(t *testing.T) {
	rev := pinned(t)
	withRevision(t, rev)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != "/base/"+rev.Path {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(fakeSchema))
	}))
	defer srv.Close()
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv(SchemaURLEnv, srv.URL+"/base/")
	schemas := t.TempDir()
	t.Setenv(SchemaDirEnv, schemas)

	path, got, err := ResolveInput(rev.Name)
	want := filepath.Join(cache, "mcpgen", "schemas", "core", "test", "schema.json")
	if err != nil || path != want || got.Name != rev.Name || hits.Load() != 1 {
		t.Fatalf("download: %s, %v, %d requests; want %s after one", path, err, hits.Load(), want)
	}
	if data, err := os.ReadFile(want); err != nil || string(data) != fakeSchema {
		t.Fatalf("cached file: %q, %v", data, err)
	}
	if path, _, err := ResolveInput(rev.Name); err != nil || path != want || hits.Load() != 1 {
		t.Errorf("second lookup: %s, %v, %d requests; want the cache and no request", path, err, hits.Load())
	}
	inDir := filepath.Join(schemas, "core", "test", "schema.json")
	os.MkdirAll(filepath.Dir(inDir), 0o755)
	os.WriteFile(inDir, []byte(fakeSchema), 0o644)
	if path, _, err := ResolveInput(rev.Name); err != nil || path != inDir {
		t.Errorf("with the file in the schema directory: %s, %v; want %s", path, err, inDir)
	}
}

// TestResolveInputOffline: nothing in either place and no server gives
// the download's error, naming both places.
func TestResolveInputOffline(t *testing.T) {
	rev := pinned(t)
	withRevision(t, rev)
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	cache := t.TempDir()
	schemas := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv(SchemaURLEnv, srv.URL)
	t.Setenv(SchemaDirEnv, schemas)
	_, _, err := ResolveInput(rev.Name)
	want := "offline? put the file at " + filepath.Join(schemas, rev.Path) + " or " + filepath.Join(cache, "mcpgen", "schemas", rev.Path) + ")"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "cannot download test from "+srv.URL+"/core/test/schema.json") {
		t.Errorf("offline: %v\nwant it to contain %q", err, want)
	}
	t.Setenv(SchemaDirEnv, "")
	if _, _, err := ResolveInput(rev.Name); err == nil || !strings.Contains(err.Error(), "put the file at $MCPGEN_SCHEMA_DIR (not set) or ") {
		t.Errorf("offline, no schema directory: %v", err)
	}
	if entries, _ := os.ReadDir(cache); len(entries) != 0 {
		t.Errorf("a failed download left %d entries in the cache", len(entries))
	}
}

func TestResolveInputUnknownRevision(t *testing.T) {
	t.Chdir(t.TempDir())
	_, _, err := ResolveInput("2025-11-26")
	if err == nil || !strings.Contains(err.Error(), "2025-11-26: no such file, and not a revision (known: 2024-11-05, 2025-03-26, ") || !strings.Contains(err.Error(), "ext-tasks-2026-07-28)") {
		t.Errorf("unknown revision: %v", err)
	}
	// A path is a path, there or not: the loader names it.
	if path, rev, err := ResolveInput("missing.json"); err != nil || path != "missing.json" || rev.Name != "" {
		t.Errorf("a path: %s, %+v, %v", path, rev, err)
	}
	// A file named like a word is a file.
	os.WriteFile("word", []byte(fakeSchema), 0o644)
	if path, _, err := ResolveInput("word"); err != nil || path != "word" {
		t.Errorf("a file named word: %s, %v", path, err)
	}
}

// TestSchemaDirIsFromTheModuleRoot: a relative MCPGEN_SCHEMA_DIR means the
// same in a package's directory (where go generate runs) as at the root.
func TestSchemaDirIsFromTheModuleRoot(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/m\n"), 0o644)
	pkg := filepath.Join(root, "internal", "mcp")
	os.MkdirAll(pkg, 0o755)
	t.Setenv(SchemaDirEnv, "schemas")
	t.Chdir(pkg)
	if got, want := SchemaDir(), filepath.Join(root, "schemas"); got != want {
		t.Errorf("from %s: %s, want %s", pkg, got, want)
	}
	t.Setenv(SchemaDirEnv, "/abs")
	if got := SchemaDir(); got != "/abs" {
		t.Errorf("absolute: %s", got)
	}
}

func TestPinnedRevision(t *testing.T) {
	shared := "ef70b61f99b6d2e5e3b46863822eab08dff6a45bedc7a08914e0e5b133f40203" // 2026-07-28 and draft
	for _, c := range []struct{ sum, path, pkg, want string }{
		{shared, "x.json", "mcpdraft", "draft"},
		{shared, "s/core/draft/schema.json", "other", "draft"},
		{shared, "x.json", "other", "2026-07-28"},
		{strings.ToUpper(shared), "x.json", "mcp20260728", "2026-07-28"},
		{"268a5f82ba70fd7e4b6dc4aa1e64f116f74b4d0edcb69dc046829c79dd4e97e7", "x.json", "", "2025-11-25"},
	} {
		if r, ok := PinnedRevision(c.sum, c.path, c.pkg); !ok || r.Name != c.want {
			t.Errorf("%s %s %s: %s, %v; want %s", c.sum[:8], c.path, c.pkg, r.Name, ok, c.want)
		}
	}
	if r, ok := PinnedRevision("00", "x.json", ""); ok {
		t.Errorf("an unpinned sum matched %s", r.Name)
	}
}

func TestDetectTaskDesign(t *testing.T) {
	for _, c := range []struct{ name, schema, want string }{
		{"core", `{"$defs": {"TaskStatus": {"enum": ["working"]},
			"GetTaskRequest": {"properties": {"method": {"const": "tasks/get"}}},
			"GetTaskPayloadRequest": {"properties": {"method": {"const": "tasks/result"}}}}}`, "core"},
		{"ext, requests in allOf", `{"$defs": {"TaskStatus": {"enum": ["working"]},
			"GetTaskRequest": {"allOf": [{"properties": {"method": {"const": "tasks/get"}}}]},
			"UpdateTaskRequest": {"allOf": [{"$ref": "#/$defs/GetTaskRequest"}, {"properties": {"method": {"type": "string", "const": "tasks/update"}}}]}}}`, "ext"},
		{"no status enum", `{"$defs": {
			"GetTaskRequest": {"properties": {"method": {"const": "tasks/get"}}},
			"GetTaskPayloadRequest": {"properties": {"method": {"const": "tasks/result"}}}}}`, ""},
		{"a status enum alone", `{"$defs": {"TaskStatus": {"enum": ["working"]},
			"GetTaskRequest": {"properties": {"method": {"const": "tasks/get"}}}}}`, ""},
	} {
		doc, err := Load(c.name, []byte(c.schema))
		if err != nil {
			t.Fatal(err)
		}
		d, ok := doc.DetectTaskDesign()
		if d.Name != c.want || ok != (c.want != "") {
			t.Errorf("%s: %q, %v; want %q", c.name, d.Name, ok, c.want)
		}
	}
}
