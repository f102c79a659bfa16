package generated_test

import (
	"go/ast"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/ir"
	"github.com/mcpgen-dev/mcpgen/schema"
)

var packagesByRevision = map[string]string{
	"2024-11-05": "mcp20241105",
	"2025-03-26": "mcp20250326",
	"2025-06-18": "mcp20250618",
	"2025-11-25": "mcp20251125",
	"2026-07-28": "mcp20260728",
	"draft":      "mcpdraft",
	"ext-tasks":  "exttasks",

	"ext-tasks-2026-07-28": "exttasks20260728",
}

// TestTypeCheck loads every generated package with go/packages: each must
// type-check and import only the standard library.
func TestTypeCheck(t *testing.T) {
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedImports | packages.NeedDeps}
	var patterns []string
	for _, pkg := range packagesByRevision {
		patterns = append(patterns, "github.com/mcpgen-dev/mcpgen/generated/"+pkg)
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != len(patterns) {
		t.Fatalf("loaded %d packages, want %d", len(pkgs), len(patterns))
	}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			t.Errorf("%s: %v", p.PkgPath, e)
		}
		if p.Types == nil || p.Types.Scope().Len() == 0 {
			t.Errorf("%s: no declarations", p.PkgPath)
		}
		for path := range p.Imports {
			if strings.Contains(strings.Split(path, "/")[0], ".") {
				t.Errorf("%s imports %s, which is not in the standard library", p.PkgPath, path)
			}
		}
	}
}

// TestGofmtAndVet holds the generated code to the same bar as the rest.
func TestGofmtAndVet(t *testing.T) {
	files, _ := filepath.Glob("*/*.go")
	if len(files) == 0 {
		t.Fatal("no generated files")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		formatted, err := format.Source(data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
		} else if string(formatted) != string(data) {
			t.Errorf("%s is not gofmt-formatted", f)
		}
	}
	if testing.Short() {
		t.Skip("go vet skipped in -short mode")
	}
	out, err := exec.Command("go", "vet", "./...").CombinedOutput()
	if err != nil {
		t.Errorf("go vet ./generated/...: %v\n%s", err, out)
	}
}

// TestAnyReport counts, per revision, the positions typed as an arbitrary
// JSON value. Those whose schema accepts any value ({}) are right to be
// `any`; a constrained schema typed as `any` would be a defect, and must
// not occur. It also scans the generated declarations for the other ways
// of leaving a value untyped (interface{}, json.RawMessage in exported
// fields). Run with -v to see the table.
func TestAnyReport(t *testing.T) {
	dir := testenv.SchemaDir(t)
	for _, rev := range schema.Revisions {
		pkgName, ok := packagesByRevision[rev.Name]
		if !ok {
			continue
		}
		doc, err := schema.LoadFile(filepath.Join(dir, rev.Path))
		if err != nil {
			t.Fatal(err)
		}
		pkg, err := ir.Build(doc, ir.Options{Package: pkgName, Revision: rev.Name})
		if err != nil {
			t.Fatal(err)
		}
		unconstrained, constrained := 0, 0
		for _, u := range pkg.AnyUses {
			if u.Unconstrained {
				unconstrained++
			} else {
				constrained++
				t.Errorf("%s: %s: a constrained schema is typed as any", rev.Name, u.Pointer)
			}
		}
		raw := untypedExported(t, filepath.Join(pkgName, "types.go"))
		if raw != 0 {
			t.Errorf("%s: %d exported fields or types use interface{} or json.RawMessage", rev.Name, raw)
		}
		t.Logf("%-12s %-12s precisely-typed schemas emitted as any: %d; any-JSON-value positions typed any: %d; interface{}/RawMessage: %d",
			rev.Name, pkgName, constrained, unconstrained, raw)
	}
}

// untypedExported counts exported struct fields and type declarations
// whose type mentions interface{} or json.RawMessage.
func untypedExported(t *testing.T, path string) int {
	t.Helper()
	fset, file := parseFile(t, path)
	_ = fset
	n := 0
	mentions := func(e ast.Expr) bool {
		found := false
		ast.Inspect(e, func(x ast.Node) bool {
			switch x := x.(type) {
			case *ast.InterfaceType:
				if len(x.Methods.List) == 0 {
					found = true
				}
			case *ast.SelectorExpr:
				if x.Sel.Name == "RawMessage" {
					found = true
				}
			}
			return true
		})
		return found
	}
	ast.Inspect(file, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.TypeSpec:
			if _, isStruct := x.Type.(*ast.StructType); !isStruct && x.Name.IsExported() && mentions(x.Type) {
				n++
			}
		case *ast.Field:
			for _, name := range x.Names {
				if name.IsExported() && mentions(x.Type) {
					n++
				}
			}
		}
		return true
	})
	return n
}
