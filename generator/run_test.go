package generator_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"mcpgen/generator"
	"mcpgen/ir"
	"mcpgen/schema"
)

// runGeneratedTests generates package pkg from the schema src into a
// temporary module, adds test as a test file of that package, and runs go
// test there: the tests see the package's unexported declarations.
func runGeneratedTests(t *testing.T, pkg, src, test string) {
	t.Helper()
	doc, err := schema.Load(pkg+".json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ir.Build(doc, ir.Options{Package: pkg})
	if err != nil {
		t.Fatal(err)
	}
	files, err := generator.Generate(p, generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := generator.Write(dir, files); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, pkg+"_test.go"), []byte(test), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+pkg+"\n\ngo 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "test", "-count=1", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test in the generated package: %v\n%s", err, out)
	}
}
