package generator

import (
	"testing"

	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// TestPinnedRevisionsCompile is what lets Generate skip its type check for
// a pinned revision (Options.Pinned): the output of every revision this
// version pins, made as the command makes it with no option, passes the
// check that Generate would otherwise run.
func TestPinnedRevisionsCompile(t *testing.T) {
	dir := testenv.SchemaDir(t)
	for _, rev := range schema.Revisions {
		pkg := buildRevision(t, dir, rev)
		files, err := Generate(pkg, Options{Command: "generate -schema " + rev.Name + " -out .", Pinned: true})
		if err != nil {
			t.Fatalf("%s: %v", rev.Name, err)
		}
		if err := checkCompiles(pkg, files); err != nil {
			t.Errorf("%s: %v", rev.Name, err)
		}
	}
}
