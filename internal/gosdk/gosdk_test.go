// Package gosdk_test runs the tests of testdata/gosdkadapter, a module of its
// own (it requires github.com/modelcontextprotocol/go-sdk, which the main
// module does not), from the main module's go test ./....
//
// The child go command runs with GOPROXY=off: it needs go-sdk and its
// dependencies in the module cache already. CI fills it with
//
//	(cd testdata/gosdkadapter && go mod download)
//
// Without them the test is skipped, and fails under CI.
package gosdk_test

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestGoSDKAdapterModule(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	dir := filepath.Join(root, "testdata", "gosdkadapter")

	// go test caches this test's result by the files it reads, and never
	// sees what the child go command reads: read the child's inputs here.
	readAll(t, dir)
	readAll(t, filepath.Join(root, "generated", "mcp20251125"))
	for _, f := range []string{"go.mod", "go.sum", "testdata/peers/node_modules/@modelcontextprotocol/sdk/package.json"} {
		os.ReadFile(filepath.Join(root, f)) // may be missing: the child decides
	}
	os.Getenv("CI") // the child reads it too

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
	env := childEnv()
	for _, args := range [][]string{{"vet", "./..."}, {"test", "./..."}} {
		start := time.Now()
		cmd := exec.CommandContext(ctx, goBin, args...)
		cmd.Dir = dir
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		t.Logf("go %s (in testdata/gosdkadapter, %v):\n%s", strings.Join(args, " "), time.Since(start).Round(time.Millisecond), out)
		if err != nil {
			if strings.Contains(string(out), "GOPROXY=off") {
				msg := "go-sdk is not in the module cache; run: (cd testdata/gosdkadapter && go mod download)"
				if os.Getenv("CI") != "" {
					t.Fatal(msg)
				}
				t.Skip(msg)
			}
			t.Fatalf("go %s: %v", strings.Join(args, " "), err)
		}
	}
}

// childEnv is this process's environment for a go command that must not
// reach the network or a workspace, and must not change go.mod or go.sum.
func childEnv() []string {
	var env []string
	var flags []string
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "GOFLAGS":
			for _, f := range strings.Fields(v) {
				if !strings.HasPrefix(f, "-mod=") {
					flags = append(flags, f)
				}
			}
		case "GOPROXY", "GOWORK":
		default:
			env = append(env, kv)
		}
	}
	flags = append(flags, "-mod=readonly")
	return append(env, "GOFLAGS="+strings.Join(flags, " "), "GOPROXY=off", "GOWORK=off")
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
