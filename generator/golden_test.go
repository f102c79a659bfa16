package generator_test

import (
	"bytes"
	"flag"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpgen-dev/mcpgen/generator"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/ir"
	"github.com/mcpgen-dev/mcpgen/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const goldenDir = "../testdata/golden"

// generate runs the whole pipeline on one schema file.
func generate(t *testing.T, path string) []generator.File {
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
	files, err := generator.Generate(pkg, generator.Options{Command: "generate -schema " + filepath.Base(path) + " -out ."})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// goldenText joins the files a case is judged by: the declarations, the
// JSON methods (json.go and marshal.go) and the Markdown reference. doc.go
// and support.go are the same for every input.
func goldenText(files []generator.File) []byte {
	var b bytes.Buffer
	for _, f := range files {
		if f.Name == "types.go" || f.Name == "json.go" || f.Name == "marshal.go" || f.Name == "REFERENCE.md" {
			b.WriteString("-- " + f.Name + " --\n")
			b.Write(f.Data)
		}
	}
	return b.Bytes()
}

// TestGolden compares the output for each hand-written schema in
// testdata/golden with its .golden file. Run `go test ./generator -update`
// to rewrite them, and review the diff.
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join(goldenDir, "*.json"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".json")
		t.Run(name, func(t *testing.T) {
			files := generate(t, in)
			got := goldenText(files)
			path := filepath.Join(goldenDir, name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./generator -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("output differs from %s (-golden +got):\n%s", path, diff)
			}
			typeCheck(t, files)
		})
	}
}

// typeCheck type-checks generated files with go/types and requires that
// they import nothing outside the standard library.
func typeCheck(t *testing.T, files []generator.File) {
	t.Helper()
	fset := token.NewFileSet()
	var parsed []*ast.File
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		af, err := parser.ParseFile(fset, f.Name, f.Data, parser.ParseComments)
		if err != nil {
			t.Fatalf("parse %s: %v", f.Name, err)
		}
		for _, imp := range af.Imports {
			if p := strings.Trim(imp.Path.Value, `"`); strings.Contains(strings.Split(p, "/")[0], ".") {
				t.Errorf("%s imports %s, which is not in the standard library", f.Name, p)
			}
		}
		parsed = append(parsed, af)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	if _, err := conf.Check("golden", fset, parsed, nil); err != nil {
		t.Errorf("generated code does not type-check: %v", err)
	}
}

// TestDeterministic generates every golden input several times: Go
// randomises map iteration on every run, so any dependence on it shows up
// as differing bytes.
func TestDeterministic(t *testing.T) {
	inputs, _ := filepath.Glob(filepath.Join(goldenDir, "*.json"))
	dir := testenv.SchemaDir(t)
	inputs = append(inputs, filepath.Join(dir, "core/2025-11-25/schema.json"), filepath.Join(dir, "ext-tasks/draft/schema.json"))
	for _, in := range inputs {
		first := generate(t, in)
		for i := 0; i < 5; i++ {
			again := generate(t, in)
			if diff := cmp.Diff(first, again); diff != "" {
				t.Fatalf("%s: generation %d differs from the first:\n%s", in, i+2, diff)
			}
		}
	}
}
