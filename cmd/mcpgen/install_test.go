package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcpgen-dev/mcpgen/internal/modproxy"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// goRunner runs go commands in a module directory with an environment.
type goRunner struct {
	t   *testing.T
	dir string
	env []string
}

// run runs go with args and returns its exit code and combined output.
func (g goRunner) run(args ...string) (int, string) {
	g.t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = g.dir
	cmd.Env = g.env
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		g.t.Logf("$ go %s\n%s(exit 0)", strings.Join(args, " "), out)
		return 0, string(out)
	case errors.As(err, &exit):
		g.t.Logf("$ go %s\n%s(exit %d)", strings.Join(args, " "), out, exit.ExitCode())
		return exit.ExitCode(), string(out)
	}
	g.t.Fatalf("go %s: %v", strings.Join(args, " "), err)
	return 0, ""
}

// must runs go with args and fails the test unless it exits 0.
func (g goRunner) must(args ...string) string {
	g.t.Helper()
	code, out := g.run(args...)
	if code != 0 {
		g.t.Fatalf("go %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// TestInstalledAsATool follows the README's adoption recipe in a fresh
// module, with mcpgen from a module proxy built from the working tree
// and no replace or go.work: go get -tool, go generate (a revision name
// with a relative MCPGEN_SCHEMA_DIR, a relative schema file, and go run
// recorded with -runner, in nested packages), go build, vet and test, then
// check through go tool and go run with their exit codes.
func TestInstalledAsATool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds mcpgen in a second module")
	}
	schemas := testenv.SchemaDir(t)
	proxy := modproxy.Build(t)
	dir := t.TempDir()
	// The collection, reachable by a relative path from the module root.
	if err := os.Symlink(schemas, filepath.Join(dir, "schemas")); err != nil {
		t.Fatal(err)
	}
	env := append(proxy.Env(t), schema.SchemaDirEnv+"=schemas")
	g := goRunner{t, dir, env}
	g.must("mod", "init", "example.com/user")
	g.must("get", "-tool", modproxy.Module+"/cmd/mcpgen@"+proxy.Version)
	if gomod := string(testenv.ReadFile(t, filepath.Join(dir, "go.mod"))); !strings.Contains(gomod, "tool "+modproxy.Module+"/cmd/mcpgen") || strings.Contains(gomod, "replace") {
		t.Fatalf("go.mod after go get -tool:\n%s", gomod)
	}

	// Each package is generated once by hand, from the module root: a
	// revision by name (MCPGEN_SCHEMA_DIR is relative) and a schema file by
	// a relative path, which doc.go records from the package's directory.
	g.must("tool", "mcpgen", "generate", "-schema", "2025-11-25", "-package", "mcp", "-out", "internal/mcp")
	g.must("tool", "mcpgen", "generate", "-schema", "schemas/ext-tasks/draft/schema.json", "-out", "internal/ext")
	mcpDir := filepath.Join(dir, "internal", "mcp")
	removed := map[string]int{} // files removed from each package, to come back
	for pkg, want := range map[string]string{
		"mcp": "//go:generate go tool mcpgen generate -schema 2025-11-25 -package mcp -out .\n",
		"ext": "//go:generate go tool mcpgen generate -schema ../../schemas/ext-tasks/draft/schema.json -out .\n",
	} {
		pkgDir := filepath.Join(dir, "internal", pkg)
		if doc := string(testenv.ReadFile(t, filepath.Join(pkgDir, "doc.go"))); !strings.Contains(doc, want) {
			t.Fatalf("internal/%s/doc.go lacks %q:\n%s", pkg, want, doc)
		}
		// From then on, doc.go's directive alone regenerates it.
		entries, _ := os.ReadDir(pkgDir)
		removed[pkg] = len(entries) - 1
		for _, e := range entries {
			if e.Name() != "doc.go" {
				os.Remove(filepath.Join(pkgDir, e.Name()))
			}
		}
	}
	// The alternative without a tool: go run at a version, recorded with
	// -runner, so that go generate runs it the same way and leaves it as is.
	run := []string{"run", modproxy.Module + "/cmd/mcpgen@" + proxy.Version}
	g.must(append(run, "generate", "-schema", "2024-11-05", "-out", "internal/old", "-runner", strings.Join(append([]string{"go"}, run...), " "))...)
	out := g.must("generate", "./...")
	for _, want := range []string{
		fmt.Sprintf("mcpgen: internal/ext: %d written, 1 unchanged, 0 removed\n", removed["ext"]),
		fmt.Sprintf("mcpgen: internal/mcp: %d written, 1 unchanged, 0 removed\n", removed["mcp"]),
		"mcpgen: internal/old: 0 written, 9 unchanged, 0 removed\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("go generate ./... does not say %q:\n%s", want, out)
		}
	}
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(`package main

import (
	"encoding/json"
	"fmt"

	ext "example.com/user/internal/ext"
	mcp "example.com/user/internal/mcp"
)

func main() {
	var task mcp.Task
	err := json.Unmarshal([]byte("{\"taskId\":\"t\",\"status\":\"working\",\"createdAt\":\"a\",\"lastUpdatedAt\":\"b\",\"ttl\":null}"), &task)
	fmt.Println(task.Status, err, ext.TaskStatusWorking)
}
`), 0o644)
	os.WriteFile(filepath.Join(dir, "main_test.go"), []byte(`package main

import (
	"testing"

	mcp "example.com/user/internal/mcp"
)

func TestLifecycle(t *testing.T) {
	if mcp.TaskStatusWorking == "" {
		t.Fatal("no status")
	}
}
`), 0o644)
	g.must("build", "./...")
	g.must("vet", "./...")
	out = g.must("test", "-count=1", "./...")
	for _, want := range []string{"ok  \texample.com/user\t", "ok  \texample.com/user/internal/mcp\t", "ok  \texample.com/user/internal/ext\t"} {
		if !strings.Contains(out, want) {
			t.Errorf("go test ./... lacks %q:\n%s", want, out)
		}
	}

	// check's exit codes, through go tool and through go run.
	check := []string{"check", "-schema", "2025-11-25", "-package", "mcp", "-out", "internal/mcp"}
	if code, out := g.run(append([]string{"tool", "mcpgen"}, check...)...); code != 0 {
		t.Errorf("go tool mcpgen check, current: exit %d\n%s", code, out)
	}
	os.WriteFile(filepath.Join(mcpDir, "types.go"), []byte("// Code generated by mcpgen. DO NOT EDIT.\n\npackage mcp\n"), 0o644)
	for _, c := range []struct {
		name   string
		runner []string
		args   []string
		code   int
		says   string
	}{
		{"go tool, stale", []string{"tool", "mcpgen"}, check, 1, "internal/mcp/types.go\n"},
		{"go tool, bad input", []string{"tool", "mcpgen"}, []string{"check", "-schema", "2025-11-26", "-out", "internal/mcp"}, 2, "not a revision (known: 2024-11-05"},
		// go run exits 1 whatever the program's code, and prints it.
		{"go run, stale", run, check, 1, "exit status 1"},
		{"go run, bad input", run, []string{"check", "-schema", "2025-11-26", "-out", "internal/mcp"}, 1, "exit status 2"},
	} {
		code, out := g.run(append(c.runner, c.args...)...)
		if code != c.code || !strings.Contains(out, c.says) {
			t.Errorf("%s: exit %d, want %d and %q:\n%s", c.name, code, c.code, c.says, out)
		}
	}
}
