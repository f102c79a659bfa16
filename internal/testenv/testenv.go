// Package testenv finds the inputs tests need outside the repository.
package testenv

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/mcpgen-dev/mcpgen/schema"
)

// SchemaDir returns the official schema collection: $MCPGEN_SCHEMA_DIR, or
// ../shared/mcp-schema beside the repository. Without one the test is
// skipped, except under CI, where a missing collection fails the test.
func SchemaDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(schema.SchemaDirEnv)
	if dir == "" {
		_, file, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "mcp-schema")
	}
	if _, err := os.Stat(filepath.Join(dir, "core")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("schema collection not found at %s (set %s): %v", dir, schema.SchemaDirEnv, err)
		}
		t.Skipf("schema collection not found at %s; set %s", dir, schema.SchemaDirEnv)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// AddSchemaSeeds adds every schema under the repository's testdata/golden
// and testdata/bad to f's seed corpus.
func AddSchemaSeeds(f *testing.F) {
	f.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
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
