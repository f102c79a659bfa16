package redistore_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcpgen-dev/mcpgen/internal/modproxy"
	"github.com/mcpgen-dev/mcpgen/redistore/internal/redisserver"
)

// userProgram is a fresh module's main: the extension's engine, from the
// generated package exttasks, on a redistore.Store.
const userProgram = `package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/redistore"
)

func main() {
	ctx := context.Background()
	store, err := redistore.New(ctx, redis.NewClient(&redis.Options{Network: "unix", Addr: os.Args[1]}), redistore.Options{})
	if err != nil {
		panic(err)
	}
	engine := exttasks.NewEngine(exttasks.EngineConfig{Store: store})
	ans, err := engine.CallTool(ctx, exttasks.ToolCall{Declared: true, Support: exttasks.TaskRequired, Work: func(context.Context, *exttasks.TaskRun) (any, error) {
		return map[string]any{"content": []any{}}, nil
	}})
	if err != nil {
		panic(err)
	}
	for range 100 {
		res, err := engine.GetTask(ctx, &exttasks.GetTaskRequestParams{TaskID: ans.Task.TaskID})
		if err != nil {
			panic(err)
		}
		if _, ok := res.(*exttasks.GetTaskResultCompleted); ok {
			fmt.Println("completed", ans.Task.TaskID)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Println("not completed")
}
`

// TestFreshModuleGetsRedistoreByVersion: a module outside the repository
// requires redistore and mcpgen by version from a module proxy of the
// working tree (no replace, no workspace), and runs the extension's engine
// on Redis with them.
func TestFreshModuleGetsRedistoreByVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a second module")
	}
	srv := redisserver.Start(t)
	proxy := modproxy.Build(t)
	version := proxy.AddNested(t, "redistore")
	dir := t.TempDir()
	env := proxy.Env(t)
	goCmd := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(env, "GONOSUMDB="+modproxy.Module+","+modproxy.Module+"/redistore")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	goCmd("mod", "init", "example.com/user")
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(userProgram), 0o644); err != nil {
		t.Fatal(err)
	}
	goCmd("get", modproxy.Module+"/redistore@"+version, modproxy.Module+"@"+proxy.Version)
	goCmd("mod", "tidy")
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	if !strings.Contains(string(gomod), modproxy.Module+"/redistore "+version) || strings.Contains(string(gomod), "replace") {
		t.Fatalf("go.mod:\n%s", gomod)
	}
	out := goCmd("run", ".", srv.Socket)
	if !strings.HasPrefix(out, "completed ") {
		t.Fatalf("the program printed %q", out)
	}
	t.Logf("redistore %s with mcpgen %s: %s", version, proxy.Version, strings.TrimSpace(out))
}
