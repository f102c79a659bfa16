package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// hostModule is a module with the kinds of type a -map may name, good
// and bad, for RequestId (a JSON string or integer).
const hostModule = `package x

import (
	"encoding/json"
	"strconv"
)

// ID decodes and encodes both kinds itself.
type ID struct{ s string }

func (id ID) MarshalJSON() ([]byte, error) { return json.Marshal(id.s) }

func (id *ID) UnmarshalJSON(b []byte) error { id.s = strconv.Quote(string(b)); return nil }

// Any holds whatever encoding/json decodes.
type Any any

type id struct{}

type Str string

type Int int64

type HalfID struct{}

func (h *HalfID) UnmarshalJSON([]byte) error { return nil }

type PtrID struct{}

func (p *PtrID) UnmarshalJSON([]byte) error { return nil }

func (p *PtrID) MarshalJSON() ([]byte, error) { return []byte("0"), nil }

type G[T any] struct{ v T }

func NotAType() {}

var NotATypeEither int
`

// TestMapTargetsChecked feeds every bad form of -map through the command:
// each exits 2 with one line that names the flag, before anything is
// written; the good targets generate a package that vets.
func TestMapTargetsChecked(t *testing.T) {
	if testing.Short() {
		t.Skip("loads packages with go list")
	}
	t.Setenv(schema.SchemaDirEnv, testenv.SchemaDir(t))
	root := t.TempDir()
	for name, text := range map[string]string{
		"go.mod":    "module example.com/x\n\ngo 1.24.0\n",
		"x.go":      hostModule,
		"out/.keep": "",
	} {
		path := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(root, "out")
	gen := func(maps ...string) (int, string) {
		args := []string{"generate", "-schema", "2025-11-25", "-out", out, "-package", "out", "-only", "tasks"}
		for _, m := range maps {
			args = append(args, "-map", m)
		}
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		return code, stderr.String()
	}
	for _, tc := range []struct {
		maps []string
		want string // in the message, after "mcpgen: -map DEF=PATH.Type: "
	}{
		{[]string{"RequestId=example.com/x.Nope"}, "package example.com/x declares no Nope"},
		{[]string{"RequestId=example.com/x.id"}, "id is not an exported Go identifier"},
		{[]string{"RequestId=example.com/x/missing.ID"}, "cannot load package example.com/x/missing"},
		{[]string{"RequestId=example.com/x.NotAType"}, "NotAType is a function, not a type"},
		{[]string{"RequestId=example.com/x.NotATypeEither"}, "NotATypeEither is a variable, not a type"},
		{[]string{"RequestId=example.com/x.G"}, "G is generic"},
		{[]string{"RequestId=example.com/x.Str"}, "Str (string) cannot hold a JSON integer"},
		{[]string{"RequestId=example.com/x.Int"}, "Int (int64) cannot hold a JSON string"},
		{[]string{"RequestId=example.com/x.HalfID"}, "HalfID has only one of UnmarshalJSON and MarshalJSON"},
		{[]string{"RequestId=example.com/x.PtrID"}, "PtrID has MarshalJSON on its pointer only"},
		{[]string{"NoSuchDefinition=example.com/x.ID"}, `the schema has no definition "NoSuchDefinition"`},
		{[]string{"RequestId=example.com/x.ID", "RequestId=example.com/x.Any"}, "RequestId is mapped twice, to example.com/x.ID and to example.com/x.Any"},
	} {
		code, stderr := gen(tc.maps...)
		last := tc.maps[len(tc.maps)-1]
		prefix := "mcpgen: -map " + last + ": "
		if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, prefix) || !strings.Contains(stderr, tc.want) {
			t.Errorf("-map %s: exit %d, stderr %q; want exit 2 and one line %q…%q", strings.Join(tc.maps, " -map "), code, stderr, prefix, tc.want)
		}
		if _, err := os.Stat(filepath.Join(out, "doc.go")); err == nil {
			t.Fatalf("-map %s: the package was written", last)
		}
	}
	for _, good := range []string{"RequestId=example.com/x.ID", "RequestId=example.com/x.Any"} {
		if code, stderr := gen(good); code != 0 {
			t.Errorf("-map %s: exit %d, %s", good, code, stderr)
			continue
		}
		// What the check lets through builds.
		cmd := exec.Command("go", "vet", "./...")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("-map %s: go vet of the generated package: %v\n%s", good, err, out)
		}
	}
}
