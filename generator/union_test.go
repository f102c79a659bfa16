package generator_test

import "testing"

// TestShapeUnionsDecodeInPlace: a union chosen by shape decodes a value
// of a kind that one unconstrained member alone takes in place, and
// ranks an object on its text read once (readVariant), instead of
// skipping the value, ranking the copy and decoding it. The generated
// package is built and run: for every input, each union decodes as the
// old road does, to the same value or the same error, and a value nested
// thousands of levels deep decodes.
func TestShapeUnionsDecodeInPlace(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a package")
	}
	src := `{"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": {
  "Value": {"anyOf": [{"$ref": "#/$defs/Object"}, {"type": "array", "items": {"$ref": "#/$defs/Value"}}, {"type": ["string", "integer", "boolean"]}]},
  "Object": {"type": "object", "additionalProperties": {"$ref": "#/$defs/Value"}},
  "Pick": {"anyOf": [{"$ref": "#/$defs/Named"}, {"type": "array", "items": {"type": "string"}}, {"type": "number"}]},
  "Named": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
}}`
	test := `package shapes

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// byRank decodes data as union name the way every value was decoded
// before: skipped, ranked on the copy, decoded from it, and then the end
// of the input checked.
func byRank[U any](data []byte, name string, shapes []variantShape, member func(int, []byte) (U, error)) (U, error) {
	var zero U
	d := decoder{data: data}
	raw, err := d.skip()
	if err != nil {
		return zero, err
	}
	order, err := rankVariants(raw, name, shapes, nil)
	if err != nil {
		return zero, err
	}
	v, err := decodeMember(raw, name, order, false, member)
	if err != nil {
		return zero, err
	}
	if err := d.end(); err != nil {
		return zero, err
	}
	return v, nil
}

var inputs = []string{
	"{}", "[]", "\"s\"", "7", "true", " [ 1 , { \"k\" : \"v\" } ] ",
	"{\"a\":[1,\"x\",false,{\"b\":[]}]}", "[[[[\"deep\"]]]]", "{\"a\":1,\"a\":[true]}",
	"null", "1.5", "[1,null]", "{\"a\":null}", "{\"a\":{\"b\":2.5}}", "[1e3]", "9223372036854775808",
	"{\"name\":\"n\"}", "{\"name\":3}", "{\"other\":1}", "[\"a\",\"b\"]", "[\"a\",1]", "-2",
	"[1,2", "{\"a\" 1}", "tru", "[true,fals]", "{\"a\":[}", "\"unterminated", "", " ",
	"{}0", "{\"name\":\"n\"", "{\"name\":\"n\",}", "{\"name\":\"n\"} x", "{\"name\" \"n\"}", "{1:2}",
	"   {\"name\":\"n\" x", "  {\"name\":\"n\",\"name\":",
	"{\"a\":null,\"a\":1}", "[{\"a\":[null],\"b\":2,\"a\":[1]}]", "{\"a\":1,\"a\":null}", "{\"name\":1,\"name\":\"n\"}",
}

// same compares the two roads. Malformed JSON fails on both, but a value
// decoded in place may meet an error in its members before it meets the
// malformed text, so the errors are compared for JSON and for the objects
// of Pick, which are ranked (on their text, read once) and never decoded in
// place.
func same(t *testing.T, what, in string, got, want any, gotErr, wantErr error) {
	t.Helper()
	if (gotErr == nil) != (wantErr == nil) {
		t.Errorf("%s %q: got error %v, want %v", what, in, gotErr, wantErr)
		return
	}
	if gotErr != nil {
		ranked := what == "Pick" && strings.HasPrefix(strings.TrimSpace(in), "{")
		if (ranked || json.Valid([]byte(in))) && gotErr.Error() != wantErr.Error() {
			t.Errorf("%s %q: got error %q, want %q", what, in, gotErr, wantErr)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s %q: got %#v, want %#v", what, in, got, want)
	}
}

// FuzzInPlaceDecodesAsRanked runs on its seeds, the inputs, with go test.
func FuzzInPlaceDecodesAsRanked(f *testing.F) {
	for _, in := range inputs {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, gotErr := UnmarshalValue([]byte(in))
		want, wantErr := byRank([]byte(in), "Value", valueShapes, valueMember)
		same(t, "Value", in, got, want, gotErr, wantErr)
		gotP, gotErr := UnmarshalPick([]byte(in))
		wantP, wantErr := byRank([]byte(in), "Pick", pickShapes, pickMember)
		same(t, "Pick", in, gotP, wantP, gotErr, wantErr)
	})
}

func TestDeepValue(t *testing.T) {
	const n = 9000
	for _, in := range []string{
		strings.Repeat("[", n) + "1" + strings.Repeat("]", n),
		strings.Repeat("{\"a\":", n) + "1" + strings.Repeat("}", n),
	} {
		v, err := UnmarshalValue([]byte(in))
		if err != nil {
			t.Fatalf("%d levels: %v", n, err)
		}
		out, err := json.Marshal(v)
		if err != nil || string(out) != in {
			t.Fatalf("%d levels: re-encoded differently (%v)", n, err)
		}
	}
}

// TestWhichKindsDecodeInPlace reads the generated decoders: Value takes
// every kind in place, and Pick all but an object, which its one object
// member constrains with a required property.
func TestWhichKindsDecodeInPlace(t *testing.T) {
	for name, want := range map[string]string{
		"Value": "case \"object\":|case \"array\":|case \"string\":|case \"integer\":|case \"boolean\":",
		"Pick":  "case \"array\":|case \"integer\", \"number\":",
	} {
		var got []string
		for _, line := range strings.Split(generatedFunc(t, "decode"+name+"Union"), "\n") {
			if l := strings.TrimSpace(line); strings.HasPrefix(l, "case \"") {
				got = append(got, l)
			}
		}
		if g := strings.Join(got, "|"); g != want {
			t.Errorf("decode%sUnion decodes in place %s, want %s", name, g, want)
		}
	}
}
`
	runGeneratedTests(t, "shapes", src, test)
}
