package ir

import (
	"encoding/json"
	"maps"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/google/jsonschema-go/jsonschema"

	"github.com/mcpgen-dev/mcpgen/schema"
)

// canonicalText marshals a schema, decodes it into plain values, drops every
// "$schema" and marshals it again: the text is equal for schemas that mean
// the same Go type. Each level of nesting marshals everything below it
// again, so composeCanonical builds the same text from the texts of the
// schemas inside, which canonical caches.

// canonicalTexts computes the canonical texts of every definition, and so
// of every schema inside one, on one worker per processor: they are most
// of what Build costs, and no definition's texts depend on another's. A
// text that cannot be made is left out, for Build to ask for again and
// report.
func canonicalTexts(doc *schema.Document) map[canonKey]string {
	defs := doc.Definitions
	workers := max(min(runtime.GOMAXPROCS(0), len(defs)), 1)
	caches := make([]map[canonKey]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := &builder{canon: make(map[canonKey]string)}
			for i := w; i < len(defs); i += workers {
				_, _ = b.canonical(defs[i].Schema, true)
			}
			caches[w] = b.canon
		}()
	}
	wg.Wait()
	for _, c := range caches[1:] {
		maps.Copy(caches[0], c)
	}
	return caches[0]
}

// composeCanonical returns canonicalText(s, dropTopDoc), built from the
// cached texts of the schemas s holds. ok is false for a schema with a
// keyword or a value outside the common ones it handles (or one that would
// not marshal): canonical then asks canonicalText.
func (b *builder) composeCanonical(s *jsonschema.Schema, dropTopDoc bool) (string, bool) {
	c := *s
	if dropTopDoc {
		c.Description, c.Title = "", ""
	}
	if !composable(&c) {
		return "", false
	}
	var e entries
	if empty, ok := b.addFields(&e, &c); !ok {
		return "", false
	} else if empty {
		// jsonschema-go marshals {} as true and {"not": {}} as false,
		// before "$schema" is dropped.
		return "true", true
	}
	if e.present == 1 && len(e.list) == 1 && e.list[0].key == "not" && e.list[0].value == "true" {
		return "false", true
	}
	return e.object(), true
}

// entry is one key of a schema object and the canonical text of its value.
type entry struct{ key, value string }

type entries struct {
	list []entry
	// present counts the keys the schema marshals, "$schema" included.
	present int
	ok      bool
}

func (e *entries) add(key, value string) {
	e.present++
	if key != "$schema" {
		e.list = append(e.list, entry{key, value})
	}
}

// object is the canonical text of the entries: keys sorted, as
// encoding/json marshals a map.
func (e *entries) object() string {
	slices.SortFunc(e.list, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	var sb strings.Builder
	sb.WriteByte('{')
	for i, en := range e.list {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(quote(en.key))
		sb.WriteByte(':')
		sb.WriteString(en.value)
	}
	sb.WriteByte('}')
	return sb.String()
}

// addFields adds the keywords c marshals, and reports whether there were
// none at all.
func (b *builder) addFields(e *entries, c *jsonschema.Schema) (empty, ok bool) {
	e.ok = true
	for _, f := range []struct {
		key, value string
	}{
		{"$schema", c.Schema}, {"$id", c.ID}, {"$ref", c.Ref}, {"$comment", c.Comment},
		{"title", c.Title}, {"description", c.Description}, {"format", c.Format}, {"pattern", c.Pattern},
	} {
		if f.value != "" {
			e.add(f.key, e.str(f.value))
		}
	}
	switch {
	case c.Type != "":
		e.add("type", e.str(c.Type))
	case c.Types != nil:
		e.add("type", e.strs(c.Types))
	}
	if len(c.Required) > 0 {
		e.add("required", e.strs(c.Required))
	}
	if c.Properties != nil {
		e.add("properties", b.schemaMap(e, c.Properties))
	}
	for _, f := range []struct {
		key string
		m   map[string]*jsonschema.Schema
	}{{"$defs", c.Defs}, {"definitions", c.Definitions}} {
		if len(f.m) > 0 {
			e.add(f.key, b.schemaMap(e, f.m))
		}
	}
	for _, f := range []struct {
		key string
		s   *jsonschema.Schema
	}{{"items", c.Items}, {"additionalProperties", c.AdditionalProperties}, {"propertyNames", c.PropertyNames}, {"not", c.Not}} {
		if f.s != nil {
			e.add(f.key, b.child(e, f.s))
		}
	}
	for _, f := range []struct {
		key  string
		list []*jsonschema.Schema
	}{{"allOf", c.AllOf}, {"anyOf", c.AnyOf}, {"oneOf", c.OneOf}} {
		if len(f.list) > 0 {
			e.add(f.key, b.schemaList(e, f.list))
		}
	}
	for _, f := range []struct {
		key string
		v   *float64
	}{{"minimum", c.Minimum}, {"maximum", c.Maximum}, {"exclusiveMinimum", c.ExclusiveMinimum}, {"exclusiveMaximum", c.ExclusiveMaximum}, {"multipleOf", c.MultipleOf}} {
		if f.v != nil {
			e.add(f.key, e.number(*f.v))
		}
	}
	for _, f := range []struct {
		key string
		v   *int
	}{{"minLength", c.MinLength}, {"maxLength", c.MaxLength}, {"minItems", c.MinItems}, {"maxItems", c.MaxItems}, {"minProperties", c.MinProperties}, {"maxProperties", c.MaxProperties}} {
		if f.v != nil {
			// Decoded into plain values, every number is a float64.
			e.add(f.key, e.number(float64(*f.v)))
		}
	}
	if len(c.Enum) > 0 {
		e.add("enum", e.values(c.Enum))
	}
	if c.Const != nil {
		e.add("const", e.value(*c.Const))
	}
	if c.Deprecated {
		e.add("deprecated", "true")
	}
	return e.present == 0, e.ok
}

// composable reports whether c uses only the keywords addFields handles,
// with none of the combinations jsonschema-go refuses to marshal.
func composable(c *jsonschema.Schema) bool {
	if c.Type != "" && c.Types != nil || c.Defs != nil && c.Definitions != nil || hasDuplicate(c.PropertyOrder) {
		return false
	}
	v := reflect.ValueOf(c).Elem()
	for _, i := range otherFields {
		if !v.Field(i).IsZero() {
			return false
		}
	}
	return true
}

// composedFields names the fields of jsonschema.Schema that addFields
// handles, and PropertyOrder, which marshalling leaves out.
var composedFields = map[string]bool{
	"Schema": true, "ID": true, "Ref": true, "Comment": true,
	"Title": true, "Description": true, "Format": true, "Pattern": true,
	"Type": true, "Types": true, "Required": true,
	"Properties": true, "Defs": true, "Definitions": true,
	"Items": true, "AdditionalProperties": true, "PropertyNames": true, "Not": true,
	"AllOf": true, "AnyOf": true, "OneOf": true,
	"Minimum": true, "Maximum": true, "ExclusiveMinimum": true, "ExclusiveMaximum": true, "MultipleOf": true,
	"MinLength": true, "MaxLength": true, "MinItems": true, "MaxItems": true, "MinProperties": true, "MaxProperties": true,
	"Enum": true, "Const": true, "Deprecated": true, "PropertyOrder": true,
}

// otherFields are the indexes of the fields of jsonschema.Schema that
// composedFields does not name.
var otherFields = func() []int {
	var idx []int
	t := reflect.TypeFor[jsonschema.Schema]()
	for i := range t.NumField() {
		if !composedFields[t.Field(i).Name] {
			idx = append(idx, i)
		}
	}
	return idx
}()

func hasDuplicate(list []string) bool {
	for i, s := range list {
		if slices.Contains(list[:i], s) {
			return true
		}
	}
	return false
}

// child is the canonical text of a schema inside another. Its PropertyOrder
// is not cleared as the top one's is, so a duplicate there, which
// jsonschema-go refuses to marshal, is left to canonicalText.
func (b *builder) child(e *entries, s *jsonschema.Schema) string {
	if s == nil || hasDuplicate(s.PropertyOrder) {
		e.ok = false
		return ""
	}
	text, err := b.canonical(s, false)
	if err != nil {
		e.ok = false
	}
	return text
}

func (b *builder) schemaList(e *entries, list []*jsonschema.Schema) string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i, s := range list {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(b.child(e, s))
	}
	sb.WriteByte(']')
	return sb.String()
}

// schemaMap is the text of properties or definitions; a key "$schema" is
// dropped there too.
func (b *builder) schemaMap(e *entries, m map[string]*jsonschema.Schema) string {
	var inner entries
	for k, s := range m {
		if !utf8.ValidString(k) {
			e.ok = false
		}
		inner.add(k, b.child(e, s))
	}
	return inner.object()
}

// str is the text of a string. A string that is not UTF-8 is left to
// canonicalText, since marshalling it twice is not marshalling it once.
func (e *entries) str(s string) string {
	if !utf8.ValidString(s) {
		e.ok = false
	}
	return quote(s)
}

func (e *entries) strs(list []string) string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i, s := range list {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(e.str(s))
	}
	sb.WriteByte(']')
	return sb.String()
}

func (e *entries) number(f float64) string {
	data, err := json.Marshal(f)
	if err != nil {
		e.ok = false
	}
	return string(data)
}

// values is the text of enum values: strings only; others are left to
// canonicalText.
func (e *entries) values(list []any) string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i, v := range list {
		if i > 0 {
			sb.WriteByte(',')
		}
		s, ok := v.(string)
		if !ok {
			e.ok = false
		}
		sb.WriteString(e.str(s))
	}
	sb.WriteByte(']')
	return sb.String()
}

// value is the text of a const: a string, number, boolean or null.
func (e *entries) value(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return e.str(v)
	case float64:
		return e.number(v)
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	e.ok = false
	return ""
}

// quote marshals a string as encoding/json does.
func quote(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			data, _ := json.Marshal(s)
			return string(data)
		}
	}
	return `"` + s + `"`
}
