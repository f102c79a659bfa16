package generator

import (
	"bytes"
	"go/format"
	"os"
	"path/filepath"
	"testing"

	"mcpgen/internal/testenv"
	"mcpgen/ir"
	"mcpgen/schema"
)

// TestFormatPiecesMatchesSource checks that formatting a file in pieces and
// joining them gives what go/format gives for the whole file, for every Go
// file of every revision and test schema, cut as finely as cutSource can
// and at the size Generate uses.
func TestFormatPiecesMatchesSource(t *testing.T) {
	dir := testenv.SchemaDir(t)
	var pkgs []*ir.Package
	for _, rev := range schema.Revisions {
		pkgs = append(pkgs, buildRevision(t, dir, rev))
	}
	golden, err := filepath.Glob("../testdata/golden/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range golden {
		pkgs = append(pkgs, buildFile(t, path))
	}
	cut := false
	for _, pkg := range pkgs {
		g := &gen{pkg: pkg}
		for _, j := range g.jobs(Options{Command: "generate"}) {
			if !j.gofmt {
				continue
			}
			src, err := j.make()
			if err != nil {
				t.Fatal(err)
			}
			want, err := format.Source(src)
			if err != nil {
				t.Fatal(err)
			}
			for _, size := range []int{1, pieceSize} {
				pieces := cutSource(src, size)
				cut = cut || len(pieces) > 1
				for k, p := range pieces {
					if pieces[k], err = formatPiece(p, k == 0); err != nil {
						t.Fatalf("%s %s: piece %d: %v", pkg.Source.File, j.name, k, err)
					}
				}
				if got := joinPieces(pieces); !bytes.Equal(got, want) {
					t.Errorf("%s %s cut into %d pieces of %d bytes formats differently", pkg.Source.File, j.name, len(pieces), size)
				}
			}
		}
	}
	if !cut {
		t.Error("no file was cut")
	}
}

func buildRevision(t *testing.T, dir string, rev schema.Revision) *ir.Package {
	t.Helper()
	doc, err := schema.LoadFile(filepath.Join(dir, rev.Path))
	if err != nil {
		t.Fatal(err)
	}
	opts := ir.Options{Package: rev.Package, Revision: rev.Name}
	if rev.Lifecycle != "" {
		if opts.Lifecycle, err = schema.LoadLifecycle(rev.Lifecycle); err != nil {
			t.Fatal(err)
		}
	}
	if rev.Protocol != "" {
		if opts.Protocol, err = schema.LoadProtocol(rev.Protocol); err != nil {
			t.Fatal(err)
		}
	}
	pkg, err := ir.Build(doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

func buildFile(t *testing.T, path string) *ir.Package {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := schema.Load(filepath.Base(path), data)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := ir.Build(doc, ir.Options{Package: "golden"})
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}
