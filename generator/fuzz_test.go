package generator_test

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/mcpgen-dev/mcpgen/generator"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/ir"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// One importer for the whole run: it caches the standard library packages
// the generated code imports, so each input type-checks quickly.
var (
	stdImporter     types.Importer
	stdImporterOnce sync.Once
	stdFset         = token.NewFileSet()
	importerMu      sync.Mutex
)

// FuzzGenerate runs the whole pipeline on arbitrary input: it either fails
// with an error naming the file, or yields Go that go/types accepts.
func FuzzGenerate(f *testing.F) {
	testenv.AddSchemaSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := schema.Load("fuzz.json", data)
		if err != nil {
			return
		}
		pkg, err := ir.Build(doc, ir.Options{Package: "fuzz"})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.json: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		files, err := generator.Generate(pkg, generator.Options{})
		if err != nil {
			// Generation refuses output its own check finds broken; the
			// refusal must still be one error naming the file.
			if !strings.HasPrefix(err.Error(), "fuzz.json: ") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("generation failed without naming the file in one line: %v", err)
			}
			return
		}
		checkGo(t, files)
	})
}

// exportImporter imports the standard library from the compiler's export
// data, found once with go list: much faster than type-checking it from
// source for every input.
func exportImporter() (types.Importer, error) {
	out, err := exec.Command("go", "list", "-export", "-deps", "-f", "{{.ImportPath}} {{.Export}}",
		"bytes", "context", "encoding/binary", "encoding/json", "errors", "fmt", "math", "math/big", "reflect", "slices", "sort", "strconv", "strings", "time", "unicode/utf8").Output()
	if err != nil {
		return nil, err
	}
	files := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if path, file, ok := strings.Cut(line, " "); ok && file != "" {
			files[path] = file
		}
	}
	return importer.ForCompiler(stdFset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := files[path]
		if !ok {
			return nil, fmt.Errorf("generated code imports %s, which is not expected", path)
		}
		return os.Open(file)
	}), nil
}

func checkGo(t *testing.T, files []generator.File) {
	t.Helper()
	stdImporterOnce.Do(func() {
		var err error
		if stdImporter, err = exportImporter(); err != nil {
			stdImporter = importer.ForCompiler(stdFset, "source", nil)
		}
	})
	importerMu.Lock()
	defer importerMu.Unlock()
	var parsed []*ast.File
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".go") || strings.HasSuffix(f.Name, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(stdFset, f.Name, f.Data, 0)
		if err != nil {
			t.Fatalf("generated %s does not parse: %v", f.Name, err)
		}
		parsed = append(parsed, af)
	}
	conf := types.Config{Importer: stdImporter}
	if _, err := conf.Check("fuzz", stdFset, parsed, nil); err != nil {
		t.Fatalf("generated code does not type-check: %v", err)
	}
}
