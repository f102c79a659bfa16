package benchmod

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcpgen-dev/mcpgen/internal/testenv"
)

// TestBenchModule vets testdata/bench and runs its tests — the checks that
// every anchor decodes each bench message as encoding/json does, before
// any is timed, and the report tool's own tests — with and, where the
// toolchain has it, without encoding/json/v2; and it regenerates the
// easyjson marshalers to require that the committed ones are current.
func TestBenchModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a second module")
	}
	dir := filepath.Join(testenv.Root(), "testdata", "bench")
	run := func(env []string, args ...string) (string, error) {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(append(os.Environ(), "GOFLAGS=-mod=readonly"), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	must := func(env []string, args ...string) {
		t.Helper()
		if out, err := run(env, args...); err != nil {
			t.Fatalf("go %s in testdata/bench: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	must(nil, "vet", "./...")
	must(nil, "test", "-count=1", "./...")
	v2 := []string{"GOEXPERIMENT=jsonv2"}
	if out, err := run(v2, "test", "-count=1", "-run", "Anchors", "."); err != nil {
		if !strings.Contains(out, "GOEXPERIMENT") {
			t.Fatalf("GOEXPERIMENT=jsonv2 go test in testdata/bench: %v\n%s", err, out)
		}
		t.Logf("no encoding/json/v2 in this toolchain: %s", out)
	}

	// easyjson writes beside the package it reads, so regenerate in a copy
	// whose replace directive points back at this tree.
	dir = t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(testenv.Root(), "testdata", "bench"))); err != nil {
		t.Fatal(err)
	}
	must(nil, "mod", "edit", "-replace=github.com/mcpgen-dev/mcpgen="+testenv.Root())
	if err := os.Remove(filepath.Join(dir, "bare_easyjson.go")); err != nil {
		t.Fatal(err)
	}
	must(nil, "generate", ".")
	want := testenv.ReadFile(t, filepath.Join(testenv.Root(), "testdata", "bench", "bare_easyjson.go"))
	if got := testenv.ReadFile(t, filepath.Join(dir, "bare_easyjson.go")); !bytes.Equal(got, want) {
		t.Error("testdata/bench/bare_easyjson.go is stale: run go generate in testdata/bench")
	}
}
