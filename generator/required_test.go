package generator_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestManyRequiredProperties: an object with more required properties
// than one uint64 has bits is tracked in an array of them. The generated
// package is built and run: every property present decodes, and the one
// missing is named, past the first word as well as in it.
func TestManyRequiredProperties(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a package")
	}
	const n = 70
	var props, names []string
	for i := range n {
		props = append(props, fmt.Sprintf(`"p%d": {"type": "string"}`, i))
		names = append(names, fmt.Sprintf(`"p%d"`, i))
	}
	src := fmt.Sprintf(`{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"Wide": {"type": "object", "properties": {%s}, "required": [%s]}}}`,
		strings.Join(props, ","), strings.Join(names, ","))
	test := `package wide

import "testing"

func TestWide(t *testing.T) {
	for _, c := range []struct{ drop, want string }{{"", ""}, {"p3", "p3: required property is missing"}, {"p67", "p67: required property is missing"}} {
		in := "{"
		for i := 0; i < 70; i++ {
			name := "p" + itoa(i)
			if name == c.drop {
				continue
			}
			if len(in) > 1 {
				in += ","
			}
			in += "\"" + name + "\":\"v\""
		}
		in += "}"
		var w Wide
		err := w.UnmarshalJSON([]byte(in))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("without %q: got %q, want %q", c.drop, got, c.want)
		}
		if err == nil && (w.P0 != "v" || w.P69 != "v") {
			t.Errorf("decoded %+v", w)
		}
	}
}
`
	runGeneratedTests(t, "wide", src, test)
}
