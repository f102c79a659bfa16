// Package gosdk_test runs the tests of the gosdk module (gosdk/) and of
// its example (testdata/gosdkadapter), modules of their own (they require
// github.com/modelcontextprotocol/go-sdk, which the main module does not),
// from the main module's go test ./....
//
// Each gets mcpgen (and the example gets the gosdk module) as an outside
// user would, with no replace: from a module proxy built from the working
// tree (internal/modproxy), at the working tree's version, written into a
// copy of the module's go.mod that the child go commands use (-modfile);
// go-sdk and the rest come from the module cache or the proxy go env names.
package gosdk_test

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcpgen-dev/mcpgen/internal/modproxy"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
)

func TestGoSDKModule(t *testing.T) {
	runModule(t, "gosdk", modproxy.Module)
}

func TestGoSDKExample(t *testing.T) {
	runModule(t, "testdata/gosdkadapter", modproxy.Module+"/gosdk")
}

// runModule vets and tests the module in rel (a directory of the working
// tree) with the modules it requires from the working tree set to the
// proxy's version.
func runModule(t *testing.T, rel string, requires ...string) {
	root := testenv.Root()
	dir := filepath.Join(root, filepath.FromSlash(rel))

	// go test caches this test's result by the files it reads, and never
	// sees what the child go command reads: read the child's inputs here
	// (modproxy reads the modules' own files).
	readAll(t, dir)
	os.ReadFile(filepath.Join(root, "testdata/peers/node_modules/@modelcontextprotocol/sdk/package.json")) // may be missing: the child decides
	os.ReadFile(filepath.Join(root, "testdata/peers/node_modules/@modelcontextprotocol/ext-tasks/package.json"))
	os.Getenv("CI") // the child reads it too

	gomod := string(testenv.ReadFile(t, filepath.Join(dir, "go.mod")))
	if strings.Contains(gomod, "replace") {
		t.Fatalf("%s/go.mod replaces a module; it must get mcpgen as users do:\n%s", rel, gomod)
	}
	modfile := filepath.Join(t.TempDir(), "go.mod")
	os.WriteFile(modfile, []byte(gomod), 0o644)
	os.WriteFile(strings.TrimSuffix(modfile, ".mod")+".sum", testenv.ReadFile(t, filepath.Join(dir, "go.sum")), 0o644)
	proxy := modproxy.Build(t)
	env := proxy.Env(t, "-modfile="+modfile)

	goBin, err := exec.LookPath("go") // go test puts $GOROOT/bin first on PATH
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-5*time.Second))
		defer cancel()
	}
	// The committed requirements are placeholders: no proxy has them.
	edit := []string{"mod", "edit"}
	for _, m := range requires {
		edit = append(edit, "-require="+m+"@"+proxy.Version)
	}
	for _, args := range [][]string{
		edit,
		{"mod", "tidy"},
		{"vet", "./..."},
		{"test", "-count=1", "./..."},
	} {
		start := time.Now()
		cmd := exec.CommandContext(ctx, goBin, args...)
		cmd.Dir = dir
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		t.Logf("go %s (in %s, %v):\n%s", strings.Join(args, " "), rel, time.Since(start).Round(time.Millisecond), out)
		if err != nil {
			t.Fatalf("go %s: %v", strings.Join(args, " "), err)
		}
	}
}

// readAll reads every file under dir (node_modules aside).
func readAll(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		_, err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestGoGetGoSDK: a fresh module gets the gosdk module as a go-sdk user
// would (go get github.com/mcpgen-dev/mcpgen/gosdk@VERSION, which brings
// mcpgen's generated packages along at the same version) and runs the
// package's Example as its main: a go-sdk server with a task tool, and a
// go-sdk client that runs a task on it. Its output is the Example's.
func TestGoGetGoSDK(t *testing.T) {
	if testing.Short() {
		t.Skip("builds go-sdk in a fresh module")
	}
	root := testenv.Root()
	example := string(testenv.ReadFile(t, filepath.Join(root, "gosdk", "example_test.go")))
	main := strings.Replace(strings.Replace(example, "package gosdk_test", "package main", 1), "func Example() {", "func main() {", 1)
	_, wantOut, ok := strings.Cut(main, "\t// Output:\n")
	if !ok || main == example {
		t.Fatal("gosdk/example_test.go has no package gosdk_test, func Example or // Output: as this test expects")
	}
	var want strings.Builder
	for line := range strings.Lines(strings.TrimSuffix(strings.TrimSpace(wantOut), "}")) {
		want.WriteString(strings.TrimPrefix(strings.TrimSpace(line), "// ") + "\n")
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(main), 0o644)
	proxy := modproxy.Build(t)
	env := proxy.Env(t)
	var got []byte
	for _, args := range [][]string{
		{"mod", "init", "example.com/fresh"},
		{"get", modproxy.Module + "/gosdk@" + proxy.Version},
		{"mod", "tidy"},
		{"run", "."},
	} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = env
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		t.Logf("go %s:\n%s%s", strings.Join(args, " "), out, stderr.String())
		if err != nil {
			t.Fatalf("go %s: %v", strings.Join(args, " "), err)
		}
		got = out
	}
	if strings.TrimSpace(string(got)) != strings.TrimSpace(want.String()) {
		t.Errorf("go run . printed\n%s\nwant (the Example's output)\n%s", got, want.String())
	}
	gomod := string(testenv.ReadFile(t, filepath.Join(dir, "go.mod")))
	for _, req := range []string{modproxy.Module + "/gosdk " + proxy.Version, modproxy.Module + " " + proxy.Version, "github.com/modelcontextprotocol/go-sdk v1.8.0"} {
		if !strings.Contains(gomod, req) {
			t.Errorf("go.mod lacks %q:\n%s", req, gomod)
		}
	}
}

// TestREADMEQuotesTheExample: the README's section on go-sdk quotes
// gosdk/example_test.go whole, so that the code a reader copies is the
// code the Example compiles and runs.
func TestREADMEQuotesTheExample(t *testing.T) {
	root := testenv.Root()
	readme := string(testenv.ReadFile(t, filepath.Join(root, "README.md")))
	example := string(testenv.ReadFile(t, filepath.Join(root, "gosdk", "example_test.go")))
	const heading = "## go-sdk: adding tasks to an existing server\n"
	_, section, ok := strings.Cut(readme, heading)
	if !ok {
		t.Fatalf("README.md has no %q", strings.TrimSpace(heading))
	}
	if i := strings.Index(section, "\n## "); i >= 0 {
		section = section[:i]
	}
	for block := range strings.SplitSeq(section, "```go\n") {
		if quoted, _, ok := strings.Cut(block, "```\n"); ok && quoted == example {
			return
		}
	}
	t.Errorf("the README section %q has no go block equal to gosdk/example_test.go", strings.TrimSpace(heading))
}
