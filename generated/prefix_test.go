package generated_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mcpgen-dev/mcpgen/generator"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/ir"
)

// TestPrefixIntoHostPackage generates the task subset of each task design
// (-only tasks) twice: without a prefix, to learn every exported name the
// subset declares, and with -prefix MCP into a package of a host module
// that already declares all those names itself (ServerHandler,
// CodeInvalidParams, DecodeError, Methods, Task, …). The host package
// must build, vet and pass the generated package's own test, and every
// exported name of the prefixed files must carry the prefix: in front, or
// after New or Unmarshal for a name made from a type's (NewMCPTask).
func TestPrefixIntoHostPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	dir := testenv.SchemaDir(t)
	for _, revision := range []string{"2025-11-25", "ext-tasks"} {
		t.Run(revision, func(t *testing.T) {
			plain := subsetFiles(t, dir, revision, "")
			names := exportedNames(t, plain)
			if len(names) < 40 {
				t.Fatalf("the unprefixed subset declares %d exported names, want at least 40", len(names))
			}
			prefixed := subsetFiles(t, dir, revision, "MCP")
			var unprefixed []string
			for _, n := range exportedNames(t, prefixed) {
				if !prefixedName(n, "MCP") {
					unprefixed = append(unprefixed, n)
				}
			}
			if len(unprefixed) > 0 {
				t.Errorf("%d exported names lack the prefix: %s", len(unprefixed), strings.Join(unprefixed, ", "))
			}

			host := t.TempDir()
			write := func(name, text string) {
				t.Helper()
				if err := os.WriteFile(filepath.Join(host, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("go.mod", "module example.com/host\n\ngo 1.24.0\n")
			var b strings.Builder
			b.WriteString("package host\n\n// The host's own declarations, under the names an unprefixed\n// package would take.\nvar (\n")
			for _, n := range names {
				fmt.Fprintf(&b, "\t%s int\n", n)
			}
			b.WriteString(")\n")
			write("host.go", b.String())
			for _, f := range prefixed {
				if f.Name != "REFERENCE.md" {
					write(f.Name, string(f.Data))
				}
			}
			for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}, {"test", "./..."}} {
				cmd := exec.Command("go", args...)
				cmd.Dir = host
				cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("go %s in a package that declares %s, …: %v\n%s", strings.Join(args, " "), strings.Join(names[:5], ", "), err, out)
				}
			}
		})
	}
}

// subsetFiles generates a revision's task subset into package host.
func subsetFiles(t *testing.T, dir, revision, prefix string) []generator.File {
	t.Helper()
	pkg, err := buildIR(dir, revision)
	if err != nil {
		t.Fatal(err)
	}
	pkg.Name = "host"
	if err := ir.Select(pkg, []string{ir.TaskFeature}); err != nil {
		t.Fatal(err)
	}
	ir.Prefix(pkg, prefix)
	files, err := generator.Generate(pkg, generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// exportedNames lists the exported top-level names the Go files declare,
// leaving out test functions.
func exportedNames(t *testing.T, files []generator.File) []string {
	t.Helper()
	var names []string
	fset := token.NewFileSet()
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		file, err := parser.ParseFile(fset, f.Name, f.Data, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() && !strings.HasSuffix(f.Name, "_test.go") {
					names = append(names, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							names = append(names, s.Name.Name)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								names = append(names, n.Name)
							}
						}
					}
				}
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// prefixedName reports whether name carries prefix: in front, or after
// the New or Unmarshal of a name made from a type's.
func prefixedName(name, prefix string) bool {
	for _, head := range []string{"", "New", "Unmarshal"} {
		if strings.HasPrefix(name, head+prefix) {
			return true
		}
	}
	return false
}
