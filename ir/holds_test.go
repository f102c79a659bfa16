package ir

import (
	"testing"

	"github.com/mcpgen-dev/mcpgen/schema"
)

func TestHolds(t *testing.T) {
	doc, err := schema.Load("holds.json", []byte(`{"$defs": {
  "Tree": {"anyOf": [{"$ref": "#/$defs/Leaf"}, {"$ref": "#/$defs/Node"}]},
  "Leaf": {"type": "object", "properties": {"kind": {"const": "leaf"}}, "required": ["kind"]},
  "Node": {"type": "object", "properties": {"kind": {"const": "node"}, "children": {"type": "array", "items": {"$ref": "#/$defs/Tree"}}}, "required": ["kind"]},
  "Forest": {"type": "object", "additionalProperties": {"type": "array", "items": {"$ref": "#/$defs/Tree"}}},
  "Alone": {"type": "object", "properties": {"leaf": {"$ref": "#/$defs/Leaf"}}}
}}`))
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := Build(doc, Options{Package: "p"})
	if err != nil {
		t.Fatal(err)
	}
	decl := map[string]*Decl{}
	for _, d := range pkg.Decls {
		decl[d.Name] = d
	}
	for _, c := range []struct {
		d, u string
		want bool
	}{
		{"Node", "Tree", true},   // through the list of children
		{"Tree", "Tree", true},   // itself
		{"Forest", "Node", true}, // through the map's lists and the union
		{"Leaf", "Tree", false},
		{"Alone", "Node", false},
		{"Tree", "Forest", false},
	} {
		if decl[c.d] == nil || decl[c.u] == nil {
			t.Fatalf("no declaration %s or %s", c.d, c.u)
		}
		if got := Holds(decl[c.d], decl[c.u]); got != c.want {
			t.Errorf("Holds(%s, %s) = %v, want %v", c.d, c.u, got, c.want)
		}
	}
}
