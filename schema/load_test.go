package schema

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadKeepsFileOrder(t *testing.T) {
	doc, err := Load("order.json", []byte(`{
		"$schema": "http://json-schema.org/draft-07/schema#",
		"definitions": {
			"Zeta": {"type": "object", "properties": {"b": {"type": "string"}, "a": {"type": "string"}}},
			"Alpha": {"type": "string"}
		}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Draft != Draft07 || doc.DefsKeyword != "definitions" {
		t.Errorf("draft %s, keyword %s; want draft-07 and definitions", doc.Draft, doc.DefsKeyword)
	}
	var names []string
	for _, d := range doc.Definitions {
		names = append(names, d.Name+"@"+d.Pointer)
	}
	if diff := cmp.Diff([]string{"Zeta@/definitions/Zeta", "Alpha@/definitions/Alpha"}, names); diff != "" {
		t.Errorf("definition order (-want +got):\n%s", diff)
	}
	props := doc.Keys("/definitions/Zeta/properties", doc.Definitions[0].Schema.Properties)
	if diff := cmp.Diff([]string{"b", "a"}, props); diff != "" {
		t.Errorf("property order (-want +got):\n%s", diff)
	}
	if len(doc.SHA256) != 64 {
		t.Errorf("sha256 %q", doc.SHA256)
	}
}

func TestLookup(t *testing.T) {
	doc, err := Load("refs.json", []byte(`{"$defs": {"a/b": {"type": "string"}, "C": {"type": "string"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if def, err := doc.Lookup("#/$defs/a~1b"); err != nil || def.Name != "a/b" {
		t.Errorf("escaped pointer: %v, %v", def, err)
	}
	for _, ref := range []string{"#/$defs/Missing", "other.json#/$defs/C", "#/$defs/C/properties/x"} {
		if _, err := doc.Lookup(ref); err == nil {
			t.Errorf("Lookup(%q) succeeded", ref)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"syntax", "{\n  \"$defs\": {,}\n}", "bad.json: invalid JSON: line 2, column 13"},
		{"truncated", `{"$defs": {`, "bad.json: invalid JSON: unexpected end of input"},
		{"trailing", `{"$defs": {"A": {}}} {}`, "unexpected data after the top-level value"},
		{"dialect", `{"$schema": "http://json-schema.org/draft-04/schema#", "definitions": {"A": {}}}`, "bad.json: /$schema: unsupported dialect"},
		{"no defs", `{"type": "object"}`, "no definitions"},
		{"both", `{"$defs": {"A": {}}, "definitions": {"B": {}}}`, "both $defs and definitions"},
		{"deep", strings.Repeat("[", 1000) + strings.Repeat("]", 1000), "nesting deeper than"},
	} {
		_, err := Load("bad.json", []byte(c.in))
		var se *Error
		if !errors.As(err, &se) {
			t.Errorf("%s: got %v, want *schema.Error", c.name, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not contain %q", c.name, err, c.want)
		}
	}
}

func TestEscapePointer(t *testing.T) {
	if got := EscapePointer("io.mcp/x~y"); got != "io.mcp~1x~0y" {
		t.Errorf("got %q", got)
	}
}

// TestLookupFragments: a $ref is a URI fragment, so its JSON pointer is
// percent-decoded before it is unescaped (RFC 6901 section 6), and a
// fragment without a slash names an $anchor.
func TestLookupFragments(t *testing.T) {
	doc, err := Load("refs.json", []byte(`{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{
		"A b":{"type":"object"},"c/d~e":{"type":"string"},"Anchored":{"$anchor":"here","type":"integer"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[string]string{
		"#/$defs/A%20b":       "A b",
		"#/$defs/A b":         "A b",
		"#/$defs/c~1d~0e":     "c/d~e",
		"#/%24defs/c%7E1d~0e": "c/d~e",
		"#here":               "Anchored",
	} {
		def, err := doc.Lookup(ref)
		if err != nil || def.Name != want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", ref, def, err, want)
		}
	}
	for ref, want := range map[string]string{
		"#nowhere":            "names an anchor that no definition declares",
		"other.json#/$defs/A": "is a remote reference",
		"#/$defs/A%zz":        "is not a valid URI fragment",
		"#/$defs/Missing":     "points at no definition",
	} {
		if _, err := doc.Lookup(ref); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Lookup(%q): %v, want an error saying %q", ref, err, want)
		}
	}
}
