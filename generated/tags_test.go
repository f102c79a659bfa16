package generated_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/invopop/jsonschema"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/generated/exttasks20260728"
	"github.com/mcpgen-dev/mcpgen/generated/mcp20241105"
	"github.com/mcpgen-dev/mcpgen/generated/mcp20250326"
	"github.com/mcpgen-dev/mcpgen/generated/mcp20250618"
	"github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/generated/mcp20260728"
	"github.com/mcpgen-dev/mcpgen/generated/mcpdraft"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/schema"
)

var newDefinition = map[string]func(string) any{
	"2024-11-05": mcp20241105.NewDefinition,
	"2025-03-26": mcp20250326.NewDefinition,
	"2025-06-18": mcp20250618.NewDefinition,
	"2025-11-25": mcp20251125.NewDefinition,
	"2026-07-28": mcp20260728.NewDefinition,
	"draft":      mcpdraft.NewDefinition,
	"ext-tasks":  exttasks.NewDefinition,

	"ext-tasks-2026-07-28": exttasks20260728.NewDefinition,
}

// TestStructTagsMatchSchema reflects every generated struct back into JSON
// Schema with invopop/jsonschema, which reads only the Go types and their
// json tags, and compares the properties and the required set with the
// source schema's, read as plain JSON. Fixed (const) properties are not Go
// fields, so they are left out of the comparison; definitions built with
// allOf are left out too, since the source lists their properties across
// several schemas.
func TestStructTagsMatchSchema(t *testing.T) {
	dir := testenv.SchemaDir(t)
	reflector := &jsonschema.Reflector{ExpandedStruct: true}
	for _, rev := range schema.Revisions {
		if _, ok := newDefinition[rev.Name]; !ok {
			continue
		}
		defs := rawDefinitions(t, filepath.Join(dir, rev.Path))
		checked := 0
		for name, raw := range defs {
			props, _ := raw["properties"].(map[string]any)
			if len(props) == 0 || raw["allOf"] != nil || raw["$ref"] != nil {
				continue
			}
			v := newDefinition[rev.Name](name)
			if v == nil {
				t.Errorf("%s: NewDefinition(%q) = nil for an object definition", rev.Name, name)
				continue
			}
			typ := reflect.TypeOf(v).Elem()
			if typ.Kind() != reflect.Struct {
				continue
			}
			wantProps, wantReq := expectedFields(raw)
			got := reflector.ReflectFromType(typ)
			var gotProps []string
			for p := got.Properties.Oldest(); p != nil; p = p.Next() {
				gotProps = append(gotProps, p.Key)
			}
			sort.Strings(gotProps)
			gotReq := slices.Sorted(slices.Values(got.Required))
			if diff := cmp.Diff(wantProps, gotProps); diff != "" {
				t.Errorf("%s %s properties (-schema +Go tags):\n%s", rev.Name, name, diff)
			}
			if diff := cmp.Diff(wantReq, gotReq, cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })); diff != "" {
				t.Errorf("%s %s required (-schema +Go tags):\n%s", rev.Name, name, diff)
			}
			checked++
		}
		if checked < 20 {
			t.Errorf("%s: only %d structs checked", rev.Name, checked)
		}
		t.Logf("%s: %d structs agree with the schema", rev.Name, checked)
	}
}

func rawDefinitions(t *testing.T, path string) map[string]map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Defs        map[string]map[string]any `json:"$defs"`
		Definitions map[string]map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Defs != nil {
		return doc.Defs
	}
	return doc.Definitions
}

// expectedFields lists the properties a struct for raw should have as
// fields, and which of them are required.
func expectedFields(raw map[string]any) (props, required []string) {
	req := map[string]bool{}
	if r, ok := raw["required"].([]any); ok {
		for _, x := range r {
			req[x.(string)] = true
		}
	}
	for name, p := range raw["properties"].(map[string]any) {
		c, isConst := p.(map[string]any)["const"]
		_, isString := c.(string)
		if isConst && (req[name] || !isString) {
			continue // fixed: written by MarshalJSON, not a field
		}
		props = append(props, name)
		if req[name] {
			required = append(required, name)
		}
	}
	sort.Strings(props)
	sort.Strings(required)
	return props, required
}
