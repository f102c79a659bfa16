package generator_test

import (
	"fmt"
	"testing"

	"github.com/mcpgen-dev/mcpgen/generator"
	"github.com/mcpgen-dev/mcpgen/ir"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// TestPropertyNamesNoTagCanHold: property names that a struct tag cannot
// hold (a comma, quotes, a backslash, a backtick, control characters, a
// name that reads as tag options) are encoded and decoded by their JSON
// names, round trip unchanged, and leave go vet's struct tag check clean
// (go test vets the package).
func TestPropertyNamesNoTagCanHold(t *testing.T) {
	const schema = `{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{"Odd":{"type":"object",
		"properties":{"a,b":{"type":"string"},"x` + "`" + `y":{"type":"string"},"q\"r":{"type":"string"},
		"back\\slash":{"type":"integer"},"new\nline":{"type":"string"},"nul\u0000x":{"type":"string"},
		"a,omitempty":{"type":"string"},"a":{"type":"string"},"ok":{"type":"string"}},"required":["a,b"]}}}`
	const test = `package odd

import (
	"encoding/json"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	in := ` + "`" + `{"a,b":"1","x` + "`+\"`\"+`" + `y":"2","q\"r":"3","back\\slash":4,"new\nline":"5","nul\u0000x":"6","a,omitempty":"7","a":"8","ok":"9"}` + "`" + `
	var v Odd
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.AB != "1" || v.XY != "2" || v.QR != "3" || v.BackSlash == nil || *v.BackSlash != 4 || v.NewLine != "5" || v.NulX != "6" || v.AOmitempty != "7" || v.A != "8" || v.Ok != "9" {
		t.Fatalf("decoded %+v", v)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var a, b map[string]any
	json.Unmarshal([]byte(in), &a)
	json.Unmarshal(out, &b)
	if len(a) != len(b) {
		t.Fatalf("re-encoded as %s", out)
	}
	for k, x := range a {
		if b[k] != x {
			t.Fatalf("property %q: %v, re-encoded as %v in %s", k, x, b[k], out)
		}
	}
	if _, err := json.Marshal(struct{ Odd }{v}); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(` + "`" + `{"ok":"x"}` + "`" + `), &v); err == nil {
		t.Fatal("a missing required \"a,b\" decoded")
	}
}
`
	runGeneratedTests(t, "odd", schema, test)
}

// TestDescriptionsWithCharactersNoCommentHolds: a NUL, a byte order mark,
// invalid UTF-8 or a control character in a description is left out of
// the doc comment instead of failing generation with a dump of the source.
func TestDescriptionsWithCharactersNoCommentHolds(t *testing.T) {
	const schema = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"$defs\":{\"A\":{\"type\":\"object\"," +
		"\"description\":\"nul\\u0000 bom\\ufeff bell\\u0007 cr\\r done\",\"properties\":{\"p\":{\"type\":\"string\",\"description\":\"\\ufeffstart\\u0000\"}}}}}"
	const test = `package odd

import "testing"

func TestBuilds(t *testing.T) { _ = A{P: "x"} }
`
	runGeneratedTests(t, "odd", schema, test)
}

// TestUnevaluatedPropertiesFalse: unevaluatedProperties: false closes an
// object to the properties it names, its allOf members' included.
func TestUnevaluatedPropertiesFalse(t *testing.T) {
	const schema = `{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{
		"Base":{"type":"object","properties":{"a":{"type":"string"}}},
		"Both":{"allOf":[{"$ref":"#/$defs/Base"},{"type":"object","properties":{"b":{"type":"string"}}}],"unevaluatedProperties":false},
		"Plain":{"type":"object","properties":{"a":{"type":"string"}},"unevaluatedProperties":false}}}`
	const test = `package closed

import (
	"encoding/json"
	"testing"
)

func TestClosed(t *testing.T) {
	var both Both
	if err := json.Unmarshal([]byte(` + "`" + `{"a":"1","b":"2"}` + "`" + `), &both); err != nil || both.A != "1" || both.B != "2" {
		t.Fatalf("the members' properties: %+v, %v", both, err)
	}
	if err := json.Unmarshal([]byte(` + "`" + `{"a":"1","c":3}` + "`" + `), &both); err == nil {
		t.Error("Both took a property no member names")
	}
	var plain Plain
	if err := json.Unmarshal([]byte(` + "`" + `{"a":"1","c":3}` + "`" + `), &plain); err == nil {
		t.Error("Plain took a property it does not name")
	}
	var base Base
	if err := json.Unmarshal([]byte(` + "`" + `{"a":"1","c":3}` + "`" + `), &base); err != nil {
		t.Errorf("Base is open: %v", err)
	}
}
`
	runGeneratedTests(t, "closed", schema, test)
}

// TestOutputGrowsLinearlyWithNesting: inline type names are bounded
// (ir.BoundName) and so are the pointers in their docs, so a schema nested
// four times as deep gives about four times the Go, not sixteen.
func TestOutputGrowsLinearlyWithNesting(t *testing.T) {
	size := func(depth int) (in, out int) {
		s := `{"type": "string"}`
		for i := range depth {
			s = fmt.Sprintf(`{"type": "object", "properties": {"abcdefghij": %s, "k%d": {"type": "string"}}}`, s, i)
		}
		src := `{"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": {"Root": ` + s + `}}`
		doc, err := schema.Load("nested.json", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		pkg, err := ir.Build(doc, ir.Options{Package: "nested"})
		if err != nil {
			t.Fatal(err)
		}
		files, err := generator.Generate(pkg, generator.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			out += len(f.Data)
		}
		return len(src), out
	}
	in1, out1 := size(50)
	in4, out4 := size(200)
	ratio := float64(out4) / float64(out1)
	t.Logf("depth 50: %d bytes in, %d out; depth 200: %d in, %d out (%.1fx the output for %.1fx the input)", in1, out1, in4, out4, ratio, float64(in4)/float64(in1))
	if ratio > 5 {
		t.Errorf("four times the nesting gave %.1f times the output; want about four", ratio)
	}
}
