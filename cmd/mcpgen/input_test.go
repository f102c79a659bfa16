package main

import (
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mcpgen-dev/mcpgen/generator"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/schema"
)

var directive = regexp.MustCompile(`(?m)^//go:generate .*\n`)

// TestFileIsItsRevision: for every pinned revision, -schema FILE (the
// revision's own file) writes the same files as -schema REVISION, doc.go's
// directive aside, which records what was typed; and regenerating from the
// file over the revision's package removes nothing.
func TestFileIsItsRevision(t *testing.T) {
	dir := testenv.SchemaDir(t)
	t.Setenv(schema.SchemaDirEnv, dir)
	for _, rev := range schema.Revisions {
		t.Run(rev.Name, func(t *testing.T) {
			byName := filepath.Join(t.TempDir(), rev.Package)
			code, _, warnings := mcpgen(t, "generate", "-schema", rev.Name, "-out", byName)
			if code != 0 {
				t.Fatalf("by name: exit %d: %s", code, warnings)
			}
			file := filepath.Join(dir, filepath.FromSlash(rev.Path))
			byFile := filepath.Join(t.TempDir(), rev.Package)
			code, _, stderr := mcpgen(t, "generate", "-schema", file, "-out", byFile)
			if code != 0 || stderr != warnings {
				t.Fatalf("by file: exit %d: %q; want what the name gave, %q", code, stderr, warnings)
			}
			want, got := snapshot(t, byName), snapshot(t, byFile)
			if !slices.Equal(slices.Sorted(maps.Keys(want)), slices.Sorted(maps.Keys(got))) {
				t.Fatalf("files by name %v, by file %v", slices.Sorted(maps.Keys(want)), slices.Sorted(maps.Keys(got)))
			}
			for name, w := range want {
				g := got[name]
				if name == "doc.go" {
					if !strings.Contains(g, "//go:generate go tool mcpgen generate -schema "+file+" -out .\n") {
						t.Errorf("doc.go by file does not record the file:\n%s", g)
					}
					w, g = directive.ReplaceAllString(w, ""), directive.ReplaceAllString(g, "")
				}
				if w != g {
					t.Errorf("%s differs between -schema %s and -schema FILE", name, rev.Name)
				}
			}
			// Over the package made from the name: the directive changes,
			// nothing is removed.
			code, stdout, stderr := mcpgen(t, "generate", "-schema", file, "-out", byName)
			if want := "mcpgen: " + byName + ": 1 written, " + strconv.Itoa(len(want)-1) + " unchanged, 0 removed\n"; code != 0 || stdout != want {
				t.Errorf("over the package by name: exit %d, %q%s; want %q", code, stdout, stderr, want)
			}
		})
	}
}

// unpinned writes the file of rev with one byte more, so that it matches
// no pin but keeps its design.
func unpinned(t *testing.T, rev string) string {
	t.Helper()
	r, _ := schema.LookupRevision(rev)
	data, err := os.ReadFile(filepath.Join(testenv.SchemaDir(t), filepath.FromSlash(r.Path)))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "schema.json")
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestUnpinnedFileKeepsItsTaskDesign: a file that matches no pin but has a
// task design gets the bindings of that design, says so in one note, and
// -tasks overrides it.
func TestUnpinnedFileKeepsItsTaskDesign(t *testing.T) {
	for _, c := range []struct{ rev, design, data string }{
		{"2025-11-25", "core", "schema/data/core-tasks-lifecycle.json and schema/data/core-protocol.json"},
		{"ext-tasks", "ext", "schema/data/ext-tasks-lifecycle.json and schema/data/ext-protocol.json"},
	} {
		t.Run(c.rev, func(t *testing.T) {
			file := unpinned(t, c.rev)
			out := filepath.Join(t.TempDir(), "p")
			code, _, stderr := mcpgen(t, "generate", "-schema", file, "-out", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			want := "mcpgen: note: " + file + " matches no pinned revision; it has the " + c.design + " task design, so its task bindings use " + c.data + " (-tasks none leaves them out)\n"
			if stderr != want {
				t.Errorf("stderr %q, want %q", stderr, want)
			}
			for _, f := range []string{"dispatch.go", "handlers.go", "lifecycle.go", "protocol.go", "engine.go", "client.go"} {
				if _, err := os.Stat(filepath.Join(out, f)); err != nil {
					t.Errorf("no %s: %v", f, err)
				}
			}
			// -tasks none is a choice: the bindings go, and the summary
			// names them.
			removal := bindingsRemoved(t, out)
			code, stdout, stderr := mcpgen(t, "generate", "-schema", file, "-tasks", "none", "-out", out)
			if code != 0 || !strings.Contains(stdout, removal+")\n") || stderr != "" {
				t.Errorf("-tasks none: exit %d, %q, %q", code, stdout, stderr)
			}
			if doc := string(testenv.ReadFile(t, filepath.Join(out, "doc.go"))); !strings.Contains(doc, " -tasks none -out .\n") {
				t.Errorf("doc.go does not record -tasks none:\n%s", doc)
			}
		})
	}
	if code, _, stderr := mcpgen(t, "generate", "-schema", unpinned(t, "2025-11-25"), "-tasks", "both", "-out", t.TempDir()); code != 2 || !strings.Contains(stderr, `-tasks "both": want core, ext or none`) {
		t.Errorf("-tasks both: exit %d, %s", code, stderr)
	}
}

// TestTaskBindingsAreNotDroppedSilently: bindings generated before are
// removed only when the new input has no task design, and the summary
// says why; otherwise generate refuses and writes nothing.
func TestTaskBindingsAreNotDroppedSilently(t *testing.T) {
	t.Setenv(schema.SchemaDirEnv, testenv.SchemaDir(t))
	out := filepath.Join(t.TempDir(), "p")
	if code, _, stderr := mcpgen(t, "generate", "-schema", "2025-11-25", "-out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	before := snapshot(t, out)
	// The input has a task design, but -only leaves out the bindings.
	code, stdout, stderr := mcpgen(t, "generate", "-schema", "2025-11-25", "-only", "Implementation", "-out", out)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "refusing to remove "+strings.Join(bindingsIn(t, out), ", ")+", the task bindings generated there before: 2025-11-25 has a task design") {
		t.Errorf("exit %d, %q, %q; want a refusal", code, stdout, stderr)
	}
	if after := snapshot(t, out); !equalMaps(before, after) {
		t.Errorf("a refused run changed the directory")
	}
	// A schema without tasks over it: removed, and said.
	removal := bindingsRemoved(t, out)
	code, stdout, stderr = mcpgen(t, "generate", "-schema", "2026-07-28", "-out", out)
	if code != 0 || !strings.HasSuffix(stdout, removal+"); 2026-07-28 has no task design\n") {
		t.Errorf("2026-07-28 over 2025-11-25: exit %d, %q, %q", code, stdout, stderr)
	}
}

// TestRecordedDirective: the runner is recorded when given (so go generate
// does not revert it), the default is go tool, and a relative schema file
// is recorded relative to the output directory, where go generate runs.
func TestRecordedDirective(t *testing.T) {
	file := unpinned(t, "2024-11-05")
	root := filepath.Dir(file)
	t.Chdir(root)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-schema", "schema.json", "-out", "internal/mcp"}, "//go:generate go tool mcpgen generate -schema ../../schema.json -out .\n"},
		{[]string{"-schema", "schema.json", "-out", "internal/mcp", "-runner", "go run example.com/mcpgen@v1.2.3"},
			"//go:generate go run example.com/mcpgen@v1.2.3 generate -schema ../../schema.json -runner \"go run example.com/mcpgen@v1.2.3\" -out .\n"},
		{[]string{"-schema", file, "-out", "p"}, "//go:generate go tool mcpgen generate -schema " + file + " -out .\n"},
	} {
		if code, _, stderr := mcpgen(t, append([]string{"generate"}, c.args...)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, stderr)
		}
		out := c.args[slices.Index(c.args, "-out")+1]
		if doc := string(testenv.ReadFile(t, filepath.Join(out, "doc.go"))); !strings.Contains(doc, c.want) {
			t.Errorf("%v: doc.go lacks %q:\n%s", c.args, c.want, doc)
		}
	}
}

// TestRevisionWithoutSetUp: with no schema directory, a revision is
// downloaded (here from a test server standing for the pinned address),
// checked, cached, and generates the committed package; offline, the
// message names both places to put the file.
func TestRevisionWithoutSetUp(t *testing.T) {
	srv := httptest.NewServer(http.FileServer(http.Dir(testenv.SchemaDir(t))))
	defer srv.Close()
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv(schema.SchemaDirEnv, "")
	t.Setenv(schema.SchemaURLEnv, srv.URL)
	committed := filepath.Join("..", "..", "generated", "exttasks20260728")
	if code, stdout, stderr := mcpgen(t, "check", "-schema", "ext-tasks-2026-07-28", "-out", committed); code != 0 {
		t.Fatalf("check, downloading: exit %d\n%s%s", code, stdout, stderr)
	}
	cached := filepath.Join(cache, "mcpgen", "schemas", "ext-tasks", "2026-07-28", "schema.json")
	if _, err := os.Stat(cached); err != nil {
		t.Fatalf("not cached: %v", err)
	}
	srv.Close()
	if code, _, stderr := mcpgen(t, "check", "-schema", "ext-tasks-2026-07-28", "-out", committed); code != 0 {
		t.Errorf("check from the cache, offline: exit %d: %s", code, stderr)
	}
	code, _, stderr := mcpgen(t, "check", "-schema", "2025-06-18", "-out", filepath.Join("..", "..", "generated", "mcp20250618"))
	want := "(offline? put the file at $MCPGEN_SCHEMA_DIR (not set) or " + filepath.Join(cache, "mcpgen", "schemas", "core", "2025-06-18", "schema.json") + ")\n"
	if code != 2 || !strings.HasSuffix(stderr, want) {
		t.Errorf("offline: exit %d, %q; want 2 and a message ending %q", code, stderr, want)
	}
}

// bindingsIn lists the task-binding files in dir, as the summary and the
// refusal name them.
func bindingsIn(t *testing.T, dir string) []string {
	var in []string
	for _, f := range generator.TaskBindingFiles {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			in = append(in, f)
		}
	}
	if len(in) == 0 {
		t.Fatalf("no task-binding files in %s", dir)
	}
	return in
}

// bindingsRemoved is how the summary line lists the removal of the
// task-binding files in dir, up to the closing parenthesis.
func bindingsRemoved(t *testing.T, dir string) string {
	in := bindingsIn(t, dir)
	return fmt.Sprintf("%d removed (%s", len(in), strings.Join(in, ", "))
}
