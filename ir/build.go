package ir

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"

	"github.com/mcpgen-dev/mcpgen/schema"
)

// Options adjust how a package is built.
type Options struct {
	// Package is the Go package name.
	Package string
	// Revision names the schema revision, when known.
	Revision string
	// Lifecycle and Protocol, when set, add task bindings: lifecycle
	// tables, method constants, handlers and dispatchers.
	Lifecycle *schema.Lifecycle
	Protocol  *schema.Protocol
}

// Build turns a loaded document into a Package.
//
// Inline schemas that occur more than once (the same `_meta` object in every
// params type, the same content union in two results) become one Go type.
// Its name comes from the shortest of the places it occurs, which needs the
// whole document: so Build runs twice, the first time only to collect
// candidate names.
func Build(doc *schema.Document, opts Options) (*Package, error) {
	survey := newBuilder(doc, opts, nil)
	survey.canon = canonicalTexts(doc)
	if err := survey.run(); err != nil {
		return nil, err
	}
	b := newBuilder(doc, opts, survey.candidates)
	b.canon = survey.canon
	if err := b.run(); err != nil {
		return nil, err
	}
	if opts.Lifecycle != nil {
		l, err := b.checkLifecycle(opts.Lifecycle)
		if err != nil {
			return nil, err
		}
		b.pkg.Lifecycle = l
	}
	if opts.Protocol != nil {
		p, err := b.checkProtocol(opts.Protocol)
		if err != nil {
			return nil, err
		}
		b.pkg.Protocol = p
	}
	if err := b.checkBindingNames(); err != nil {
		return nil, err
	}
	tidyDocs(b.pkg)
	return b.pkg, nil
}

// reservedNames are exported names every generated package declares.
var reservedNames = []string{"DecodeError", "NewDefinition", "UnmarshalDefinition"}

type builder struct {
	opts Options
	doc  *schema.Document
	pkg  *Package
	defs map[string]*Decl // definition name → declaration
	// shapes maps the canonical text of an inline schema to its declaration.
	shapes map[string]*Decl
	// defShapes maps the canonical text of a definition to its declaration,
	// so an inline copy of a definition (as the Zod-emitted extension
	// schema makes) reuses the definition's type.
	defShapes map[string]*Decl
	used      map[string]bool
	// candidates collects, per canonical text, the best name seen; preferred
	// holds the first pass's result.
	candidates map[string]string
	preferred  map[string]string
	// pending lists inline declarations introduced while building the
	// current definition, to be placed after it.
	pending []*Decl
	depth   int
	// origin remembers where allOf members sit in the file, for key order.
	origin map[*jsonschema.Schema]string
	// merging and flattening hold the allOf and union schemas being worked
	// on, to refuse schemas that contain themselves.
	merging, flattening map[*jsonschema.Schema]bool
	// canon caches canonical texts, which both passes ask for often.
	canon map[canonKey]string
}

func newBuilder(doc *schema.Document, opts Options, preferred map[string]string) *builder {
	return &builder{
		opts: opts,
		doc:  doc,
		pkg: &Package{
			Name: opts.Package,
			Source: Source{
				File:     doc.Path,
				Revision: opts.Revision,
				SHA256:   doc.SHA256,
				Draft:    string(doc.Draft),
				ID:       doc.Root.ID,
			},
		},
		defs:       make(map[string]*Decl),
		shapes:     make(map[string]*Decl),
		defShapes:  make(map[string]*Decl),
		used:       make(map[string]bool),
		candidates: make(map[string]string),
		preferred:  preferred,
		origin:     make(map[*jsonschema.Schema]string),
		merging:    make(map[*jsonschema.Schema]bool),
		flattening: make(map[*jsonschema.Schema]bool),
		canon:      make(map[canonKey]string),
	}
}

func (b *builder) errorf(ptr, format string, args ...any) error {
	return b.doc.Errorf(ptr, format, args...)
}

func (b *builder) run() error {
	// Names the generated package declares besides the types.
	for _, n := range reservedNames {
		b.used[n] = true
	}
	// Reserve every definition's name first: definitions own their names,
	// inline types take what is left.
	owner := map[string]string{} // Go name → the definition that has it
	for _, def := range b.doc.Definitions {
		name := TypeName(def.Name)
		if name == "" {
			name = FallbackName(def.Name)
			b.pkg.Renames = append(b.pkg.Renames, Rename{Pointer: def.Pointer, Wanted: "", Got: name,
				Reason: fmt.Sprintf("definition name %q has no ASCII letter or digit to make a Go name from", def.Name)})
		}
		if b.used[name] {
			wanted := name
			for i := 2; b.used[name]; i++ {
				name = wanted + strconv.Itoa(i)
			}
			by := "the generated package"
			if other, ok := owner[wanted]; ok {
				by = fmt.Sprintf("definition %q", other)
			}
			b.pkg.Renames = append(b.pkg.Renames, Rename{Pointer: def.Pointer, Wanted: wanted, Got: name,
				Reason: fmt.Sprintf("definition %q would be named %s, which %s already uses", def.Name, wanted, by)})
		}
		b.used[name] = true
		owner[name] = def.Name
		d := &Decl{Name: name, Pointer: def.Pointer, Definition: def.Name, Doc: def.Schema.Description}
		b.defs[def.Name] = d
	}
	for _, def := range b.doc.Definitions {
		key, err := b.canonical(def.Schema, true)
		if err != nil {
			return b.errorf(def.Pointer, "%v", err)
		}
		if _, dup := b.defShapes[key]; !dup {
			b.defShapes[key] = b.defs[def.Name]
		}
	}
	for _, def := range b.doc.Definitions {
		d := b.defs[def.Name]
		b.pending = nil
		if err := b.defineDecl(d, def.Schema, def.Pointer); err != nil {
			return err
		}
		b.pkg.Decls = append(b.pkg.Decls, d)
		b.pkg.Decls = append(b.pkg.Decls, b.pending...)
	}
	return nil
}

// defineDecl fills in a definition's declaration from its schema.
func (b *builder) defineDecl(d *Decl, s *jsonschema.Schema, ptr string) error {
	f, err := b.analyze(s, ptr)
	if err != nil {
		return err
	}
	switch f.kind {
	case fRef:
		// A chain of definitions that only refer to each other must end
		// in one that defines a type.
		if _, _, err := b.resolveRefs(s, ptr); err != nil {
			return err
		}
		d.Kind = Alias
		d.Target = f.ref
		return nil
	case fStruct, fEnum, fUnion, fMulti:
		return b.fillDecl(d, f)
	}
	t, err := b.plainType(f, d.Name)
	if err != nil {
		return err
	}
	d.Kind = Named
	d.Underlying = t
	return nil
}

// formKind classifies a schema after allOf merging and null stripping.
type formKind int

const (
	fAny formKind = iota
	fString
	fInteger
	fNumber
	fBoolean
	fList
	fMap
	fRef
	fStruct
	fEnum
	fUnion
	fMulti
)

type form struct {
	kind     formKind
	nullable bool
	s        *jsonschema.Schema // the schema after allOf merging
	ptr      string
	ref      *Decl
	variants []*jsonschema.Schema
	varPtrs  []string
	oneOf    bool
	values   []string // enum values
	docs     []string // enum value docs
	open     bool
	kinds    []Kind // multi
}

// annotations are the schema keywords that describe a value without
// constraining it.
var annotations = map[string]bool{
	"Description": true, "Title": true, "Schema": true, "Comment": true, "Examples": true,
	"Default": true, "Deprecated": true, "ID": true, "ReadOnly": true, "WriteOnly": true,
	"PropertyOrder": true, "Defs": true, "Definitions": true, "Anchor": true,
	"DynamicAnchor": true, "Vocabulary": true,
}

var schemaFields = func() []int {
	var idx []int
	t := reflect.TypeFor[jsonschema.Schema]()
	for i := 0; i < t.NumField(); i++ {
		if !annotations[t.Field(i).Name] {
			idx = append(idx, i)
		}
	}
	return idx
}()

// hasKeywords reports whether s constrains values at all: {} and true
// accept anything, whatever annotations they carry.
func hasKeywords(s *jsonschema.Schema) bool {
	v := reflect.ValueOf(s).Elem()
	for _, i := range schemaFields {
		if !v.Field(i).IsZero() {
			return true
		}
	}
	return false
}

// analyze classifies s.
func (b *builder) analyze(s *jsonschema.Schema, ptr string) (*form, error) {
	b.depth++
	defer func() { b.depth-- }()
	if b.depth > 64 {
		return nil, b.errorf(ptr, "schema nests more than 64 levels of allOf, anyOf or $ref")
	}
	if s == nil || !hasKeywords(s) {
		return &form{kind: fAny, s: s, ptr: ptr}, nil
	}
	if err := b.unsupported(s, ptr); err != nil {
		return nil, err
	}
	if isFalse(s.UnevaluatedProperties) && len(s.AllOf) == 0 {
		// Without allOf (mergeAllOf closes a combination itself), every
		// property this schema names is evaluated: no other may come.
		c := *s
		c.UnevaluatedProperties = nil
		if c.AdditionalProperties == nil {
			c.AdditionalProperties = &jsonschema.Schema{Not: &jsonschema.Schema{}}
		}
		if p, ok := b.origin[s]; ok {
			b.origin[&c] = p
		}
		s = &c
	}
	if s.Ref != "" {
		def, err := b.doc.Lookup(s.Ref)
		if err != nil {
			return nil, b.errorf(ptr+"/$ref", "%v", err)
		}
		return &form{kind: fRef, s: s, ptr: ptr, ref: b.defs[def.Name]}, nil
	}
	if len(s.AllOf) > 0 {
		merged, err := b.mergeAllOf(s, ptr)
		if err != nil {
			return nil, err
		}
		return b.analyze(merged, ptr)
	}
	if len(s.AnyOf) > 0 || len(s.OneOf) > 0 {
		return b.analyzeUnion(s, ptr)
	}
	if len(s.Enum) > 0 {
		f := &form{kind: fEnum, s: s, ptr: ptr}
		for i, v := range s.Enum {
			str, ok := v.(string)
			if !ok {
				if v == nil {
					f.nullable = true
					continue
				}
				return nil, b.errorf(fmt.Sprintf("%s/enum/%d", ptr, i), "enum value %v is not a string; only string enums are supported", v)
			}
			f.values = append(f.values, str)
			f.docs = append(f.docs, "")
		}
		return f, nil
	}
	if s.Const != nil {
		str, ok := (*s.Const).(string)
		if !ok {
			return nil, b.errorf(ptr+"/const", "a const outside an object property must be a string")
		}
		return &form{kind: fEnum, s: s, ptr: ptr, values: []string{str}, docs: []string{""}}, nil
	}
	types := s.Types
	if s.Type != "" {
		types = []string{s.Type}
	}
	nullable := false
	var kinds []Kind
	for _, t := range types {
		if t == "null" {
			nullable = true
			continue
		}
		k, err := kindOf(t)
		if err != nil {
			return nil, b.errorf(ptr+"/type", "%v", err)
		}
		kinds = append(kinds, k)
	}
	if len(types) == 0 && (len(s.Properties) > 0 || s.AdditionalProperties != nil) {
		kinds = []Kind{KindObject}
	}
	if len(types) == 0 && s.Items != nil {
		kinds = []Kind{KindArray}
	}
	f := &form{s: s, ptr: ptr, nullable: nullable}
	switch {
	case len(kinds) == 0:
		if nullable {
			return nil, b.errorf(ptr+"/type", "a schema that only allows null has no Go type")
		}
		f.kind = fAny
	case len(kinds) > 1:
		for _, k := range kinds {
			if k == KindObject || k == KindArray {
				return nil, b.errorf(ptr+"/type", "a type list with %s is not supported; use anyOf", k)
			}
		}
		f.kind, f.kinds = fMulti, kinds
	default:
		switch kinds[0] {
		case KindString, KindInteger, KindNumber, KindBoolean:
			f.kind = scalarForm(kinds[0])
		case KindArray:
			f.kind = fList
		case KindObject:
			if len(s.Properties) == 0 && !isFalse(s.AdditionalProperties) {
				f.kind = fMap
			} else {
				f.kind = fStruct
			}
		}
	}
	return f, nil
}

func kindOf(t string) (Kind, error) {
	switch t {
	case "string":
		return KindString, nil
	case "integer":
		return KindInteger, nil
	case "number":
		return KindNumber, nil
	case "boolean":
		return KindBoolean, nil
	case "object":
		return KindObject, nil
	case "array":
		return KindArray, nil
	}
	return 0, fmt.Errorf("unknown type %q", t)
}

// unsupported reports keywords whose meaning mcpgen cannot carry into Go
// types; dropping them silently would accept or reject the wrong values.
func (b *builder) unsupported(s *jsonschema.Schema, ptr string) error {
	switch {
	case s.If != nil || s.Then != nil || s.Else != nil:
		return b.errorf(ptr, "if/then/else is not supported")
	case len(s.PatternProperties) > 0:
		return b.errorf(ptr+"/patternProperties", "patternProperties is not supported")
	case len(s.DependentSchemas) > 0 || len(s.DependencySchemas) > 0:
		return b.errorf(ptr, "dependentSchemas is not supported")
	case s.DynamicRef != "":
		return b.errorf(ptr+"/$dynamicRef", "$dynamicRef is not supported")
	case s.Not != nil && hasKeywords(s.Not):
		return b.errorf(ptr+"/not", "not is supported only as {\"not\": {}}")
	case isFalse(s):
		return b.errorf(ptr, "the false schema accepts no value; it is supported only as additionalProperties")
	case s.UnevaluatedProperties != nil && hasKeywords(s.UnevaluatedProperties) && !isFalse(s.UnevaluatedProperties):
		return b.errorf(ptr+"/unevaluatedProperties", "unevaluatedProperties is supported only as false")
	case isFalse(s.UnevaluatedProperties) && (len(s.AnyOf) > 0 || len(s.OneOf) > 0):
		return b.errorf(ptr+"/unevaluatedProperties", "unevaluatedProperties: false beside anyOf or oneOf is not supported")
	case s.UnevaluatedItems != nil && hasKeywords(s.UnevaluatedItems):
		return b.errorf(ptr+"/unevaluatedItems", "unevaluatedItems is not supported")
	case s.PropertyNames != nil && !acceptsAnyString(s.PropertyNames):
		return b.errorf(ptr+"/propertyNames", "propertyNames is supported only when it accepts every string")
	case s.MinProperties != nil || s.MaxProperties != nil:
		return b.errorf(ptr, "minProperties and maxProperties are not supported")
	case len(s.PrefixItems) > 0:
		return b.errorf(ptr+"/prefixItems", "prefixItems (tuples) is not supported")
	case len(s.ItemsArray) > 0:
		return b.errorf(ptr+"/items", "items as a list (tuples) is not supported")
	case s.Items != nil && isFalse(s.Items):
		return b.errorf(ptr+"/items", "items: false (an array that must be empty) is not supported")
	case s.AdditionalItems != nil && hasKeywords(s.AdditionalItems):
		return b.errorf(ptr+"/additionalItems", "additionalItems is not supported")
	case s.Contains != nil || s.MinContains != nil || s.MaxContains != nil:
		return b.errorf(ptr+"/contains", "contains is not supported")
	case len(s.DependentRequired) > 0 || len(s.DependencyStrings) > 0:
		return b.errorf(ptr, "dependentRequired is not supported")
	}
	return nil
}

// acceptsAnyString reports whether s accepts every string: {}, true, or
// {"type": "string"} (every property name is a string).
func acceptsAnyString(s *jsonschema.Schema) bool {
	if !hasKeywords(s) {
		return true
	}
	c := *s
	if c.Type == "string" {
		c.Type = ""
	}
	return !hasKeywords(&c)
}

// isFalse reports whether s accepts nothing: false, or {"not": {}}.
func isFalse(s *jsonschema.Schema) bool {
	if s == nil || s.Not == nil || hasKeywords(s.Not) {
		return false
	}
	c := *s
	c.Not = nil
	return !hasKeywords(&c)
}

func isNullSchema(s *jsonschema.Schema) bool {
	return s != nil && s.Type == "null" && s.Ref == "" && len(s.AnyOf) == 0
}

func (b *builder) analyzeUnion(s *jsonschema.Schema, ptr string) (*form, error) {
	alts, kw := s.AnyOf, "anyOf"
	if len(alts) == 0 {
		alts, kw = s.OneOf, "oneOf"
	} else if len(s.OneOf) > 0 {
		return nil, b.errorf(ptr, "anyOf and oneOf together are not supported")
	}
	f := &form{kind: fUnion, s: s, ptr: ptr, oneOf: kw == "oneOf"}
	for i, alt := range alts {
		aptr := fmt.Sprintf("%s/%s/%d", ptr, kw, i)
		if isNullSchema(alt) {
			f.nullable = true
			continue
		}
		f.variants = append(f.variants, alt)
		f.varPtrs = append(f.varPtrs, aptr)
	}
	if len(f.variants) == 0 {
		return nil, b.errorf(ptr, "%s allows only null", kw)
	}
	// anyOf of string consts (the Zod form of an enum), optionally with a
	// plain string that leaves the enum open.
	if values, docs, open, ok := constStrings(f.variants); ok {
		f.kind, f.values, f.docs, f.open = fEnum, values, docs, open
		return f, nil
	}
	if len(f.variants) == 1 {
		inner, err := b.analyze(f.variants[0], f.varPtrs[0])
		if err != nil {
			return nil, err
		}
		inner.nullable = inner.nullable || f.nullable
		return inner, nil
	}
	return f, nil
}

func constStrings(alts []*jsonschema.Schema) (values, docs []string, open, ok bool) {
	for _, a := range alts {
		if a.Const != nil {
			str, isStr := (*a.Const).(string)
			if !isStr || (a.Type != "" && a.Type != "string") {
				return nil, nil, false, false
			}
			values = append(values, str)
			docs = append(docs, a.Description)
			continue
		}
		c := *a
		c.Description = ""
		if c.Type == "string" && !hasKeywords(&jsonschema.Schema{Types: c.Types, Enum: c.Enum, Format: "", Pattern: c.Pattern, MinLength: c.MinLength, MaxLength: c.MaxLength}) {
			open = true
			continue
		}
		return nil, nil, false, false
	}
	return values, docs, open, len(values) > 0
}

// plainType builds the Type of a form that needs no declaration of its own.
func (b *builder) plainType(f *form, name string) (*Type, error) {
	t := &Type{Nullable: f.nullable}
	switch f.kind {
	case fAny:
		t.Kind = TAny
		// A schema with keywords but no type (say {"minLength": 3}) is
		// constrained, and counted as a loss of type.
		b.pkg.AnyUses = append(b.pkg.AnyUses, AnyUse{Pointer: f.ptr, Unconstrained: f.s == nil || !hasKeywords(f.s)})
	case fString:
		t.Kind = TString
	case fInteger:
		t.Kind = TInteger
	case fNumber:
		t.Kind = TNumber
	case fBoolean:
		t.Kind = TBoolean
	case fRef:
		t.Kind = TRef
		t.Decl = f.ref
	case fList:
		t.Kind = TList
		elem, err := b.typeOf(f.s.Items, f.ptr+"/items", name+"Item")
		if err != nil {
			return nil, err
		}
		t.Elem = elem
	case fMap:
		t.Kind = TMap
		var ap *jsonschema.Schema
		if f.s != nil {
			ap = f.s.AdditionalProperties
		}
		elem, err := b.typeOf(ap, f.ptr+"/additionalProperties", name+"Value")
		if err != nil {
			return nil, err
		}
		t.Elem = elem
	default:
		return nil, b.errorf(f.ptr, "internal: form %d needs a declaration", f.kind)
	}
	return t, nil
}

// typeOf returns the Go type for an inline schema, declaring a new type
// named after name when the schema needs one.
func (b *builder) typeOf(s *jsonschema.Schema, ptr, name string) (*Type, error) {
	f, err := b.analyze(s, ptr)
	if err != nil {
		return nil, err
	}
	switch f.kind {
	case fStruct, fEnum, fUnion, fMulti:
		// An inline copy of a definition, before any allOf merging, is
		// that definition.
		if key, err := b.canonical(s, true); err == nil && !f.nullable {
			if d, ok := b.defShapes[key]; ok && paramsMatch(name, d) {
				return &Type{Kind: TRef, Decl: d}, nil
			}
		}
		d, err := b.inlineDecl(f, name)
		if err != nil {
			return nil, err
		}
		return &Type{Kind: TRef, Decl: d, Nullable: f.nullable}, nil
	}
	return b.plainType(f, name)
}

// inlineDecl returns the declaration for an inline schema that needs one,
// reusing an earlier declaration of the same shape.
func (b *builder) inlineDecl(f *form, name string) (*Decl, error) {
	key, err := b.canonical(f.s, true)
	if err != nil {
		return nil, b.errorf(f.ptr, "%v", err)
	}
	if d, ok := b.defShapes[key]; ok && !f.nullable && paramsMatch(name, d) {
		return d, nil
	}
	key = shareKey(key, f, name)
	if cur, ok := b.candidates[key]; !ok || betterName(name, cur) {
		b.candidates[key] = name
	}
	if d, ok := b.shapes[key]; ok {
		return d, nil
	}
	if p, ok := b.preferred[key]; ok {
		name = p
	}
	d := &Decl{Name: b.unique(name, f.ptr), Pointer: f.ptr, Doc: f.s.Description}
	b.shapes[key] = d
	b.pending = append(b.pending, d)
	if err := b.fillDecl(d, f); err != nil {
		return nil, err
	}
	return d, nil
}

// shareKey narrows which identical inline schemas share one Go type: only
// those under properties of the same name (every `_meta`, every `content`,
// but not inputSchema and outputSchema), and never request or notification
// params, which each name their own type because handler signatures show
// them.
func shareKey(canonical string, f *form, name string) string {
	key := canonical
	if f.nullable {
		key = "nullable:" + key
	}
	if i := strings.LastIndex(f.ptr, "/properties/"); i >= 0 {
		prop, _, _ := strings.Cut(f.ptr[i+len("/properties/"):], "/")
		key = prop + "|" + key
	}
	if strings.HasSuffix(name, "Params") {
		key = name + "|" + key
	}
	return key
}

// paramsMatch keeps params types apart from look-alike definitions: the
// params of a notification that happen to have Result's shape are not a
// Result.
func paramsMatch(name string, d *Decl) bool {
	return !strings.HasSuffix(name, "Params") || strings.HasSuffix(d.Name, "Params")
}

// reservedField reports whether a field of d may not be called name,
// because d has (or, with task bindings, will have) a method of that name.
func (b *builder) reservedField(d *Decl, name string) bool {
	switch name {
	case "MarshalJSON", "UnmarshalJSON":
		return true
	}
	def := d.Definition
	if def == "" {
		return false
	}
	if l := b.opts.Lifecycle; l != nil && def == l.TaskType && name == "MoveTo" {
		return true
	}
	if p := b.opts.Protocol; p != nil {
		if def == "Error" && name == "Error" {
			return true
		}
		for _, side := range p.Sides {
			if def == side.Capabilities && (name == "TaskAugmentable" || name == "SupportsTaskList" || name == "SupportsTaskCancel") {
				return true
			}
		}
	}
	return false
}

func describeOwner(prev string) string {
	if prev == "a method of the type" {
		return prev
	}
	return fmt.Sprintf("property %q", prev)
}

func betterName(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// unique returns name, or name with a number appended if it is taken.
func (b *builder) unique(name, ptr string) string {
	name = BoundName(name)
	if !b.used[name] {
		b.used[name] = true
		return name
	}
	for i := 2; ; i++ {
		n := name + strconv.Itoa(i)
		if !b.used[n] {
			b.used[n] = true
			b.pkg.Renames = append(b.pkg.Renames, Rename{Pointer: ptr, Wanted: name, Got: n, Reason: fmt.Sprintf("the type for this schema would be named %s, which another type has", name)})
			return n
		}
	}
}

// fillDecl completes a declaration of kind struct, enum, union or multi.
func (b *builder) fillDecl(d *Decl, f *form) error {
	switch f.kind {
	case fStruct:
		d.Kind = Struct
		return b.fillStruct(d, f.s, f.ptr)
	case fEnum:
		d.Kind = Enum
		d.Open = f.open
		seen := map[string]string{} // value → its constant
		for i, v := range f.values {
			if first, dup := seen[v]; dup {
				// An enum is a set: a repeat adds nothing, and would be a
				// second case of one value.
				b.pkg.Renames = append(b.pkg.Renames, Rename{Pointer: f.ptr, Wanted: first, Got: first,
					Reason: fmt.Sprintf("the value %q is listed again, and the repeat is left out", v)})
				continue
			}
			n := d.Name + ConstName(v)
			for j := 2; b.used[n]; j++ {
				n = d.Name + ConstName(v) + strconv.Itoa(j)
			}
			if n != d.Name+ConstName(v) {
				b.pkg.Renames = append(b.pkg.Renames, Rename{Pointer: f.ptr, Wanted: d.Name + ConstName(v), Got: n,
					Reason: fmt.Sprintf("the constant for %q would take a name already in use", v)})
			}
			b.used[n] = true
			seen[v] = n
			d.Values = append(d.Values, EnumValue{Name: n, Value: v, Doc: f.docs[i]})
		}
		return nil
	case fMulti:
		d.Kind = Multi
		d.Kinds = f.kinds
		for _, k := range f.kinds {
			n := d.Name + "From" + GoName(k.String())
			if b.used[n] {
				return b.errorf(f.ptr, "the constructor %s would take a name already in use", n)
			}
			b.used[n] = true
		}
		return nil
	case fUnion:
		d.Kind = Union
		d.Exclusive = f.oneOf
		return b.fillUnion(d, f)
	}
	return b.errorf(f.ptr, "internal: form %d has no declaration", f.kind)
}

func (b *builder) propertyOrder(s *jsonschema.Schema, ptr string) []string {
	if len(s.PropertyOrder) > 0 {
		return s.PropertyOrder
	}
	return b.doc.Keys(ptr+"/properties", s.Properties)
}

func (b *builder) fillStruct(d *Decl, s *jsonschema.Schema, ptr string) error {
	required := map[string]bool{}
	for _, r := range s.Required {
		if _, ok := s.Properties[r]; !ok {
			return b.errorf(ptr+"/required", "required property %q is not among the properties", r)
		}
		required[r] = true
	}
	goNames := map[string]string{}
	for _, name := range b.propertyOrder(s, ptr) {
		ps := s.Properties[name]
		pptr := ptr + "/properties/" + schema.EscapePointer(name)
		goName := GoName(name)
		if goName == "" {
			goName = FallbackName(name)
			b.pkg.Renames = append(b.pkg.Renames, Rename{Pointer: pptr, Wanted: "", Got: goName,
				Reason: fmt.Sprintf("property name %q has no ASCII letter or digit to make a Go field name from", name)})
		}
		prev, taken := goNames[goName]
		if !taken && b.reservedField(d, goName) {
			taken, prev = true, "a method of the type"
		}
		if taken {
			wanted := goName
			for i := 2; ; i++ {
				n := wanted + strconv.Itoa(i)
				if _, t := goNames[n]; !t && !b.reservedField(d, n) {
					goName = n
					break
				}
			}
			b.pkg.Renames = append(b.pkg.Renames, Rename{Pointer: pptr, Wanted: wanted, Got: goName,
				Reason: fmt.Sprintf("property %q would be field %s, which %s already has", name, wanted, describeOwner(prev))})
		}
		goNames[goName] = name
		field := &Field{Name: goName, JSONName: name, Required: required[name], Doc: ps.Description}
		if c, ok, err := b.constOf(ps, pptr); err != nil {
			return err
		} else if ok {
			field.Const = c
		} else {
			t, err := b.typeOf(ps, pptr, d.Name+goName)
			if err != nil {
				return err
			}
			field.Type = t
			if field.Doc == "" && t.Kind == TRef && ps.Ref != "" {
				field.Doc = ""
			}
		}
		d.Fields = append(d.Fields, field)
	}
	switch ap := s.AdditionalProperties; {
	case ap == nil:
	case isFalse(ap):
		d.Closed = true
	default:
		if _, taken := goNames["AdditionalProperties"]; taken {
			return b.errorf(ptr+"/properties/additionalProperties", "a property named additionalProperties collides with the field that keeps unknown properties")
		}
		t, err := b.typeOf(ap, ptr+"/additionalProperties", d.Name+"Value")
		if err != nil {
			return err
		}
		d.Extra = t
	}
	return nil
}

// constOf reports the JSON text of a property fixed to one value.
func (b *builder) constOf(s *jsonschema.Schema, ptr string) (string, bool, error) {
	if s == nil {
		return "", false, nil
	}
	var v any
	switch {
	case s.Const != nil:
		v = *s.Const
	case len(s.AllOf) > 0:
		return "", false, nil
	default:
		return "", false, nil
	}
	switch v.(type) {
	case string, float64, bool:
	default:
		return "", false, b.errorf(ptr+"/const", "const must be a string, number or boolean")
	}
	data, err := json.Marshal(v)
	if err != nil {
		return "", false, b.errorf(ptr+"/const", "%v", err)
	}
	return string(data), true, nil
}

// canonical returns a text that is equal for schemas that mean the same Go
// type: annotations at the top and every $schema are left out.
func (b *builder) canonical(s *jsonschema.Schema, dropTopDoc bool) (string, error) {
	if s == nil {
		return "{}", nil
	}
	key := canonKey{s, dropTopDoc}
	if c, ok := b.canon[key]; ok {
		return c, nil
	}
	c, ok := b.composeCanonical(s, dropTopDoc)
	var err error
	if !ok {
		c, err = canonicalText(s, dropTopDoc)
	}
	if err == nil {
		b.canon[key] = c
	}
	return c, err
}

type canonKey struct {
	s       *jsonschema.Schema
	dropDoc bool
}

func canonicalText(s *jsonschema.Schema, dropTopDoc bool) (string, error) {
	c := *s
	if dropTopDoc {
		c.Description, c.Title = "", ""
	}
	c.PropertyOrder = nil
	data, err := json.Marshal(&c)
	if err != nil {
		return "", err
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return "", err
	}
	stripSchemaKeyword(v)
	out, err := json.Marshal(v)
	return string(out), err
}

func stripSchemaKeyword(v any) {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "$schema")
		for _, e := range x {
			stripSchemaKeyword(e)
		}
	case []any:
		for _, e := range x {
			stripSchemaKeyword(e)
		}
	}
}

// resolveRefs follows $ref chains to the schema that defines a type.
func (b *builder) resolveRefs(s *jsonschema.Schema, ptr string) (*jsonschema.Schema, string, error) {
	start := ptr
	for i := 0; s != nil && s.Ref != ""; i++ {
		if i > 64 {
			return nil, "", b.errorf(start, "$ref cycle (or a chain longer than 64): the definitions only refer to each other and define no type")
		}
		def, err := b.doc.Lookup(s.Ref)
		if err != nil {
			return nil, "", b.errorf(ptr+"/$ref", "%v", err)
		}
		s, ptr = def.Schema, def.Pointer
	}
	return s, ptr, nil
}

// mergeAllOf flattens an allOf into one schema. A member that is a union is
// distributed: A ∧ (B ∨ C) becomes (A ∧ B) ∨ (A ∧ C).
func (b *builder) mergeAllOf(s *jsonschema.Schema, ptr string) (*jsonschema.Schema, error) {
	if b.merging[s] {
		return nil, b.errorf(ptr, "allOf refers back to itself; the type would contain itself")
	}
	if len(b.merging) > 64 {
		return nil, b.errorf(ptr, "allOf nests more than 64 levels")
	}
	b.merging[s] = true
	defer delete(b.merging, s)
	own := *s
	own.AllOf = nil
	members := []*jsonschema.Schema{}
	if hasKeywords(&own) {
		members = append(members, &own)
		b.origin[&own] = ptr
	}
	for i, m := range s.AllOf {
		mptr := fmt.Sprintf("%s/allOf/%d", ptr, i)
		r, rptr, err := b.resolveRefs(m, mptr)
		if err != nil {
			return nil, err
		}
		if err := b.mergeable(r, rptr); err != nil {
			return nil, err
		}
		if len(r.AllOf) > 0 {
			b.depth++
			r, err = b.mergeAllOf(r, rptr)
			b.depth--
			if err != nil {
				return nil, err
			}
		}
		if _, ok := b.origin[r]; !ok {
			b.origin[r] = rptr
		}
		members = append(members, r)
	}
	for i, m := range members {
		alts := m.AnyOf
		if len(alts) == 0 {
			alts = m.OneOf
		}
		if len(alts) == 0 {
			continue
		}
		rest := slices.Concat(members[:i], members[i+1:])
		out := &jsonschema.Schema{Description: s.Description}
		kw := "anyOf"
		if len(m.AnyOf) == 0 {
			kw = "oneOf"
		}
		for j, alt := range alts {
			if mp, ok := b.origin[m]; ok {
				if _, known := b.origin[alt]; !known {
					b.origin[alt] = fmt.Sprintf("%s/%s/%d", mp, kw, j)
				}
			}
			if isNullSchema(alt) {
				out.AnyOf = append(out.AnyOf, alt)
				continue
			}
			merged, err := b.mergeAllOf(&jsonschema.Schema{AllOf: append(slices.Clone(rest), alt)}, ptr)
			if err != nil {
				return nil, err
			}
			out.AnyOf = append(out.AnyOf, merged)
		}
		if len(m.OneOf) > 0 {
			out.OneOf, out.AnyOf = out.AnyOf, nil
		}
		return out, nil
	}
	out := &jsonschema.Schema{}
	for _, m := range members {
		if err := b.mergeInto(out, m, ptr); err != nil {
			return nil, err
		}
	}
	// additionalProperties: false closes the object of its own schema
	// only: a property another member adds is one it refuses.
	for _, m := range members {
		if !isFalse(m.AdditionalProperties) {
			continue
		}
		for _, name := range out.PropertyOrder {
			if _, ok := m.Properties[name]; !ok {
				mptr := ptr
				if p, ok := b.origin[m]; ok {
					mptr = p
				}
				return nil, b.errorf(mptr+"/additionalProperties", "allOf: this member closes the object, so the property %q another member adds could never be sent", name)
			}
		}
	}
	if isFalse(s.UnevaluatedProperties) && (out.AdditionalProperties == nil || !hasKeywords(out.AdditionalProperties)) {
		// Every property a member names was evaluated; no other may come.
		out.AdditionalProperties = &jsonschema.Schema{Not: &jsonschema.Schema{}}
	}
	// The members' descriptions describe the members ("Common result
	// fields."), not the combination.
	out.Description = s.Description
	return out, nil
}

// merged lists the keywords of an allOf member that mergeInto carries into
// the combination, and notChecked those that mcpgen does not check on
// decode anywhere (README, "Keywords"); any other keyword of a member would
// be lost in the merge, so it is refused.
var (
	merged     = []string{"Type", "Const", "Enum", "Items", "Ref", "Properties", "Required", "AdditionalProperties", "AllOf", "AnyOf", "OneOf", "PropertyOrder", "PropertyNames", "Extra"}
	notChecked = []string{"Format", "Minimum", "Maximum", "ExclusiveMinimum", "ExclusiveMaximum", "MultipleOf", "MinLength", "MaxLength", "Pattern", "MinItems", "MaxItems", "UniqueItems", "ContentEncoding", "ContentMediaType", "ContentSchema"}
)

// mergeable refuses an allOf member with a keyword the merge would drop.
func (b *builder) mergeable(m *jsonschema.Schema, ptr string) error {
	if err := b.unsupported(m, ptr); err != nil {
		return err
	}
	v := reflect.ValueOf(m).Elem()
	for _, i := range schemaFields {
		f := v.Type().Field(i)
		if v.Field(i).IsZero() || slices.Contains(merged, f.Name) || slices.Contains(notChecked, f.Name) {
			continue
		}
		if f.Name == "Not" && isFalse(m) {
			continue // reported by unsupported
		}
		keyword, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		return b.errorf(ptr, "allOf: %s in a member is not supported", keyword)
	}
	return nil
}

// mergeInto adds the constraints of m to out, for allOf.
func (b *builder) mergeInto(out, m *jsonschema.Schema, ptr string) error {
	if m.Type != "" {
		if out.Type != "" && out.Type != m.Type {
			return b.errorf(ptr, "allOf combines type %s with type %s", out.Type, m.Type)
		}
		out.Type = m.Type
	}
	if out.Description == "" {
		out.Description = m.Description
	}
	if m.Const != nil {
		out.Const = m.Const
	}
	if len(m.Enum) > 0 {
		out.Enum = m.Enum
	}
	if m.Items != nil {
		out.Items = m.Items
	}
	if m.Ref != "" {
		r, _, err := b.resolveRefs(m, ptr)
		if err != nil {
			return err
		}
		return b.mergeInto(out, r, ptr)
	}
	if len(m.Properties) > 0 && out.Properties == nil {
		out.Properties = map[string]*jsonschema.Schema{}
	}
	order := m.PropertyOrder
	if len(order) == 0 {
		order = sortedKeys(m.Properties)
		if p, ok := b.origin[m]; ok {
			order = b.doc.Keys(p+"/properties", m.Properties)
		}
	}
	for _, name := range order {
		ps := m.Properties[name]
		prev, ok := out.Properties[name]
		if !ok {
			out.Properties[name] = ps
			out.PropertyOrder = append(out.PropertyOrder, name)
			continue
		}
		merged, err := b.mergeProperty(prev, ps, ptr+"/properties/"+schema.EscapePointer(name))
		if err != nil {
			return err
		}
		out.Properties[name] = merged
	}
	for _, r := range m.Required {
		if !slices.Contains(out.Required, r) {
			out.Required = append(out.Required, r)
		}
	}
	if m.AdditionalProperties != nil {
		if out.AdditionalProperties == nil || !hasKeywords(out.AdditionalProperties) {
			out.AdditionalProperties = m.AdditionalProperties
		}
	}
	return nil
}

// mergeProperty combines two schemas for the same property under allOf.
func (b *builder) mergeProperty(a, c *jsonschema.Schema, ptr string) (*jsonschema.Schema, error) {
	switch {
	case c.Const != nil:
		out := *c
		if out.Description == "" {
			out.Description = a.Description
		}
		return &out, nil
	case a.Const != nil:
		return a, nil
	case c.Ref != "" && a.Ref == "":
		return c, nil
	case a.Ref != "" && c.Ref == "":
		return a, nil
	}
	isObj := func(s *jsonschema.Schema) bool {
		return s.Type == "object" || len(s.Properties) > 0 || len(s.AllOf) > 0
	}
	// An object that constrains nothing (JSON-RPC's generic params) adds
	// nothing to a specific one: keep the specific schema as written, so
	// that it can still be recognised as a definition.
	switch {
	case isObj(c) && openObject(a):
		return c, nil
	case isObj(a) && openObject(c):
		return a, nil
	}
	if isObj(a) && isObj(c) {
		desc := c.Description
		if desc == "" {
			desc = a.Description
		}
		return b.mergeAllOf(&jsonschema.Schema{AllOf: []*jsonschema.Schema{a, c}, Description: desc}, ptr)
	}
	if a.Type != "" && c.Type != "" && a.Type != c.Type {
		return nil, b.errorf(ptr, "allOf gives this property type %s in one member and type %s in another: no value is both", a.Type, c.Type)
	}
	return c, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func kindsLabel(kinds []Kind) string {
	var parts []string
	for _, k := range kinds {
		parts = append(parts, k.String())
	}
	return strings.Join(parts, " or ")
}

// openObject reports whether s is an object schema that allows any properties.
func openObject(s *jsonschema.Schema) bool {
	if s.Ref != "" || len(s.Properties) > 0 || len(s.Required) > 0 || len(s.AllOf) > 0 || len(s.AnyOf) > 0 || len(s.OneOf) > 0 {
		return false
	}
	if s.Type != "" && s.Type != "object" {
		return false
	}
	return s.AdditionalProperties == nil || !hasKeywords(s.AdditionalProperties)
}

// checkBindingNames refuses a schema whose type names collide with the
// names the task bindings declare.
func (b *builder) checkBindingNames() error {
	names := BindingNames(b.pkg)
	for _, n := range slices.Sorted(maps.Keys(names)) {
		if slices.Contains(reservedNames, n) {
			continue // a definition of that name was renamed already
		}
		if b.used[n] {
			return b.errorf("", "the schema defines %s, a name the task bindings need for themselves", n)
		}
	}
	return nil
}

// BindingNames maps each exported name the package declares beside its
// definitions' types and enum constants (error codes, method constants,
// handlers, dispatchers, helper functions, the decoding error) from the
// name it has in an unprefixed package to the name it has in this one.
func BindingNames(p *Package) map[string]string {
	out := map[string]string{}
	fixed := func(base ...string) {
		for _, n := range base {
			out[n] = p.Exported(n)
		}
	}
	// derived names are made from a declaration's name, which carries the
	// prefix: NewTask is NewMCPTask.
	derived := func(head string, d *Decl, tail string) {
		out[head+strings.TrimPrefix(d.Name, p.Prefix)+tail] = head + d.Name + tail
	}
	fixed(reservedNames...)
	if l := p.Lifecycle; l != nil {
		derived("", l.Status, "Transition")
		derived("", l.Status, "Lifecycle")
		derived("", l.Status, "Initial")
		fixed("TransitionError", "ValidateTransition")
	}
	if pr := p.Protocol; pr != nil {
		if pr.Extension != nil {
			derived("New", pr.CreateTaskResult, "")
			fixed("ExtensionID", "ExtensionIn", "ClientCapabilitiesMetaKey", "CodeMissingCapability", "CodeHeaderMismatch", "NameHeader", "ExtensionDeclared", "MissingCapabilityError", "ValidateNameHeader", "DecodeTaskAugmentedResult")
		}
		fixed("CodeParseError", "CodeInvalidRequest", "CodeMethodNotFound", "CodeInvalidParams", "CodeInternalError", "MethodInfo", "Methods", "LookupMethod", "RelatedTaskMetaKey", "RelatedTaskOf", "SetRelatedTask", "ValidateCancel")
		if n := pr.TaskStatusNotification; n != nil {
			derived("New", n.Message, "")
		}
		for _, key := range []string{"get", "cancel", "result"} {
			if m := pr.TaskMethods[key]; m != nil && m.Result != nil {
				derived("New", m.Result, "")
			}
		}
		for _, m := range pr.Methods {
			out[strings.TrimPrefix(m.Const, p.Prefix)] = m.Const
		}
		for _, s := range pr.Sides {
			fixed(s.Name+"Handler", "Unimplemented"+s.Name+"Handler", s.Name+"Dispatcher", s.Name+"Caller")
			for _, m := range s.Requests {
				if m.TaskAugmentable && pr.Extension == nil {
					fixed("Decode" + m.Handler + "Response")
				}
			}
			for _, m := range append(slices.Clone(s.Requests), s.Notifications...) {
				fixed(s.Name + m.Group + "Handler")
			}
		}
	}
	return out
}
