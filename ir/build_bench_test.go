package ir_test

import (
	"path/filepath"
	"testing"

	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/ir"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// BenchmarkBuild20251125 builds the IR of the 2025-11-25 schema with its
// task bindings, from a document loaded once.
func BenchmarkBuild20251125(b *testing.B) {
	rev, _ := schema.LookupRevision("2025-11-25")
	doc, err := schema.LoadFile(filepath.Join(testenv.SchemaDir(b), rev.Path))
	if err != nil {
		b.Fatal(err)
	}
	opts := ir.Options{Package: rev.Package, Revision: rev.Name}
	if opts.Lifecycle, err = schema.LoadLifecycle(rev.Lifecycle); err != nil {
		b.Fatal(err)
	}
	if opts.Protocol, err = schema.LoadProtocol(rev.Protocol); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ir.Build(doc, opts); err != nil {
			b.Fatal(err)
		}
	}
}
