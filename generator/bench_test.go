package generator_test

import (
	"path/filepath"
	"testing"

	"github.com/mcpgen-dev/mcpgen/generator"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/ir"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// generateRevision runs the whole pipeline in process for one revision,
// with its task bindings where it has them.
func generateRevision(b *testing.B, dir string, rev schema.Revision) int {
	doc, err := schema.LoadFile(filepath.Join(dir, rev.Path))
	if err != nil {
		b.Fatal(err)
	}
	opts := ir.Options{Package: rev.Package, Revision: rev.Name}
	if rev.Lifecycle != "" {
		if opts.Lifecycle, err = schema.LoadLifecycle(rev.Lifecycle); err != nil {
			b.Fatal(err)
		}
	}
	if rev.Protocol != "" {
		if opts.Protocol, err = schema.LoadProtocol(rev.Protocol); err != nil {
			b.Fatal(err)
		}
	}
	pkg, err := ir.Build(doc, opts)
	if err != nil {
		b.Fatal(err)
	}
	// Pinned, as the command sets it for a pinned revision given no option
	// that changes its declarations.
	files, err := generator.Generate(pkg, generator.Options{Command: "generate", Pinned: true})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, f := range files {
		n += len(f.Data)
	}
	return n
}

// BenchmarkGenerate20251125 is the whole 2025-11-25 package: types,
// validation, lifecycle, handlers and dispatcher.
func BenchmarkGenerate20251125(b *testing.B) {
	dir := testenv.SchemaDir(b)
	rev, _ := schema.LookupRevision("2025-11-25")
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = generateRevision(b, dir, rev)
	}
	b.SetBytes(int64(n))
}

// BenchmarkGenerateAll is all eight schemas, one after the other.
func BenchmarkGenerateAll(b *testing.B) {
	dir := testenv.SchemaDir(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, rev := range schema.Revisions {
			generateRevision(b, dir, rev)
		}
	}
}
