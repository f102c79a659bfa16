package schema_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// TestParseFastMatchesLibrary checks that the one-pass parser builds what
// keyOrder and jsonschema-go build, for every published revision and the
// test schemas.
func TestParseFastMatchesLibrary(t *testing.T) {
	dir := testenv.SchemaDir(t)
	var files []string
	for _, rev := range schema.Revisions {
		path := filepath.Join(dir, rev.Path)
		files = append(files, path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, ok := schema.ParseFast(data); !ok {
			t.Errorf("%s: parseFast declines a published revision", rev.Name)
		}
	}
	for _, pattern := range []string{"../testdata/golden/*.json", "../testdata/bad/*.json"} {
		matches, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, matches...)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !sameParse(t, data) {
			t.Errorf("%s: the two parsers disagree", file)
		}
	}
}

// sameParse reports whether parseFast, when it does not decline, agrees
// with parseSlow.
func sameParse(t *testing.T, data []byte) bool {
	t.Helper()
	root, order, ok := schema.ParseFast(data)
	if !ok {
		return true
	}
	wantRoot, wantOrder, err := schema.ParseSlow("x.json", data)
	if err != nil {
		t.Logf("parseFast accepted what parseSlow refuses: %v", err)
		return false
	}
	if !reflect.DeepEqual(root, wantRoot) {
		t.Logf("schemas differ (-fast +slow):\n%s", cmp.Diff(root, wantRoot))
		return false
	}
	if !reflect.DeepEqual(order, wantOrder) {
		t.Logf("key orders differ (-fast +slow):\n%s", cmp.Diff(order, wantOrder))
		return false
	}
	return true
}

// FuzzParseFast: whatever parseFast accepts, parseSlow reads the same.
func FuzzParseFast(f *testing.F) {
	for _, pattern := range []string{"../testdata/golden/*.json", "../testdata/bad/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	for _, seed := range []string{
		`{"a":null,"b":[],"c":{},"d":"\u00e9\ud800","e":-0.5e+3}`,
		`{"type":[],"required":[],"enum":[1,"a",null],"const":null,"properties":{}}`,
		`{"$defs":{"A":{"items":[true],"minLength":1.0,"maxItems":3}},"definitions":{"B":false}}`,
		`{"properties":{"x":null,"y":true},"Description":"x","description":"y"}`,
		`{"a":1,"a":{"b":2}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !sameParse(t, data) {
			t.Fatalf("the two parsers disagree on %q", data)
		}
	})
}
