package generator_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mcpgen-dev/mcpgen/generator"
	"github.com/mcpgen-dev/mcpgen/ir"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// runGeneratedTests generates package pkg from the schema src into a
// temporary module, adds test as a test file of that package, and runs go
// test there: the tests see the package's unexported declarations. Fuzz
// tests run on their seeds; with MCPGEN_FUZZTIME set (a go test
// -fuzztime, such as 2m), each is then fuzzed for that long.
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
	if err := os.WriteFile(filepath.Join(dir, "helpers_test.go"), []byte("package "+pkg+"\n"+generatedTestHelpers), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+pkg+"\n\ngo 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	goTest := func(args ...string) {
		t.Helper()
		for attempt := 1; ; attempt++ {
			cmd := exec.Command("go", append([]string{"test", "-count=1"}, args...)...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Logf("go test %s: %s", strings.Join(args, " "), fuzzSummary(out))
				return
			}
			// Go 1.26's fuzz coordinator can report its own -fuzztime
			// deadline as a failure on a busy machine (Go issue 75804); such
			// a run writes no failing input, and is tried once more.
			if attempt == 1 && bytes.Contains(out, []byte("context deadline exceeded")) && !bytes.Contains(out, []byte("Failing input written to")) {
				continue
			}
			t.Fatalf("go test %s in the generated package: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	goTest(".")
	if d := os.Getenv("MCPGEN_FUZZTIME"); d != "" {
		for _, m := range fuzzFunc.FindAllStringSubmatch(test, -1) {
			goTest("-run", "^$", "-fuzz", "^"+m[1]+"$", "-fuzztime", d, ".")
		}
	}
}

// generatedTestHelpers follows the package clause of a test file that
// runGeneratedTests adds to every package it generates, for its tests.
const generatedTestHelpers = `
import (
	"os"
	"strings"
	"testing"
)

// generatedFunc returns the source of function name in json.go, up to its
// closing brace.
func generatedFunc(t *testing.T, name string) string {
	t.Helper()
	src, err := os.ReadFile("json.go")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(src), "\nfunc "+name+"(")
	if start < 0 {
		t.Fatalf("json.go has no func %s", name)
	}
	fn := string(src[start+1:])
	return fn[:strings.Index(fn, "\n}\n")]
}
`

var fuzzFunc = regexp.MustCompile(`(?m)^func (Fuzz\w+)\(`)

// fuzzSummary is the last progress line of go test -fuzz, or "ok".
func fuzzSummary(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "fuzz: elapsed") {
			return lines[i]
		}
	}
	return "ok"
}
