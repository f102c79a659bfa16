package generated_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/jsonschema-go/jsonschema"

	"github.com/mcpgen-dev/mcpgen/generated/mcpdraft"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
)

// TestExamplesRoundTrip decodes every official example into the draft
// package's type of the same name, encodes it again, and requires the two
// JSON documents to be equal; the re-encoded document must also validate
// against the schema definition with a JSON Schema validator.
func TestExamplesRoundTrip(t *testing.T) {
	dir := testenv.SchemaDir(t)
	root := loadSchema(t, filepath.Join(dir, "core/draft/schema.json"))
	files, err := filepath.Glob(filepath.Join(dir, "core/draft/examples/*/*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 129 {
		t.Errorf("found %d examples, want 129", len(files))
	}
	for _, file := range files {
		typ := filepath.Base(filepath.Dir(file))
		name := typ + "/" + strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			v, err := mcpdraft.UnmarshalDefinition(typ, data)
			if err != nil {
				t.Fatalf("decode as %s: %v", typ, err)
			}
			out, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			var want, got any
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("round trip changed the value (-example +re-encoded):\n%s", diff)
			}
			if err := validate(t, root, typ, got); err != nil {
				t.Errorf("re-encoded value does not validate against %s: %v", typ, err)
			}
		})
	}
}

func loadSchema(t testing.TB, path string) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s jsonschema.Schema
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// validate checks instance against the definition typ of root.
func validate(t *testing.T, root *jsonschema.Schema, typ string, instance any) error {
	t.Helper()
	s := &jsonschema.Schema{Schema: root.Schema, Ref: "#/$defs/" + typ, Defs: root.Defs, Definitions: root.Definitions}
	if len(root.Definitions) > 0 {
		s.Ref = "#/definitions/" + typ
	}
	rs, err := s.Resolve(nil)
	if err != nil {
		t.Fatalf("resolve %s: %v", typ, err)
	}
	return rs.Validate(instance)
}
