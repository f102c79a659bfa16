package generated_test

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"

	ext "github.com/mcpgen-dev/mcpgen/generated/exttasks"
	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
)

// longNumber finds a number with more digits than a float64 holds: the
// validator reads numbers as float64, so it may call 1.0000000000000001
// an integer and 9223372036854775808 one that fits, where the generated
// decoders, which read numbers exactly, rightly disagree.
var longNumber = regexp.MustCompile(`[0-9]{16,}`)

// FuzzSchemaAcceptedDecodes: whatever a JSON Schema validator accepts
// against a definition, the generated decoder of that definition decodes.
// The generated code checks less than the schema says (formats, bounds),
// never more, but for one documented limit: integers are int64.
func FuzzSchemaAcceptedDecodes(f *testing.F) {
	fuzzSeeds(f)
	for _, s := range []string{
		`{"content":{}}`, `{"jsonrpc":"2.0","id":true,"method":"ping"}`, `{"action":"accept","content":{"n":1.0,"m":1e2}}`,
		`{"progressToken":1e2,"progress":1}`, `{"jsonrpc":"2.0","id":1.0,"method":"tools/call","params":{"name":"x"}}`,
	} {
		f.Add([]byte(s))
	}
	dir := testenv.SchemaDir(f)
	type target struct {
		name   string
		schema *jsonschema.Resolved
		decode func(string, []byte) (any, error)
	}
	var targets []target
	for _, pkg := range []struct {
		file   string
		names  []string
		decode func(string, []byte) (any, error)
	}{
		{"core/2025-11-25/schema.json", fuzzDefinitions20251125, mcp.UnmarshalDefinition},
		{"ext-tasks/draft/schema.json", fuzzDefinitionsExt, ext.UnmarshalDefinition},
	} {
		root := loadSchema(f, filepath.Join(dir, pkg.file))
		for _, name := range pkg.names {
			s := &jsonschema.Schema{Schema: root.Schema, Ref: "#/$defs/" + name, Defs: root.Defs}
			rs, err := s.Resolve(nil)
			if err != nil {
				f.Fatalf("resolve %s: %v", name, err)
			}
			targets = append(targets, target{name, rs, pkg.decode})
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if json.Unmarshal(data, &v) != nil || longNumber.Match(data) {
			return
		}
		for _, tg := range targets {
			if tg.schema.Validate(v) != nil {
				continue
			}
			_, err := tg.decode(tg.name, data)
			if err != nil && strings.Contains(err.Error(), "integer out of range") {
				// Integers are int64 (README, "Multi-kind values"): a
				// schema integer past that range is refused on purpose.
				continue
			}
			if err != nil {
				t.Errorf("%s: the schema accepts %s, the decoder says %v", tg.name, data, err)
			}
		}
	})
}
