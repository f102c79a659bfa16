package generator_test

import "testing"

// TestTagUnionsDecodeTheFirstTagsMember: a union told apart by a tag
// property decodes, at once, the member that the first tag names, and
// reads the tags again only when that fails. The generated package is
// built and run: for every input, repeated, unknown, missing or malformed
// tags included, each union decodes as looking up the last tag first
// does, to the same value or the same error; and a union that can hold
// itself (Tree) keeps to that lookup.
func TestTagUnionsDecodeTheFirstTagsMember(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a package")
	}
	src := `{"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": {
  "Block": {"anyOf": [{"$ref": "#/$defs/Text"}, {"$ref": "#/$defs/Image"}, {"$ref": "#/$defs/Wrapped"}]},
  "Text": {"type": "object", "properties": {"type": {"const": "text", "type": "string"}, "text": {"type": "string"}}, "required": ["type", "text"]},
  "Image": {"type": "object", "properties": {"type": {"const": "image", "type": "string"}, "data": {"type": "string"}, "size": {"type": "integer"}}, "required": ["type", "data"]},
  "Wrapped": {"type": "object", "properties": {"type": {"const": "wrapped", "type": "string"}, "inner": {"$ref": "#/$defs/Inner"}}, "required": ["type", "inner"]},
  "Inner": {"anyOf": [{"$ref": "#/$defs/Red"}, {"$ref": "#/$defs/Blue"}]},
  "Red": {"type": "object", "properties": {"kind": {"const": "red", "type": "string"}, "n": {"type": "integer"}}, "required": ["kind"]},
  "Blue": {"type": "object", "properties": {"kind": {"const": "blue", "type": "string"}, "s": {"type": "string"}}, "required": ["kind", "s"]},
  "Tree": {"anyOf": [{"$ref": "#/$defs/Leaf"}, {"$ref": "#/$defs/Node"}]},
  "Leaf": {"type": "object", "properties": {"kind": {"const": "leaf", "type": "string"}}, "required": ["kind"]},
  "Node": {"type": "object", "properties": {"kind": {"const": "node", "type": "string"}, "children": {"type": "array", "items": {"$ref": "#/$defs/Tree"}}}, "required": ["kind"]}
}}`
	test := `package tags

import (
	"reflect"
	"strings"
	"testing"
)

// byLastTag decodes data as a union the way every value was decoded
// before: the last tag looked up, then its member decoded from the start.
func byLastTag[U any](data []byte, name string, byTag func(*decoder, []byte) (U, error)) (U, error) {
	var zero U
	d := decoder{data: data}
	tag, err := d.discriminator(name)
	if err != nil {
		return zero, err
	}
	v, err := byTag(&d, tag)
	if err != nil {
		return zero, err
	}
	if err := d.end(); err != nil {
		return zero, err
	}
	return v, nil
}

var blocks = []string{
	"{\"type\":\"text\",\"text\":\"hi\"}", "{\"text\":\"hi\",\"type\":\"text\"}", "{\"type\":\"image\",\"data\":\"AA\",\"size\":3}",
	"{\"type\":\"text\",\"text\":\"hi\",\"type\":\"image\",\"data\":\"AA\"}", "{\"type\":\"image\",\"data\":\"AA\",\"type\":\"text\",\"text\":\"t\"}",
	"{\"type\":\"text\",\"type\":\"text\",\"text\":\"x\"}", "{\"type\":1,\"type\":\"text\",\"text\":\"x\"}", "{\"type\":\"text\",\"text\":\"x\",\"type\":1}",
	"{\"type\":\"video\"}", "{\"type\":\"video\",\"type\":\"text\",\"text\":\"x\"}", "{\"type\":\"text\",\"type\":\"video\"}",
	"{\"text\":\"x\"}", "{}", "[]", "\"s\"", "null", "", "7",
	"{\"type\":\"text\"}", "{\"type\":\"text\",\"text\":1}", "{\"type\":\"image\",\"data\":\"AA\",\"size\":\"big\"}",
	"{\"type\":\"wrapped\",\"inner\":{\"kind\":\"red\",\"n\":1}}", "{\"type\":\"wrapped\",\"inner\":{\"kind\":\"blue\"}}",
	"{\"type\":\"wrapped\",\"inner\":{\"kind\":\"red\",\"kind\":\"blue\",\"s\":\"x\"}}", "{\"inner\":{\"kind\":\"blue\",\"s\":\"x\"},\"type\":\"wrapped\"}",
	"{\"type\":\"wrapped\",\"inner\":{\"kind\":\"red\",\"n\":1},\"type\":\"text\",\"text\":\"t\"}",
	"{\"type\":\"text\",\"text\":\"hi\"", "{\"type\":\"text\",\"text\":\"hi\",}", "{\"type\":\"text\" \"text\":\"hi\"}", "{\"type\":\"te",
	"{\"type\":\"text\",\"text\":\"hi\"}x", "  {\"type\":\"text\",\"text\":\"hi\",\"x\":[1,}", "{\"type\":\"text\",\"text\":1,\"x\":}",
	"{\"type\":\"wrapped\",\"inner\":{\"kind\":\"red\",\"n\":}}", "{\"type\":\"te\\u0078t\",\"text\":\"x\"}", "{\"t\\u0079pe\":\"image\",\"data\":\"A\"}",
}

var inners = []string{
	"{\"kind\":\"red\"}", "{\"kind\":\"blue\",\"s\":\"x\"}", "{\"kind\":\"blue\"}", "{\"kind\":\"red\",\"kind\":\"blue\",\"s\":\"x\"}",
	"{\"kind\":\"blue\",\"kind\":\"red\",\"n\":2}", "{\"kind\":\"green\"}", "{\"n\":1}", "{\"kind\":\"red\",\"n\":1.5}", "{\"kind\":\"red\"",
}

func same(t *testing.T, what, in string, got, want any, gotErr, wantErr error) {
	t.Helper()
	switch {
	case (gotErr == nil) != (wantErr == nil):
		t.Errorf("%s %q: got error %v, want %v", what, in, gotErr, wantErr)
	case gotErr != nil && gotErr.Error() != wantErr.Error():
		t.Errorf("%s %q: got error %q, want %q", what, in, gotErr, wantErr)
	case gotErr == nil && !reflect.DeepEqual(got, want):
		t.Errorf("%s %q: got %#v, want %#v", what, in, got, want)
	}
}

// FuzzFirstTagDecodesAsLastTag runs on its seeds, blocks and inners, with
// go test; each input is decoded as both unions.
func FuzzFirstTagDecodesAsLastTag(f *testing.F) {
	for _, in := range append(blocks, inners...) {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, gotErr := UnmarshalBlock([]byte(in))
		want, wantErr := byLastTag([]byte(in), "type", blockByTag)
		same(t, "Block", in, got, want, gotErr, wantErr)
		gotI, gotErr := UnmarshalInner([]byte(in))
		wantI, wantErr := byLastTag([]byte(in), "kind", innerByTag)
		same(t, "Inner", in, gotI, wantI, gotErr, wantErr)
	})
}

// TestWhichUnionsTryTheFirstTag reads the generated decoders.
func TestWhichUnionsTryTheFirstTag(t *testing.T) {
	for name, want := range map[string]bool{"Block": true, "Inner": true, "Tree": false} {
		if got := strings.Contains(generatedFunc(t, "decode"+name+"Union"), "firstTag"); got != want {
			t.Errorf("decode%sUnion tries the first tag: %v, want %v", name, got, want)
		}
	}
}
`
	runGeneratedTests(t, "tags", src, test)
}
