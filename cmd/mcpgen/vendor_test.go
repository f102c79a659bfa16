package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcpgen-dev/mcpgen/internal/modproxy"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// TestVendoredSubset works on a copy of testdata/vendored, a module that
// stands for an SDK vendoring the 2025-11-25 task bindings with -only
// tasks, a type prefix and its own JSON-RPC id type (-map), and that has
// mcpgen as a tool (go get -tool). It gets mcpgen at the working tree's
// version from a module proxy built from it, as the SDK would from a
// release, runs go generate there from the directive doc.go recorded,
// requires the result to equal the committed files, then vets and tests
// the module, and runs check with the same flags.
func TestVendoredSubset(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a second module")
	}
	schemaDir := testenv.SchemaDir(t)
	src := filepath.Join(testenv.Root(), "testdata", "vendored")
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	if gomod := string(testenv.ReadFile(t, filepath.Join(dir, "go.mod"))); strings.Contains(gomod, "replace") || !strings.Contains(gomod, "tool github.com/mcpgen-dev/mcpgen/cmd/mcpgen") {
		t.Fatalf("testdata/vendored/go.mod should have mcpgen as a tool and no replace:\n%s", gomod)
	}
	proxy := modproxy.Build(t)
	g := goRunner{t, dir, append(proxy.Env(t), schema.SchemaDirEnv+"="+schemaDir)}
	// The committed requirement is a placeholder: no proxy has it.
	g.must("mod", "edit", "-require="+modproxy.Module+"@"+proxy.Version)
	g.must("mod", "tidy")
	goCmd := func(args ...string) string {
		t.Helper()
		return g.must(args...)
	}
	// Regenerate from nothing but the recorded directive.
	generated := filepath.Join(dir, "mcptasks")
	entries, _ := os.ReadDir(generated)
	for _, e := range entries {
		os.Remove(filepath.Join(generated, e.Name()))
	}
	os.WriteFile(filepath.Join(generated, "doc.go"), testenv.ReadFile(t, filepath.Join(src, "mcptasks", "doc.go")), 0o644)
	goCmd("generate", "./...")
	err := filepath.WalkDir(filepath.Join(src, "mcptasks"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		want := testenv.ReadFile(t, path)
		got := testenv.ReadFile(t, filepath.Join(generated, d.Name()))
		if !bytes.Equal(want, got) {
			t.Errorf("%s: regenerated file differs from the committed one (run go generate in testdata/vendored)", d.Name())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	goCmd("vet", "./...")
	out := goCmd("test", "-count=1", "./...")
	if !strings.Contains(out, "ok  \texample.com/sdk\t") || !strings.Contains(out, "ok  \texample.com/sdk/mcptasks\t") {
		t.Errorf("the vendoring module's tests did not all run:\n%s", out)
	}
	t.Setenv(schema.SchemaDirEnv, schemaDir)
	if code, stdout, stderr := mcpgen(t, "check", "-schema", "2025-11-25", "-package", "mcptasks", "-only", "tasks", "-prefix", "MCP",
		"-map", "RequestId=example.com/sdk/jsonrpc.ID", "-out", generated); code != 0 {
		t.Errorf("check with the same flags: exit %d\n%s%s", code, stdout, stderr)
	}
	// The subset is only the task machinery and what it needs: the task
	// engine needs tools/call and the Tool definition, nothing of the
	// other methods.
	types := string(testenv.ReadFile(t, filepath.Join(generated, "types.go")))
	for _, absent := range []string{"type MCPRequestId ", "type MCPListToolsRequest ", "type MCPInitializeRequest ", "type MCPPrompt "} {
		if strings.Contains(types, absent) {
			t.Errorf("the subset declares %s", strings.TrimSpace(absent))
		}
	}
	for _, present := range []string{"type MCPTask struct", "type MCPTaskStatus string", "type MCPCreateTaskResult struct", "ID jsonrpc.ID",
		"type MCPCallToolRequestParams struct", "type MCPCallToolResult struct", "type MCPTool struct", "type MCPToolExecution struct"} {
		if !strings.Contains(strings.Join(strings.Fields(types), " "), present) {
			t.Errorf("the subset lacks %q", present)
		}
	}
}

func TestShapingFlagsRefuseBadInput(t *testing.T) {
	t.Setenv(schema.SchemaDirEnv, testenv.SchemaDir(t))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-only", "Nothing*"}, `-only "Nothing*" matches no definition`},
		{[]string{"-only", "[bad"}, `-only "[bad": syntax error in pattern`},
		{[]string{"-prefix", "lower"}, `-prefix "lower" must be an exported Go identifier`},
		{[]string{"-map", "RequestId"}, `want DEFINITION=IMPORT/PATH.Type`},
		{[]string{"-map", "Nope=example.com/x.T"}, `the schema has no definition "Nope"`},
		{[]string{"-map", "TextContent=example.com/x.T"}, `TextContent is a member of ContentBlock`},
		{[]string{"-map", "Task=example.com/x.T"}, `Task is the lifecycle's task, which the task bindings are written against`},
	} {
		args := append([]string{"generate", "-schema", "2025-11-25", "-out", t.TempDir()}, c.args...)
		if code, _, stderr := mcpgen(t, args...); code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}
