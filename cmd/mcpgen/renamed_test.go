package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRenamedSchemas: a definition or property whose name gives no Go name
// as it stands, or one another declaration has, is named by the documented
// rule with one warning, never refused and never silent; the output builds
// (generate type-checks it before writing).
func TestRenamedSchemas(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "renamed")
	for _, cols := range expectedRows(t, dir, 4) {
		name, pointer, reason, decl := cols[0], cols[1], cols[2], cols[3]
		t.Run(name, func(t *testing.T) {
			file, out := filepath.Join(dir, name), t.TempDir()
			code, _, stderr := mcpgen(t, "generate", "-schema", file, "-out", out)
			if code != 0 {
				t.Fatalf("exit %d, want 0: %s", code, stderr)
			}
			want := "mcpgen: warning: " + file + ": " + pointer + ": "
			warnings := 0
			for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
				if strings.HasPrefix(l, "mcpgen: warning: ") {
					warnings++
				}
			}
			if !strings.HasPrefix(stderr, want) || !strings.Contains(stderr, reason) || warnings != 1 {
				t.Errorf("stderr:\n  %q\nwant one warning starting %q and containing %q", stderr, want, reason)
			}
			types, err := os.ReadFile(filepath.Join(out, "types.go"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(types), decl) {
				t.Errorf("types.go does not declare %q:\n%s", decl, types)
			}
		})
	}
}
