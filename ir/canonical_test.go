package ir

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"

	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// TestComposeCanonicalMatchesText checks that every canonical text a build
// asks for, of the published revisions and the test schemas, is the text
// canonicalText makes, and so for every schema in those files.
func TestComposeCanonicalMatchesText(t *testing.T) {
	dir := testenv.SchemaDir(t)
	var files []string
	for _, rev := range schema.Revisions {
		files = append(files, filepath.Join(dir, rev.Path))
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
		checkCanonical(t, file, data)
	}
}

// FuzzComposeCanonical: for any schema that loads, composed texts are
// canonicalText's.
func FuzzComposeCanonical(f *testing.F) {
	for _, pattern := range []string{"../testdata/golden/*.json", "../testdata/bad/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	for _, seed := range []string{
		`{"$defs":{"A":{"not":{}},"B":{"not":{"$schema":"x"}},"C":{"$schema":"x","not":true},"D":{"$schema":"x"},"E":{"properties":{}}}}`,
		`{"$defs":{"A":{"type":[],"enum":["<&>","\u2028"],"const":null},"B":{"const":1.5e300,"minLength":3},"C":{"properties":{"$schema":{"type":"string"}}}}}`,
		`{"$defs":{"A":{"type":"string","$defs":{"x":true},"definitions":{"y":false}},"B":{"anyOf":[{"const":"a"},{"enum":[1,2]}]}}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkCanonical(t, "fuzz.json", data)
	})
}

// checkCanonical compares, for every schema in the file and every one a
// build makes by merging allOf, the canonical text with canonicalText.
func checkCanonical(t *testing.T, file string, data []byte) {
	t.Helper()
	doc, err := schema.Load(file, data)
	if err != nil {
		return
	}
	b := newBuilder(doc, Options{Package: "p"}, nil)
	_ = b.run()
	walkSchemas(doc.Root, func(s *jsonschema.Schema) {
		for _, drop := range []bool{false, true} {
			_, _ = b.canonical(s, drop)
		}
	})
	for key, got := range b.canon {
		want, err := canonicalText(key.s, key.dropDoc)
		if err != nil || got != want {
			t.Errorf("%s: canonical text (drop doc %v)\n got %s\nwant %s (%v)", file, key.dropDoc, got, want, err)
		}
	}
	// A schema canonicalText refuses must be refused here too.
	walkSchemas(doc.Root, func(s *jsonschema.Schema) {
		if _, err := canonicalText(s, false); err != nil {
			if _, err := newBuilder(doc, Options{}, nil).canonical(s, false); err == nil {
				t.Errorf("%s: canonical accepts a schema canonicalText refuses", file)
			}
		}
	})
}

// walkSchemas calls f on s and every schema below it.
func walkSchemas(s *jsonschema.Schema, f func(*jsonschema.Schema)) {
	if s == nil {
		return
	}
	f(s)
	for _, c := range []*jsonschema.Schema{s.Items, s.AdditionalProperties, s.PropertyNames, s.Not, s.If, s.Then, s.Else, s.Contains, s.AdditionalItems, s.UnevaluatedItems, s.UnevaluatedProperties, s.ContentSchema} {
		walkSchemas(c, f)
	}
	for _, list := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems, s.ItemsArray} {
		for _, c := range list {
			walkSchemas(c, f)
		}
	}
	for _, m := range []map[string]*jsonschema.Schema{s.Properties, s.Defs, s.Definitions, s.PatternProperties, s.DependentSchemas, s.DependencySchemas} {
		for _, c := range m {
			walkSchemas(c, f)
		}
	}
}

// TestComposedFieldsExist checks that every field composedFields names is a
// field of jsonschema.Schema, so that a rename in jsonschema-go cannot
// leave a keyword out of both lists.
func TestComposedFieldsExist(t *testing.T) {
	typ := reflect.TypeFor[jsonschema.Schema]()
	for name := range composedFields {
		if _, ok := typ.FieldByName(name); !ok {
			t.Errorf("composedFields names %s, which jsonschema.Schema does not have", name)
		}
	}
	if len(otherFields)+len(composedFields) != typ.NumField() {
		t.Errorf("%d fields composed and %d others, of %d", len(composedFields), len(otherFields), typ.NumField())
	}
}
