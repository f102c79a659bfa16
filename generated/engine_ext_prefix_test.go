package generated_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/mcpgen-dev/mcpgen/generator"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/ir"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// The engine sources are written against the unprefixed names of the
// package; with -prefix, the package they are copied into must still
// compile (vendored copies are often prefixed), and the engine's exported
// names carry the prefix too.
func TestEngineExtPrefixedPackageCompiles(t *testing.T) {
	t.Setenv(schema.SchemaDirEnv, testenv.SchemaDir(t))
	path, rev, err := schema.ResolveInput("ext-tasks")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := schema.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	opts := ir.Options{Package: "vendored", Revision: rev.Name}
	if opts.Lifecycle, err = schema.LoadLifecycle(rev.Lifecycle); err != nil {
		t.Fatal(err)
	}
	if opts.Protocol, err = schema.LoadProtocol(rev.Protocol); err != nil {
		t.Fatal(err)
	}
	for _, only := range []string{"", "tasks"} {
		pkg, err := ir.Build(doc, opts)
		if err != nil {
			t.Fatal(err)
		}
		if only != "" {
			if err := ir.Select(pkg, []string{only}); err != nil {
				t.Fatal(err)
			}
		}
		ir.Prefix(pkg, "Ext")
		files, err := generator.Generate(pkg, generator.Options{Command: "generate -prefix Ext"})
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		var parsed []*ast.File
		engine := false
		for _, f := range files {
			if !strings.HasSuffix(f.Name, ".go") || strings.HasSuffix(f.Name, "_test.go") {
				continue
			}
			engine = engine || f.Name == "engine.go"
			af, err := parser.ParseFile(fset, f.Name, f.Data, 0)
			if err != nil {
				t.Fatalf("-only %q: %s: %v", only, f.Name, err)
			}
			parsed = append(parsed, af)
		}
		if !engine {
			t.Fatalf("-only %q: no engine.go in the package", only)
		}
		conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
		tpkg, err := conf.Check("vendored", fset, parsed, nil)
		if err != nil {
			t.Fatalf("-only %q: the prefixed package does not type-check: %v", only, err)
		}
		for _, name := range []string{"ExtEngine", "ExtNewEngine", "ExtEngineConfig", "ExtTaskRun", "ExtWithReplyGate"} {
			if tpkg.Scope().Lookup(name) == nil {
				t.Errorf("-only %q: no %s in the prefixed package", only, name)
			}
		}
	}
}
