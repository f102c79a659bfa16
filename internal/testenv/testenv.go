// Package testenv finds the inputs tests need outside the repository.
package testenv

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/mcpgen-dev/mcpgen/schema"
)

// SchemaDir returns the official schema collection, absolute. With
// $MCPGEN_SCHEMA_DIR set (a relative value is taken from the repository's
// root, as go test runs each package in its own directory), a collection
// missing there fails the test: the caller asked for it. Unset, the
// collection is looked for beside the repository (../shared/mcp-schema),
// and the test is skipped without it, except under CI, where it fails.
func SchemaDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(schema.SchemaDirEnv)
	set := dir != ""
	if !set {
		dir = filepath.Join("..", "shared", "mcp-schema")
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(Root(), dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "core")); err != nil {
		switch {
		case set:
			t.Fatalf("%s is set, but there is no schema collection at %s: %v", schema.SchemaDirEnv, dir, err)
		case os.Getenv("CI") != "":
			t.Fatalf("schema collection not found at %s (set %s): %v", dir, schema.SchemaDirEnv, err)
		}
		t.Skipf("schema collection not found at %s; set %s", dir, schema.SchemaDirEnv)
	}
	return dir
}

// Root is the repository's root directory.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// AddSchemaSeeds adds every schema under the repository's testdata/golden
// and testdata/bad to f's seed corpus.
func AddSchemaSeeds(f *testing.F) {
	f.Helper()
	root := Root()
	for _, dir := range []string{"golden", "bad"} {
		files, err := filepath.Glob(filepath.Join(root, "testdata", dir, "*.json"))
		if err != nil {
			f.Fatal(err)
		}
		for _, path := range files {
			data, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
}

// ReadFile reads a file the test needs, failing the test without it.
func ReadFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
