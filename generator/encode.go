package generator

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"github.com/mcpgen-dev/mcpgen/ir"
)

// The encoders: every struct, Multi and Named type (and every enum that is
// a union member) gets an appendJSON method that writes what encoding/json
// would write for it, field by field, so that nested values are written
// once instead of being encoded and then compacted again at every level.
// MarshalJSON calls it. The leaves (strings, floats, raw messages, any
// values) are in support/encode.go.

// jsonTag is a struct field's json tag read the way encoding/json reads it.
type jsonTag struct {
	key                 string // the member name as written, `"name":`
	omitEmpty, omitZero bool
}

// parseTag reads the json tag fieldTag gives f, by encoding/json's rules.
// A property whose name no tag can hold (see tagless) is written by that
// name all the same, with the options its tag would have had.
func parseTag(f *ir.Field) jsonTag {
	tag := fieldTagValue(f)
	name, opts, _ := strings.Cut(tag, ",")
	if tagless(f) {
		name, opts = f.JSONName, strings.TrimPrefix(strings.TrimPrefix(tag, f.JSONName), ",")
	}
	t := jsonTag{key: string(encodedString(name)) + ":"}
	for opt := range strings.SplitSeq(opts, ",") {
		switch opt {
		case "omitempty":
			t.omitEmpty = true
		case "omitzero":
			t.omitZero = true
		}
	}
	return t
}

// validTagName reports whether encoding/json accepts s as the name in a
// json tag: letters, digits and most punctuation, but not quotes or
// backslashes.
func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c) && !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}

// tagless reports whether a property's name cannot stand in a json tag:
// encoding/json would write such a field under its Go name (and go vet
// reports the tag), so the field's tag is "-" and the generated encoder
// and decoder alone give it its name.
func tagless(f *ir.Field) bool {
	return !validTagName(f.JSONName)
}

// encodedString is s as encoding/json writes it.
func encodedString(s string) []byte {
	data, err := json.Marshal(s)
	if err != nil { // a string always encodes
		return []byte(strconv.Quote(s))
	}
	return data
}

// encodedConst is the JSON text of a fixed value as encoding/json writes a
// json.RawMessage: compact, with HTML characters escaped.
func encodedConst(text string) string {
	data, err := json.Marshal(json.RawMessage(text))
	if err != nil {
		return text
	}
	return string(data)
}

// text is a string literal for s, backquoted when that is possible, as
// JSON fragments read best that way.
func text(s string) *jen.Statement {
	if !strings.Contains(s, `"`) || strings.ContainsAny(s, "`\r") || !utf8.ValidString(s) {
		return jen.Lit(s)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return jen.Lit(s)
		}
	}
	return jen.Id("`" + s + "`")
}

// appendText is the statement b = append(b, s...).
func appendText(s string) jen.Code {
	return jen.Id("b").Op("=").Append(jen.Id("b"), text(s).Op("..."))
}

// encoder prints the statements of one appendJSON method.
type encoder struct {
	usesErr bool // some statement assigns err, which must be declared
	depth   int  // loop nesting, for the names of loop variables
}

// failure wraps the err of a failed statement with where it happened.
type failure func(err jen.Code) jen.Code

func atName(name string) failure {
	return func(err jen.Code) jen.Code { return jen.Id("encodeAt").Call(err, jen.Lit(pathName(name))) }
}

// pathName is a property name as an element of an error's path, as
// pathKey in the support code writes it.
func pathName(name string) string {
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return "[" + strconv.Quote(name) + "]"
		}
	}
	if name == "" {
		return `[""]`
	}
	return name
}

func noWrap(err jen.Code) jen.Code { return err }

// try is the statement that runs call, a function returning (b, err), and
// returns the wrapped error when it fails.
func (e *encoder) try(call jen.Code, fail failure) jen.Code {
	e.usesErr = true
	return jen.If(
		jen.List(jen.Id("b"), jen.Err()).Op("=").Add(call),
		jen.Err().Op("!=").Nil(),
	).Block(jen.Return(jen.Nil(), fail(jen.Err())))
}

func (e *encoder) name(base string) string {
	if e.depth == 0 {
		return base
	}
	return base + strconv.Itoa(e.depth+1)
}

// value prints the statements that append x, a Go value of type t where
// it stands alone (goType), or a pointer to one when ptr is set.
func (e *encoder) value(t *ir.Type, x *jen.Statement, ptr bool, fail failure) []jen.Code {
	if ptr {
		if t.Kind == ir.TRef && t.Decl.External != nil {
			// encoding/json writes a nil pointer as null, and calls a
			// MarshalJSON with a pointer receiver through a pointer.
			return []jen.Code{e.try(jen.Id("appendMarshal").Call(jen.Id("b"), x), fail)}
		}
		return []jen.Code{jen.If(x.Clone().Op("==").Nil()).Block(appendText("null")).Else().Block(e.pointee(t, x, fail)...)}
	}
	return e.nonPointer(t, x, fail)
}

// pointee prints the statements that append *x, x not nil.
func (e *encoder) pointee(t *ir.Type, x *jen.Statement, fail failure) []jen.Code {
	if t.Kind == ir.TRef {
		if d := t.Decl.Resolve(); d.Kind == ir.Struct || d.Kind == ir.Multi {
			return e.nonPointer(t, x, fail) // the method takes the pointer
		}
	}
	return e.nonPointer(t, jen.Op("*").Add(x), fail)
}

func (e *encoder) nonPointer(t *ir.Type, x *jen.Statement, fail failure) []jen.Code {
	b := jen.Id("b")
	switch t.Kind {
	case ir.TString, ir.TInteger, ir.TNumber, ir.TBoolean:
		call, fails := appendScalar(t.Kind, x)
		if fails {
			return []jen.Code{e.try(call, fail)}
		}
		return []jen.Code{b.Clone().Op("=").Add(call)}
	case ir.TAny:
		return []jen.Code{e.try(jen.Id("appendAny").Call(b, x), fail)}
	case ir.TList:
		return e.list(t, x, "null", fail)
	case ir.TMap:
		return e.mapValues(t, x, "null", fail)
	}
	if t.Decl.External != nil {
		return []jen.Code{e.try(jen.Id("appendMarshal").Call(b, x), fail)}
	}
	d := t.Decl.Resolve()
	switch d.Kind {
	case ir.Struct, ir.Multi:
		return []jen.Code{e.try(x.Clone().Dot("appendJSON").Call(b), fail)}
	case ir.Enum:
		return []jen.Code{b.Clone().Op("=").Id("appendString").Call(b, x)}
	case ir.Union:
		return []jen.Code{e.try(jen.Id("appendUnion").Call(b, x), fail)}
	case ir.Named:
		u := d.Underlying
		switch u.Kind {
		case ir.TList, ir.TMap:
			return []jen.Code{e.try(x.Clone().Dot("appendJSON").Call(b), fail)}
		case ir.TAny, ir.TString:
			return e.nonPointer(u, x, fail)
		case ir.TInteger, ir.TNumber, ir.TBoolean:
			return e.nonPointer(u, goType(u).Call(x), fail)
		}
	}
	return []jen.Code{e.try(jen.Id("appendMarshal").Call(b, x), fail)}
}

// appendScalar is the call that appends x, a string, int64, float64 or
// bool as k says, to b; fails tells whether it returns an error besides.
func appendScalar(k ir.TypeKind, x jen.Code) (call *jen.Statement, fails bool) {
	b := jen.Id("b")
	switch k {
	case ir.TString:
		return jen.Id("appendString").Call(b, x), false
	case ir.TInteger:
		return jen.Qual("strconv", "AppendInt").Call(b, x, jen.Lit(10)), false
	case ir.TNumber:
		return jen.Id("appendFloat").Call(b, x), true
	}
	return jen.Qual("strconv", "AppendBool").Call(b, x), false
}

// returnScalar is the statement that returns b with x appended, as
// appendScalar appends it.
func returnScalar(k ir.TypeKind, x jen.Code) jen.Code {
	call, fails := appendScalar(k, x)
	if fails {
		return jen.Return(call)
	}
	return jen.Return(call, jen.Nil())
}

// list prints a JSON array of the elements of the slice x.
func (e *encoder) list(t *ir.Type, x *jen.Statement, null string, fail failure) []jen.Code {
	if el := t.Elem; el.Kind == ir.TString && !el.Nullable {
		return orNull(x, null, jen.Id("b").Op("=").Id("appendStringList").Call(jen.Id("b"), x))
	}
	i := e.name("i")
	elem := x.Clone().Index(jen.Id(i))
	ptr := t.Elem.Nullable && pointerable(t.Elem)
	if !ptr && t.Elem.Kind == ir.TRef && t.Elem.Decl.External != nil {
		// Elements are addressable to encoding/json, which then calls a
		// MarshalJSON with a pointer receiver.
		elem, ptr = jen.Op("&").Add(elem), true
	}
	e.depth++
	each := e.value(t.Elem, elem, ptr, func(err jen.Code) jen.Code {
		return fail(jen.Id("encodeIndex").Call(err, jen.Id(i)))
	})
	e.depth--
	loop := append([]jen.Code{jen.If(jen.Id(i).Op(">").Lit(0)).Block(jen.Id("b").Op("=").Append(jen.Id("b"), jen.LitRune(',')))}, each...)
	return orNull(x, null,
		jen.Id("b").Op("=").Append(jen.Id("b"), jen.LitRune('[')),
		jen.For(jen.Id(i).Op(":=").Range().Add(x)).Block(loop...),
		jen.Id("b").Op("=").Append(jen.Id("b"), jen.LitRune(']')),
	)
}

// orNull prints write, preceded by a test that writes null instead for a
// nil x; null is "" when x is known not to be nil.
func orNull(x *jen.Statement, null string, write ...jen.Code) []jen.Code {
	if null == "" {
		return write
	}
	return []jen.Code{jen.If(x.Clone().Op("==").Nil()).Block(appendText(null)).Else().Block(write...)}
}

// mapValues prints a JSON object of the entries of the map x, in key
// order.
func (e *encoder) mapValues(t *ir.Type, x *jen.Statement, null string, fail failure) []jen.Code {
	if el := t.Elem; el.Kind == ir.TAny && !el.Nullable {
		return orNull(x, null, e.try(jen.Id("appendAnyObject").Call(jen.Id("b"), x), fail))
	}
	k, v, start := e.name("k"), e.name("v"), e.name("object")
	var each []jen.Code
	e.depth++
	each = append(each, e.entry(t.Elem, k, v, nil, func(err jen.Code) jen.Code {
		return fail(jen.Id("encodeAt").Call(err, jen.Id("pathKey").Call(jen.Id(k))))
	})...)
	e.depth--
	return orNull(x, null,
		jen.Id(start).Op(":=").Id("openObject").Call(jen.Id("b")),
		jen.For(jen.List(jen.Id(k), jen.Id(v)).Op(":=").Range().Id("inKeyOrder").Call(x)).Block(each...),
		jen.Id("b").Op("=").Id("closeObject").Call(jen.Id("b"), jen.Id(start)),
	)
}

// entry prints the body of a loop over the entries k, v of a map in key
// order: the member for v, unless k is one of skip.
func (e *encoder) entry(t *ir.Type, k, v string, skip []string, fail failure) []jen.Code {
	var body []jen.Code
	if len(skip) > 0 {
		var names []jen.Code
		for _, s := range skip {
			names = append(names, jen.Lit(s))
		}
		body = append(body, jen.Switch(jen.Id(k)).Block(jen.Case(names...).Block(jen.Continue())))
	}
	body = append(body, jen.Id("b").Op("=").Id("appendKey").Call(jen.Id("b"), jen.Id(k)))
	ptr := t.Nullable && pointerable(t)
	return append(body, e.value(t, jen.Id(v), ptr, fail)...)
}

// structEncode prints appendJSON and MarshalJSON for a struct: its fixed
// properties, then its fields in declaration order, then the properties
// it keeps besides (unknown or AdditionalProperties) in key order.
func (g *gen) structEncode(f *jen.File, d *ir.Decl) {
	e := &encoder{}
	var body []jen.Code
	var consts strings.Builder
	for _, fl := range d.Fields {
		if fl.Const != "" && !optionalConst(fl) {
			consts.WriteString("," + string(encodedString(fl.JSONName)) + ":" + encodedConst(fl.Const))
		}
	}
	if consts.Len() > 0 {
		body = append(body, appendText(consts.String()))
	}
	for _, fl := range d.Fields {
		if fl.Const != "" && !optionalConst(fl) {
			continue
		}
		body = append(body, e.field(fl)...)
	}
	switch {
	case d.Extra != nil:
		var known []string
		for _, fl := range d.Fields {
			known = append(known, fl.JSONName)
		}
		x := jen.Id("m").Dot("AdditionalProperties")
		body = append(body, jen.For(jen.List(jen.Id("k"), jen.Id("v")).Op(":=").Range().Id("inKeyOrder").Call(x)).Block(
			e.entry(d.Extra, "k", "v", known, func(err jen.Code) jen.Code {
				return jen.Id("encodeAt").Call(err, jen.Id("pathKey").Call(jen.Id("k")))
			})...,
		))
	}
	head := []jen.Code{
		jen.If(jen.Id("m").Op("==").Nil()).Block(jen.Return(jen.Append(jen.Id("b"), text("null").Op("...")), jen.Nil())),
	}
	if e.usesErr {
		head = append(head, jen.Var().Err().Error())
	}
	head = append(head, jen.Id("start").Op(":=").Id("openObject").Call(jen.Id("b")))
	body = append(head, body...)
	if d.Extra == nil && !d.Closed {
		body = append(body, jen.Return(jen.Id("endObject").Call(jen.Id("b"), jen.Id("start"), jen.Id("m").Dot("unknown"))))
	} else {
		body = append(body, jen.Return(jen.Id("closeObject").Call(jen.Id("b"), jen.Id("start")), jen.Nil()))
	}
	f.Commentf("// appendJSON appends the JSON encoding of m to b; a nil m is null.")
	f.Func().Params(jen.Id("m").Op("*").Id(d.Name)).Id("appendJSON").Params(jen.Id("b").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(body...)
	g.marshalJSON(f, d.Name, "m", "encodes %[2]s as encoding/json would encode its fields, with its fixed and extra properties.")
}

// marshalJSON gives a type with an appendJSON method its MarshalJSON, in
// marshal.go (see methods.go); docf is the rest of its doc comment, with
// %[1]s for the type's name.
func (g *gen) marshalJSON(f *jen.File, typ, recv, docf string) {
	g.method(f, method{recv: recv, name: typ, docf: docf})
}

// emitMarshalJSON prints MarshalJSON over appendJSON.
func emitMarshalJSON(f *jen.File, typ, recv, doc string) {
	f.Commentf("// MarshalJSON %s", doc)
	f.Func().Params(jen.Id(recv).Id(typ)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Id("marshalJSON").Call(jen.Id(recv).Dot("appendJSON"))),
	)
}

// field prints the member of one struct field.
func (e *encoder) field(fl *ir.Field) []jen.Code {
	tag := parseTag(fl)
	x := jen.Id("m").Dot(fl.Name)
	fail := atName(fl.JSONName)
	if optionalConst(fl) {
		// A string field, written when it is set.
		return []jen.Code{jen.If(x.Clone().Op("!=").Lit("")).Block(
			appendText(","+tag.key),
			jen.Id("b").Op("=").Id("appendString").Call(jen.Id("b"), x),
		)}
	}
	ptr := fieldPointer(fl)
	t := fl.Type
	key := appendText("," + tag.key)
	var present *jen.Statement // when the field is written, if not always
	var write []jen.Code
	switch {
	case ptr && (tag.omitEmpty || tag.omitZero):
		present = x.Clone().Op("!=").Nil()
		write = e.pointee(t, x, fail)
	case tag.omitZero && listLike(t):
		present = x.Clone().Op("!=").Nil()
		write = e.nonPointerOr(t, x, "", fail)
	case fl.Required && !fl.Nullable() && listLike(t):
		// Decoding requires the list or map; a nil one is written empty.
		write = e.nonPointerOr(t, x, emptyText(t), fail)
	default:
		if tag.omitEmpty {
			present = nonEmptyTest(t, x)
		}
		write = e.value(t, x, ptr, fail)
	}
	write = append([]jen.Code{key}, write...)
	if present == nil {
		return write
	}
	return []jen.Code{jen.If(present).Block(write...)}
}

// nonPointerOr is nonPointer for a list or map field, with null the text
// written for a nil one ("" when it is known not to be nil).
func (e *encoder) nonPointerOr(t *ir.Type, x *jen.Statement, null string, fail failure) []jen.Code {
	switch t.Kind {
	case ir.TList:
		return e.list(t, x, null, fail)
	case ir.TMap:
		return e.mapValues(t, x, null, fail)
	}
	return orNull(x, null, e.nonPointer(t, x, fail)...)
}

// emptyText is what a nil list or map that must be present is written as.
func emptyText(t *ir.Type) string {
	if underlyingKind(t) == ir.TMap {
		return "{}"
	}
	return "[]"
}

// nonEmptyTest is the condition under which encoding/json's omitempty
// keeps x, a non-pointer field of type t; nil when it always does.
func nonEmptyTest(t *ir.Type, x *jen.Statement) *jen.Statement {
	switch underlyingKind(t) {
	case ir.TString:
		return x.Clone().Op("!=").Lit("")
	case ir.TInteger, ir.TNumber:
		return x.Clone().Op("!=").Lit(0)
	case ir.TBoolean:
		return x
	case ir.TAny:
		return x.Clone().Op("!=").Nil()
	case ir.TList, ir.TMap:
		return jen.Len(x).Op("!=").Lit(0)
	}
	return nil
}

// underlyingKind is the kind of t's underlying Go type; TRef for structs,
// externals and other declarations with no basic underlying type, TAny for
// unions (interfaces).
func underlyingKind(t *ir.Type) ir.TypeKind {
	if t.Kind != ir.TRef {
		return t.Kind
	}
	if t.Decl.External != nil {
		return ir.TRef
	}
	switch d := t.Decl.Resolve(); d.Kind {
	case ir.Enum:
		return ir.TString
	case ir.Union:
		return ir.TAny
	case ir.Named:
		return underlyingKind(d.Underlying)
	}
	return ir.TRef
}

// multiEncode prints appendJSON and MarshalJSON for a Multi: the value it
// holds, of the kind it holds.
func (g *gen) multiEncode(f *jen.File, d *ir.Decl) {
	var cases []jen.Code
	scalar := map[ir.Kind]ir.TypeKind{ir.KindString: ir.TString, ir.KindInteger: ir.TInteger, ir.KindNumber: ir.TNumber, ir.KindBoolean: ir.TBoolean}
	for _, k := range d.Kinds {
		cases = append(cases, jen.Case(jen.Lit(k.String())).Block(returnScalar(scalar[k], jen.Id("v").Dot(multiField(k)))))
	}
	f.Commentf("// appendJSON appends the value v holds to b; a zero %s is an error.", d.Name)
	f.Func().Params(jen.Id("v").Id(d.Name)).Id("appendJSON").Params(jen.Id("b").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Switch(jen.Id("v").Dot("kind")).Block(cases...),
		jen.Return(jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit(d.Name+" holds no value"))),
	)
	g.marshalJSON(f, d.Name, "v", "encodes the value v holds; a zero %[1]s is an error.")
}

// namedEncode prints appendJSON for a Named type over a list or map, with
// MarshalJSON, and for one over a scalar that is a member of a union, so
// that appendUnion finds it.
func (g *gen) namedEncode(f *jen.File, d *ir.Decl) {
	u := d.Underlying
	switch u.Kind {
	case ir.TList, ir.TMap:
		// The receiver is m, as for structs: v names map values.
		e := &encoder{}
		stmts := e.nonPointerOr(u, jen.Id("m"), "", noWrap)
		body := []jen.Code{
			jen.If(jen.Id("m").Op("==").Nil()).Block(jen.Return(jen.Append(jen.Id("b"), text("null").Op("...")), jen.Nil())),
		}
		if e.usesErr {
			body = append(body, jen.Var().Err().Error())
		}
		body = append(append(body, stmts...), jen.Return(jen.Id("b"), jen.Nil()))
		f.Commentf("// appendJSON appends the JSON encoding of m to b; a nil %s is null.", d.Name)
		f.Func().Params(jen.Id("m").Id(d.Name)).Id("appendJSON").Params(jen.Id("b").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(body...)
		g.marshalJSON(f, d.Name, "m", "encodes %[2]s as encoding/json would encode its "+map[ir.TypeKind]string{ir.TList: "elements", ir.TMap: "entries"}[u.Kind]+".")
	case ir.TString, ir.TInteger, ir.TNumber, ir.TBoolean:
		if len(d.Unions) > 0 {
			scalarEncode(f, d, u)
		}
	}
}

// enumEncode prints appendJSON for an enum that is a member of a union.
func (g *gen) enumEncode(f *jen.File, d *ir.Decl) {
	if len(d.Unions) > 0 {
		scalarEncode(f, d, &ir.Type{Kind: ir.TString})
	}
}

func scalarEncode(f *jen.File, d *ir.Decl, u *ir.Type) {
	// appendString takes any string type; the others take the basic one.
	var v jen.Code = jen.Id("v")
	if u.Kind != ir.TString {
		v = goType(u).Call(v)
	}
	f.Commentf("// appendJSON appends the JSON encoding of v to b.")
	f.Func().Params(jen.Id("v").Id(d.Name)).Id("appendJSON").Params(jen.Id("b").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(returnScalar(u.Kind, v))
}
