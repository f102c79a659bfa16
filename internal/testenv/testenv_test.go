package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcpgen-dev/mcpgen/schema"
)

// TestSchemaDirFailsWhenSetWrong runs SchemaDir in a child test process
// with MCPGEN_SCHEMA_DIR pointing at nothing: the test must fail, not
// skip, and name the path it resolved from the repository's root.
func TestSchemaDirFailsWhenSetWrong(t *testing.T) {
	if os.Getenv("TESTENV_CHILD") != "" {
		SchemaDir(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSchemaDirFailsWhenSetWrong$", "-test.v")
	cmd.Env = append(os.Environ(), "TESTENV_CHILD=1", schema.SchemaDirEnv+"=no/such/dir", "CI=")
	out, err := cmd.CombinedOutput()
	want := "MCPGEN_SCHEMA_DIR is set, but there is no schema collection at " + filepath.Join(Root(), "no", "such", "dir")
	if err == nil || !strings.Contains(string(out), "--- FAIL") || !strings.Contains(string(out), want) {
		t.Errorf("child: %v\n%s\nwant a failure saying %q", err, out, want)
	}
}

// TestSchemaDirRelative: a relative value is taken from the repository's
// root, not from the package's directory go test runs in.
func TestSchemaDirRelative(t *testing.T) {
	abs := SchemaDir(t)
	rel, err := filepath.Rel(Root(), abs)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(schema.SchemaDirEnv, rel)
	if got := SchemaDir(t); got != filepath.Join(Root(), rel) {
		t.Errorf("%s: got %s, want %s", rel, got, filepath.Join(Root(), rel))
	}
}
