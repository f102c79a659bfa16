package schema

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/google/jsonschema-go/jsonschema"
)

// schema builds the Schema of an object or boolean node as jsonschema-go
// would decode it. An object with a keyword, or a keyword value of a form,
// that fill does not handle is decoded by jsonschema-go. ok is false when
// the node is not a schema that jsonschema-go accepts.
func (p *jsonParser) schema(n *jsonNode) (*jsonschema.Schema, bool) {
	s := &jsonschema.Schema{}
	switch n.kind {
	case 't':
		return s, true
	case 'f':
		s.Not = &jsonschema.Schema{}
		return s, true
	case '{':
		if p.fill(s, n) {
			return s, true
		}
		*s = jsonschema.Schema{}
		if err := json.Unmarshal(p.data[n.start:n.end], s); err != nil {
			return nil, false
		}
		return s, true
	}
	return nil, false
}

// fill sets the keywords of object node n on s, reporting false if it meets
// one it leaves to jsonschema-go.
func (p *jsonParser) fill(s *jsonschema.Schema, n *jsonNode) bool {
	if hasDuplicates(n.keys) {
		return false
	}
	for i, key := range n.keys {
		if !p.keyword(s, key, n.elems[i]) {
			return false
		}
	}
	return true
}

// keyword sets one keyword.
func (p *jsonParser) keyword(s *jsonschema.Schema, key string, v *jsonNode) bool {
	if dst := stringKeyword(s, key); dst != nil {
		*dst = v.str
		return v.kind == '"'
	}
	if dst := schemaKeyword(s, key); dst != nil {
		c, ok := p.schema(v)
		*dst = c
		return ok
	}
	if dst := schemaListKeyword(s, key); dst != nil {
		var ok bool
		*dst, ok = p.schemaList(v)
		return ok
	}
	if dst := schemaMapKeyword(s, key); dst != nil {
		var ok bool
		*dst, ok = p.schemaMap(v)
		return ok
	}
	if dst := numberKeyword(s, key); dst != nil {
		f, err := strconv.ParseFloat(p.text(v), 64)
		*dst = &f
		return v.kind == '0' && err == nil
	}
	if dst := integerKeyword(s, key); dst != nil {
		var ok bool
		*dst, ok = p.integer(v)
		return ok
	}
	switch key {
	case "type":
		return p.typeKeyword(s, v)
	case "required":
		var ok bool
		s.Required, ok = stringList(v)
		return ok
	case "enum":
		return p.enum(s, v)
	case "const":
		return p.constKeyword(s, v)
	case "deprecated":
		s.Deprecated = v.kind == 't'
		return v.kind == 't' || v.kind == 'f'
	}
	return false
}

func stringKeyword(s *jsonschema.Schema, key string) *string {
	switch key {
	case "$schema":
		return &s.Schema
	case "$id":
		return &s.ID
	case "$ref":
		return &s.Ref
	case "$comment":
		return &s.Comment
	case "title":
		return &s.Title
	case "description":
		return &s.Description
	case "format":
		return &s.Format
	case "pattern":
		return &s.Pattern
	}
	return nil
}

func schemaKeyword(s *jsonschema.Schema, key string) **jsonschema.Schema {
	switch key {
	case "items":
		// An array of schemas is ItemsArray, which is left to jsonschema-go.
		return &s.Items
	case "additionalProperties":
		return &s.AdditionalProperties
	case "propertyNames":
		return &s.PropertyNames
	case "not":
		return &s.Not
	}
	return nil
}

func schemaListKeyword(s *jsonschema.Schema, key string) *[]*jsonschema.Schema {
	switch key {
	case "allOf":
		return &s.AllOf
	case "anyOf":
		return &s.AnyOf
	case "oneOf":
		return &s.OneOf
	}
	return nil
}

func schemaMapKeyword(s *jsonschema.Schema, key string) *map[string]*jsonschema.Schema {
	switch key {
	case "properties":
		return &s.Properties
	case "definitions":
		return &s.Definitions
	case "$defs":
		return &s.Defs
	}
	return nil
}

func numberKeyword(s *jsonschema.Schema, key string) **float64 {
	switch key {
	case "minimum":
		return &s.Minimum
	case "maximum":
		return &s.Maximum
	case "exclusiveMinimum":
		return &s.ExclusiveMinimum
	case "exclusiveMaximum":
		return &s.ExclusiveMaximum
	case "multipleOf":
		return &s.MultipleOf
	}
	return nil
}

func integerKeyword(s *jsonschema.Schema, key string) **int {
	switch key {
	case "minLength":
		return &s.MinLength
	case "maxLength":
		return &s.MaxLength
	case "minItems":
		return &s.MinItems
	case "maxItems":
		return &s.MaxItems
	case "minProperties":
		return &s.MinProperties
	case "maxProperties":
		return &s.MaxProperties
	}
	return nil
}

// text is the node's bytes as written.
func (p *jsonParser) text(v *jsonNode) string { return string(p.data[v.start:v.end]) }

// integer reads a count such as maxItems: a number without a fraction or
// exponent that fits 32 bits (other forms are left to jsonschema-go).
func (p *jsonParser) integer(v *jsonNode) (*int, bool) {
	raw := p.data[v.start:v.end]
	if v.kind != '0' || bytes.ContainsAny(raw, ".eE") {
		return nil, false
	}
	i, err := strconv.ParseInt(string(raw), 10, 32)
	if err != nil {
		return nil, false
	}
	n := int(i)
	return &n, true
}

// typeKeyword reads "type": a name, or a list of names.
func (p *jsonParser) typeKeyword(s *jsonschema.Schema, v *jsonNode) bool {
	switch v.kind {
	case '"':
		s.Type = v.str
		return true
	case '[':
		var ok bool
		s.Types, ok = stringList(v)
		return ok
	}
	return false
}

// stringList reads an array of strings; an empty array is an empty, non-nil
// slice, as encoding/json makes it.
func stringList(v *jsonNode) ([]string, bool) {
	if v.kind != '[' {
		return nil, false
	}
	out := make([]string, 0, len(v.elems))
	for _, e := range v.elems {
		if e.kind != '"' {
			return nil, false
		}
		out = append(out, e.str)
	}
	return out, true
}

// enum reads "enum": strings directly, any other values with encoding/json.
func (p *jsonParser) enum(s *jsonschema.Schema, v *jsonNode) bool {
	if v.kind != '[' {
		return false
	}
	s.Enum = make([]any, 0, len(v.elems))
	for _, e := range v.elems {
		if e.kind != '"' {
			s.Enum = nil
			return json.Unmarshal(p.data[v.start:v.end], &s.Enum) == nil
		}
		s.Enum = append(s.Enum, e.str)
	}
	return true
}

// constKeyword reads "const" as jsonschema-go does: null is a pointer to a
// nil value, anything else is decoded by encoding/json.
func (p *jsonParser) constKeyword(s *jsonschema.Schema, v *jsonNode) bool {
	var c any
	switch v.kind {
	case 'n':
	case '"':
		c = v.str
	default:
		if err := json.Unmarshal(p.data[v.start:v.end], &c); err != nil {
			return false
		}
	}
	s.Const = &c
	return true
}

func (p *jsonParser) schemaList(v *jsonNode) ([]*jsonschema.Schema, bool) {
	if v.kind != '[' {
		return nil, false
	}
	out := make([]*jsonschema.Schema, 0, len(v.elems))
	for _, e := range v.elems {
		s, ok := p.schema(e)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

func (p *jsonParser) schemaMap(v *jsonNode) (map[string]*jsonschema.Schema, bool) {
	if v.kind != '{' || hasDuplicates(v.keys) {
		return nil, false
	}
	out := make(map[string]*jsonschema.Schema, len(v.keys))
	for i, k := range v.keys {
		s, ok := p.schema(v.elems[i])
		if !ok {
			return nil, false
		}
		out[k] = s
	}
	return out, true
}

// hasDuplicates reports whether a key repeats; encoding/json's handling of
// repeated keys is left to it.
func hasDuplicates(keys []string) bool {
	if len(keys) > 8 {
		seen := make(map[string]bool, len(keys))
		for _, k := range keys {
			if seen[k] {
				return true
			}
			seen[k] = true
		}
		return false
	}
	for i, k := range keys {
		for _, prev := range keys[:i] {
			if k == prev {
				return true
			}
		}
	}
	return false
}
