package generator_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"mcpgen/generator"
	"mcpgen/ir"
	"mcpgen/schema"
)

// TestManyRequiredProperties: an object with more required properties
// than one uint64 has bits is tracked in an array of them. The generated
// package is built and run: every property present decodes, and the one
// missing is named, past the first word as well as in it.
func TestManyRequiredProperties(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a package")
	}
	const n = 70
	var props, names []string
	for i := range n {
		props = append(props, fmt.Sprintf(`"p%d": {"type": "string"}`, i))
		names = append(names, fmt.Sprintf(`"p%d"`, i))
	}
	src := fmt.Sprintf(`{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"Wide": {"type": "object", "properties": {%s}, "required": [%s]}}}`,
		strings.Join(props, ","), strings.Join(names, ","))
	doc, err := schema.Load("wide.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := ir.Build(doc, ir.Options{Package: "wide"})
	if err != nil {
		t.Fatal(err)
	}
	files, err := generator.Generate(pkg, generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := generator.Write(dir, files); err != nil {
		t.Fatal(err)
	}
	test := `package wide

import "testing"

func TestWide(t *testing.T) {
	for _, c := range []struct{ drop, want string }{{"", ""}, {"p3", "p3: required property is missing"}, {"p67", "p67: required property is missing"}} {
		in := "{"
		for i := 0; i < 70; i++ {
			name := "p" + itoa(i)
			if name == c.drop {
				continue
			}
			if len(in) > 1 {
				in += ","
			}
			in += "\"" + name + "\":\"v\""
		}
		in += "}"
		var w Wide
		err := w.UnmarshalJSON([]byte(in))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("without %q: got %q, want %q", c.drop, got, c.want)
		}
		if err == nil && (w.P0 != "v" || w.P69 != "v") {
			t.Errorf("decoded %+v", w)
		}
	}
}
`
	if err := os.WriteFile(filepath.Join(dir, "wide_test.go"), []byte(test), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module wide\n\ngo 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "test", "-count=1", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test in the generated package: %v\n%s", err, out)
	}
}
