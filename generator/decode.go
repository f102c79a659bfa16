package generator

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/mcpgen-dev/mcpgen/ir"
)

// The decoders are printed per type: each declaration gets a decodeJSON
// method that reads its value from the package's streaming decoder in one
// pass (objects by a switch on the property name, required properties
// tracked in a bitset), and an UnmarshalJSON that runs it over a whole
// input. Nothing goes through reflection or function values, so a decode
// allocates only what it keeps.

// place is where a decoded value goes: a variable or field, or the target
// of a pointer. Each method returns a new statement, since jennifer
// statements grow in place.
type place struct {
	expr func() *jen.Statement // the value, when it is a variable or field
	ptr  func() *jen.Statement // the pointer to it, when it is *ptr
}

func variable(name string) place {
	return place{expr: func() *jen.Statement { return jen.Id(name) }}
}

func fieldOf(recv, field string) place {
	return place{expr: func() *jen.Statement { return jen.Id(recv).Dot(field) }}
}

// addr is a pointer to the place.
func (p place) addr() *jen.Statement {
	if p.ptr != nil {
		return p.ptr()
	}
	return jen.Op("&").Add(p.expr())
}

// recv is the place as the receiver of a pointer method.
func (p place) recv() *jen.Statement {
	if p.ptr != nil {
		return p.ptr()
	}
	return p.expr()
}

// lhs is the place on the left of an assignment.
func (p place) lhs() *jen.Statement {
	if p.ptr != nil {
		return jen.Op("*").Add(p.ptr())
	}
	return p.expr()
}

// elem is the element at index of the map or slice at the place.
func (p place) elem(index jen.Code) *jen.Statement {
	if p.ptr != nil {
		return jen.Parens(p.lhs()).Index(index)
	}
	return p.expr().Index(index)
}

// target is the place *ptr, where ptr is held at p.
func (p place) target() place {
	return place{ptr: p.expr}
}

// dec is the decoder variable in every generated decodeJSON.
func dec() *jen.Statement { return jen.Id("d") }

// setErr assigns to err.
func setErr(e jen.Code) jen.Code { return jen.Err().Op("=").Add(e) }

// readExpr returns the call that reads a value of type t (not nullable)
// into p, or nil when t takes statements rather than one call.
func readExpr(t *ir.Type, p place) jen.Code {
	switch t.Kind {
	case ir.TString:
		return dec().Dot("readString").Call(p.addr())
	case ir.TInteger:
		return dec().Dot("readInteger").Call(p.addr())
	case ir.TNumber:
		return dec().Dot("readNumber").Call(p.addr())
	case ir.TBoolean:
		return dec().Dot("readBoolean").Call(p.addr())
	case ir.TAny:
		return dec().Dot("readAny").Call(p.addr())
	case ir.TList:
		if e := t.Elem; e.Kind == ir.TString && !e.Nullable {
			return dec().Dot("readStringList").Call(p.addr())
		}
		return nil
	case ir.TMap:
		if e := t.Elem; e.Kind == ir.TAny && !e.Nullable {
			return dec().Dot("readAnyObject").Call(p.addr())
		}
		return nil
	}
	if t.Decl.External != nil {
		return jen.Id("decodeExternal").Call(dec(), p.addr())
	}
	d := t.Decl.Resolve()
	switch {
	case d.Kind == ir.Union:
		return nil
	case d.Kind == ir.Named && d.Underlying.Kind == ir.TAny:
		return dec().Dot("readAny").Call(p.addr())
	}
	return p.recv().Dot("decodeJSON").Call(dec())
}

// readValue returns statements that read a value of type t (not
// nullable) into p, leaving any error in err. depth names the loop
// variables of nested lists and maps.
func readValue(t *ir.Type, p place, depth int) []jen.Code {
	if e := readExpr(t, p); e != nil {
		return []jen.Code{setErr(e)}
	}
	suffix := ""
	if depth > 0 {
		suffix = fmt.Sprint(depth)
	}
	x := "x" + suffix
	switch t.Kind {
	case ir.TList:
		i := "i" + suffix
		body := []jen.Code{jen.Var().Id(x).Add(elemType(t.Elem))}
		body = append(body, readHeld(t.Elem, variable(x), t.Elem.Nullable && pointerable(t.Elem), depth+1)...)
		body = append(body,
			jen.If(jen.Err().Op("!=").Nil()).Block(
				setErr(jen.Id("atIndex").Call(jen.Err(), jen.Id(i))),
				jen.Break(),
			),
			p.lhs().Op("=").Append(p.lhs(), jen.Id(x)),
		)
		// Room for four elements at first, as encoding/json makes.
		return []jen.Code{jen.If(jen.Err().Op("=").Add(dec()).Dot("openArray").Call(), jen.Err().Op("==").Nil()).Block(
			p.lhs().Op("=").Make(goType(t), jen.Lit(0), jen.Lit(4)),
			jen.For(jen.Id(i).Op(":=").Lit(0), dec().Dot("more").Call(jen.LitRune(']'), jen.Id(i)), jen.Id(i).Op("++")).Block(body...),
		)}
	case ir.TMap:
		n, k, at := "j"+suffix, "k"+suffix, "at"+suffix
		body := []jen.Code{
			jen.List(jen.Id(k), jen.Id(at)).Op(":=").Add(dec()).Dot("key").Call(),
			jen.Var().Id(x).Add(elemType(t.Elem)),
		}
		body = append(body, readHeld(t.Elem, variable(x), t.Elem.Nullable && pointerable(t.Elem), depth+1)...)
		// A bad value of a key the object repeats later is dropped, as
		// for a property of a struct: the last value wins wholly.
		body = append(body,
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.If(setErr(jen.Add(dec()).Dot("fieldError").Call(jen.Err(), jen.Id(k), jen.Id(at))), jen.Err().Op("!=").Nil()).Block(jen.Break()),
				jen.Continue(),
			),
			p.elem(jen.String().Parens(jen.Id(k))).Op("=").Id(x),
		)
		return []jen.Code{jen.If(jen.Err().Op("=").Add(dec()).Dot("openObject").Call(), jen.Err().Op("==").Nil()).Block(
			p.lhs().Op("=").Add(goType(t)).Values(),
			jen.For(jen.Id(n).Op(":=").Lit(0), dec().Dot("more").Call(jen.LitRune('}'), jen.Id(n)), jen.Id(n).Op("++")).Block(body...),
		)}
	}
	// A union.
	name := t.Decl.Resolve().Name
	return []jen.Code{jen.List(p.lhs(), jen.Err()).Op("=").Id("decode" + name + "Union").Call(dec())}
}

// readHeld returns statements that read a value of type t into p, which
// holds a *T when pointer is set: null (where t allows it) leaves nil or
// the zero value, and anything else is read into place.
func readHeld(t *ir.Type, p place, pointer bool, depth int) []jen.Code {
	into := p
	var alloc []jen.Code
	if pointer {
		into = p.target()
		alloc = []jen.Code{p.lhs().Op("=").New(goType(t))}
	}
	if !t.Nullable {
		return append(alloc, readValue(t, into, depth)...)
	}
	var read []jen.Code
	if e := readExpr(t, into); e != nil {
		read = append(alloc, setErr(jen.Id("orNull").Call(e)))
	} else {
		read = append(append(alloc, readValue(t, into, depth)...), setErr(jen.Id("orNull").Call(jen.Err())))
	}
	return []jen.Code{jen.If(dec().Dot("null").Call()).Block(p.lhs().Op("=").Nil()).Else().Block(read...)}
}

// requiredBits says how a struct's required properties are tracked: bit
// k of have for the k-th, in a uint64 or, past 64, an array of them.
type requiredBits struct {
	names []string
}

func (r requiredBits) words() int { return (len(r.names) + 63) / 64 }

func (r requiredBits) decl() jen.Code {
	if r.words() == 1 {
		return jen.Var().Id("have").Uint64()
	}
	return jen.Var().Id("have").Index(jen.Lit(r.words())).Uint64()
}

func (r requiredBits) set(k int) jen.Code {
	if r.words() == 1 {
		return jen.Id("have").Op("|=").Lit(1).Op("<<").Lit(k)
	}
	return jen.Id("have").Index(jen.Lit(k / 64)).Op("|=").Lit(1).Op("<<").Lit(k % 64)
}

// check returns the statement that reports the first missing property,
// after a decoding that met no syntax error.
func (r requiredBits) check() jen.Code {
	var names []jen.Code
	for _, n := range r.names {
		names = append(names, jen.Lit(n))
	}
	clean := dec().Dot("err").Op("==").Nil()
	if r.words() == 1 {
		return jen.If(jen.Id("have").Op("!=").Lit(1).Op("<<").Lit(len(r.names)).Op("-").Lit(1).Op("&&").Add(clean)).Block(
			jen.Return(jen.Id("missingProperty").Call(append([]jen.Code{jen.Id("have")}, names...)...)),
		)
	}
	var full jen.Code = jen.False()
	for w := 0; w < r.words(); w++ {
		n := min(64, len(r.names)-64*w)
		cond := jen.Id("have").Index(jen.Lit(w)).Op("!=").Lit(1).Op("<<").Lit(n).Op("-").Lit(1)
		if w == 0 {
			full = cond
		} else {
			full = jen.Add(full).Op("||").Add(cond)
		}
	}
	return jen.If(jen.Parens(full).Op("&&").Add(clean)).Block(
		jen.Return(jen.Id("missingPropertyOf").Call(append([]jen.Code{jen.Id("have").Index(jen.Op(":"))}, names...)...)),
	)
}

// structDecode prints decodeJSON for a struct.
func (g *gen) structDecode(f *jen.File, d *ir.Decl) {
	var req requiredBits
	bit := map[*ir.Field]int{}
	for _, fl := range d.Fields {
		if fl.Required {
			bit[fl] = len(req.names)
			req.names = append(req.names, fl.JSONName)
		}
	}
	var cases []jen.Code
	for _, fl := range d.Fields {
		var body []jen.Code
		if k, ok := bit[fl]; ok {
			body = append(body, req.set(k))
		}
		switch {
		case optionalConst(fl):
			body = append(body, setErr(dec().Dot("readConstString").Call(jen.Op("&").Id("m").Dot(fl.Name), jen.Lit(fl.Const))))
		case fl.Const != "":
			body = append(body, setErr(dec().Dot("readConst").Call(jen.Lit(fl.Const))))
		case fl.Type.Kind == ir.TAny && !fl.Required:
			body = append(body, setErr(dec().Dot("readAnyProperty").Call(jen.Op("&").Id("m").Dot(fl.Name))))
		default:
			body = append(body, readHeld(fl.Type, fieldOf("m", fl.Name), fieldPointer(fl), 0)...)
		}
		cases = append(cases, jen.Case(jen.Lit(fl.JSONName)).Block(body...))
	}
	switch {
	case d.Extra != nil:
		x := variable("x")
		body := []jen.Code{jen.Var().Id("x").Add(elemType(d.Extra))}
		body = append(body, readHeld(d.Extra, x, d.Extra.Nullable && pointerable(d.Extra), 1)...)
		body = append(body, jen.If(jen.Err().Op("==").Nil()).Block(
			jen.If(jen.Id("m").Dot("AdditionalProperties").Op("==").Nil()).Block(
				jen.Id("m").Dot("AdditionalProperties").Op("=").Map(jen.String()).Add(elemType(d.Extra)).Values(),
			),
			jen.Id("m").Dot("AdditionalProperties").Index(jen.String().Parens(jen.Id("key"))).Op("=").Id("x"),
		))
		cases = append(cases, jen.Default().Block(body...))
	case d.Closed:
		cases = append(cases, jen.Default().Block(setErr(jen.Id("unknownProperty").Call(jen.Id("key")))))
	default:
		cases = append(cases, jen.Default().Block(setErr(dec().Dot("keepUnknown").Call(jen.Op("&").Id("m").Dot("unknown"), jen.Id("key")))))
	}
	loop := []jen.Code{
		jen.List(jen.Id("key"), jen.Id("at")).Op(":=").Add(dec()).Dot("key").Call(),
		jen.Var().Err().Error(),
		jen.Switch(jen.String().Parens(jen.Id("key"))).Block(cases...),
		jen.If(jen.Err().Op("=").Add(dec()).Dot("fieldError").Call(jen.Err(), jen.Id("key"), jen.Id("at")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
	}
	body := []jen.Code{
		jen.Op("*").Id("m").Op("=").Id(d.Name).Values(),
		jen.If(jen.Err().Op(":=").Add(dec()).Dot("openObject").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
	}
	if len(req.names) > 0 {
		body = append(body, req.decl())
	}
	body = append(body,
		jen.For(jen.Id("n").Op(":=").Lit(0), dec().Dot("more").Call(jen.LitRune('}'), jen.Id("n")), jen.Id("n").Op("++")).Block(loop...),
	)
	if len(req.names) > 0 {
		body = append(body, req.check())
	}
	// A syntax error ends the loop early; it is then the error to report,
	// not a required property the loop never reached.
	body = append(body, jen.Return(dec().Dot("err")))
	f.Commentf("// decodeJSON reads %s from d.", an(d.Name))
	f.Func().Params(jen.Id("m").Op("*").Id(d.Name)).Id("decodeJSON").Params(jen.Id("d").Op("*").Id("decoder")).Error().Block(body...)
	g.unmarshalJSON(f, "m", d.Name)
}

// unmarshalJSON gives a type with a decodeJSON method its UnmarshalJSON,
// in marshal.go (see methods.go).
func (g *gen) unmarshalJSON(f *jen.File, recv, name string) {
	g.method(f, method{unmarshal: true, recv: recv, name: name})
}

// emitUnmarshalJSON prints UnmarshalJSON for a type with a decodeJSON
// method: it decodes a whole input and changes the destination only on
// success.
func emitUnmarshalJSON(f *jen.File, recv, name string) {
	f.Commentf("// UnmarshalJSON decodes and validates %s.", anHole(name))
	f.Func().Params(jen.Id(recv).Op("*").Id(name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Id("d").Op(":=").Id("decoder").Values(jen.Dict{jen.Id("data"): jen.Id("data")}),
		jen.Var().Id("x").Id(name),
		jen.Err().Op(":=").Id("d").Dot("finish").Call(jen.Id("x").Dot("decodeJSON").Call(jen.Op("&").Id("d"))),
		jen.If(jen.Err().Op("==").Nil()).Block(jen.Op("*").Id(recv).Op("=").Id("x")),
		jen.Return(jen.Err()),
	)
}

func (g *gen) enumDecode(f *jen.File, d *ir.Decl) {
	var cases []jen.Code
	for _, v := range d.Values {
		cases = append(cases, jen.Case(jen.Lit(v.Value)).Block(jen.Op("*").Id("v").Op("=").Id(v.Name)))
	}
	if d.Open {
		cases = append(cases, jen.Default().Block(jen.Op("*").Id("v").Op("=").Id(d.Name).Call(jen.String().Parens(jen.Id("s")))))
	} else {
		cases = append(cases, jen.Default().Block(jen.Return(jen.Op("&").Id(g.id("DecodeError")).Values(jen.Dict{
			jen.Id("Msg"): jen.Qual("fmt", "Sprintf").Call(jen.Lit("unknown "+d.Name+" %q (want one of %s)"), jen.Id("shorten").Call(jen.String().Parens(jen.Id("s"))), jen.Lit(joinQuoted(d))),
		}))))
	}
	f.Commentf("// decodeJSON reads %s from d.", an(d.Name))
	f.Func().Params(jen.Id("v").Op("*").Id(d.Name)).Id("decodeJSON").Params(jen.Id("d").Op("*").Id("decoder")).Error().Block(
		jen.List(jen.Id("s"), jen.Err()).Op(":=").Add(dec()).Dot("readStringBytes").Call(),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Switch(jen.String().Parens(jen.Id("s"))).Block(cases...),
		jen.Return(jen.Nil()),
	)
	g.unmarshalJSON(f, "v", d.Name)
}

func (g *gen) namedDecode(f *jen.File, d *ir.Decl) {
	u := d.Underlying
	if u.Kind == ir.TAny {
		return
	}
	// The value is read as its underlying type, through a conversion of
	// the pointer where a reader takes it, else in place.
	p := place{ptr: func() *jen.Statement {
		return jen.Parens(jen.Op("*").Add(goType(u))).Call(jen.Id("v"))
	}}
	if readExpr(u, p) == nil {
		p = place{ptr: func() *jen.Statement { return jen.Id("v") }}
	}
	body := []jen.Code{jen.Var().Err().Error()}
	body = append(body, readValue(u, p, 0)...)
	body = append(body, jen.Return(dec().Dot("result").Call(jen.Err())))
	f.Commentf("// decodeJSON reads %s from d.", an(d.Name))
	f.Func().Params(jen.Id("v").Op("*").Id(d.Name)).Id("decodeJSON").Params(jen.Id("d").Op("*").Id("decoder")).Error().Block(body...)
	g.unmarshalJSON(f, "v", d.Name)
}

func (g *gen) multiDecode(f *jen.File, d *ir.Decl) {
	label := kindLabel(d.Kinds)
	has := map[ir.Kind]bool{}
	for _, k := range d.Kinds {
		has[k] = true
	}
	reader := map[ir.Kind]string{ir.KindString: "readString", ir.KindInteger: "readInteger", ir.KindNumber: "readNumber", ir.KindBoolean: "readBoolean"}
	var cases []jen.Code
	into := func(k ir.Kind, jsonKinds ...string) {
		var lits []jen.Code
		for _, jk := range jsonKinds {
			lits = append(lits, jen.Lit(jk))
		}
		cases = append(cases, jen.Case(lits...).Block(
			jen.Var().Id("x").Add(kindGoType(k)),
			jen.If(jen.Err().Op(":=").Add(dec()).Dot(reader[k]).Call(jen.Op("&").Id("x")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Op("*").Id("v").Op("=").Id(d.Name).Values(jen.Dict{jen.Id("kind"): jen.Lit(k.String()), jen.Id(multiField(k)): jen.Id("x")}),
		))
	}
	// An integer literal goes to the integer kind when there is one,
	// otherwise to number.
	for _, k := range d.Kinds {
		switch {
		case k == ir.KindNumber && !has[ir.KindInteger]:
			into(k, "number", "integer")
		default:
			into(k, k.String())
		}
	}
	cases = append(cases, jen.Default().Block(jen.Return(dec().Dot("kindError").Call(jen.Lit(label)))))
	f.Commentf("// decodeJSON reads %s from d, by the kind of the JSON value.", an(d.Name))
	f.Func().Params(jen.Id("v").Op("*").Id(d.Name)).Id("decodeJSON").Params(jen.Id("d").Op("*").Id("decoder")).Error().Block(
		jen.Switch(dec().Dot("kind").Call()).Block(cases...),
		jen.Return(jen.Nil()),
	)
	g.unmarshalJSON(f, "v", d.Name)
}

// memberDecode returns the statements that decode union member v by
// calling its method with arg, and return it.
func memberDecode(v *ir.Variant, method string, arg jen.Code) []jen.Code {
	var decl jen.Code
	if v.Value {
		decl = jen.Var().Id("v").Id(v.Decl.Name)
	} else {
		decl = jen.Id("v").Op(":=").New(jen.Id(v.Decl.Name))
	}
	return []jen.Code{
		decl,
		jen.If(jen.Err().Op(":=").Id("v").Dot(method).Call(arg), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("v"), jen.Nil()),
	}
}

// soleKindCases returns the cases, by the kind decoder.kind reports, of
// a union chosen by shape where one member alone takes values of that
// kind and, for an object, asks nothing of its properties: rankVariants
// would choose that member for every such value, so it is decoded in
// place. A member of a kind rankVariants does not know leaves the union
// to rankVariants altogether.
func soleKindCases(d *ir.Decl) []jen.Code {
	// takes lists, for each kind decoder.kind reports, the ir kinds of a
	// member that take it, as rankVariants's kindOf does.
	takes := []struct {
		json string
		by   []ir.Kind
	}{
		{"object", []ir.Kind{ir.KindObject}},
		{"array", []ir.Kind{ir.KindArray}},
		{"string", []ir.Kind{ir.KindString}},
		{"integer", []ir.Kind{ir.KindInteger, ir.KindNumber}},
		{"number", []ir.Kind{ir.KindNumber}},
		{"boolean", []ir.Kind{ir.KindBoolean}},
	}
	for _, v := range d.Variants {
		for _, k := range v.Shape.Kinds {
			if _, ok := kindConst[k]; !ok {
				return nil
			}
		}
		if len(v.Shape.Kinds) == 0 {
			return nil
		}
	}
	// The kinds each member takes alone, in the order of takes; a member
	// that takes several has one case for them all.
	var members []*ir.Variant
	kinds := map[*ir.Variant][]jen.Code{}
	for _, t := range takes {
		var sole *ir.Variant
		n := 0
		for _, v := range d.Variants {
			if slices.ContainsFunc(v.Shape.Kinds, func(k ir.Kind) bool { return slices.Contains(t.by, k) }) {
				sole = v
				n++
			}
		}
		if n != 1 {
			continue
		}
		if sh := sole.Shape; t.json == "object" && (len(sh.Required) > 0 || len(sh.Consts) > 0 || sh.Closed) {
			continue
		}
		if kinds[sole] == nil {
			members = append(members, sole)
		}
		kinds[sole] = append(kinds[sole], jen.Lit(t.json))
	}
	var cases []jen.Code
	for _, v := range members {
		cases = append(cases, jen.Case(kinds[v]...).Block(memberDecode(v, "decodeJSON", dec())...))
	}
	return cases
}

// tagFirst reports whether a discriminated union may decode the member
// its first tag names before it looks for the last, which chooses the
// member. That needs every member to check the tag itself, as a required
// property fixed to its value, so that the decoding fails when the last
// tag names another member; and no member may hold the union again, so
// that a failed attempt, decoded again, cannot compound level by level.
func tagFirst(u *ir.Decl) bool {
	for _, v := range u.Variants {
		m := v.Decl.Resolve()
		if m.Kind != ir.Struct || ir.Holds(m, u) {
			return false
		}
		i := slices.IndexFunc(m.Fields, func(f *ir.Field) bool { return f.JSONName == u.Discriminator })
		if i < 0 || !m.Fields[i].Required || m.Fields[i].Const != strconv.Quote(v.DiscriminatorValue) {
			return false
		}
	}
	return true
}

func (g *gen) unionDecode(f *jen.File, d *ir.Decl) {
	name := d.Name
	var body []jen.Code
	if d.Discriminator != "" {
		var cases, values []jen.Code
		for _, v := range d.Variants {
			cases = append(cases, jen.Case(jen.Lit(v.DiscriminatorValue)).Block(memberDecode(v, "decodeJSON", dec())...))
			values = append(values, jen.Lit(v.DiscriminatorValue))
		}
		byTag := lowerFirst(name) + "ByTag"
		disc := jen.Lit(d.Discriminator)
		f.Commentf("// %s decodes the next object as the member of %s\n// whose %q is tag.", byTag, name, d.Discriminator)
		f.Func().Id(byTag).Params(jen.Id("d").Op("*").Id("decoder"), jen.Id("tag").Index().Byte()).Params(jen.Id(name), jen.Error()).Block(
			jen.Switch(jen.String().Parens(jen.Id("tag"))).Block(cases...),
			jen.Return(jen.Nil(), jen.Id("unknownDiscriminator").Call(append([]jen.Code{disc, jen.String().Parens(jen.Id("tag"))}, values...)...)),
		)
		if tagFirst(d) {
			body = append(body,
				jen.Commentf("// The member the first %q names is decoded at once. The member's", d.Discriminator),
				jen.Commentf("// own check of %q fails unless the last one, which is what", d.Discriminator),
				jen.Comment("// chooses the member, names it too; only then is the object read"),
				jen.Comment("// again (see retag)."),
				jen.Id("at").Op(":=").Add(dec()).Dot("here").Call(),
				jen.If(jen.List(jen.Id("first"), jen.Id("ok")).Op(":=").Add(dec()).Dot("firstTag").Call(disc), jen.Id("ok")).Block(
					jen.List(jen.Id("v"), jen.Err()).Op(":=").Id(byTag).Call(dec(), jen.Id("first")),
					jen.If(jen.Err().Op("==").Nil().Op("||").Op("!").Add(dec()).Dot("retag").Call(jen.Id("at"), disc, jen.Id("first"))).Block(
						jen.Return(jen.Id("v"), jen.Err()),
					),
				),
			)
		}
		body = append(body,
			jen.List(jen.Id("tag"), jen.Err()).Op(":=").Add(dec()).Dot("discriminator").Call(disc),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Return(jen.Id(byTag).Call(dec(), jen.Id("tag"))),
		)
		f.Commentf("// decode%sUnion reads %s from d, choosing the member\n// by its %q property: the last one when it is repeated, as the decoders\n// read every property.", name, an(name), d.Discriminator)
	} else {
		shapes := lowerFirst(name) + "Shapes"
		var elems []jen.Code
		for _, v := range d.Variants {
			elems = append(elems, shapeLit(v))
		}
		f.Commentf("// %s describes the members of %s, in schema order, for rankVariants.", shapes, name)
		f.Var().Id(shapes).Op("=").Index().Id("variantShape").Values(elems...)
		var cases []jen.Code
		for i, v := range d.Variants {
			cases = append(cases, jen.Case(jen.Lit(i)).Block(memberDecode(v, "UnmarshalJSON", jen.Id("data"))...))
		}
		member := lowerFirst(name) + "Member"
		f.Commentf("// %s decodes data as member i of %s.", member, name)
		f.Func().Id(member).Params(jen.Id("i").Int(), jen.Id("data").Index().Byte()).Params(jen.Id(name), jen.Error()).Block(
			jen.Switch(jen.Id("i")).Block(cases...),
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("internal: no member %d in "+name), jen.Id("i"))),
		)
		if cases := soleKindCases(d); len(cases) > 0 {
			body = append(body,
				jen.Comment("A value of a kind that one member alone takes, and that asks"),
				jen.Comment("nothing more of it, is decoded in place: decoded from a copy of"),
				jen.Comment("its text, nested values would be read again at every level."),
				jen.Switch(dec().Dot("kind").Call()).Block(cases...))
		}
		body = append(body,
			jen.Var().Id("buf").Index(jen.Lit(4)).Int(),
			jen.List(jen.Id("data"), jen.Id("order"), jen.Err()).Op(":=").Add(dec()).Dot("readVariant").Call(jen.Lit(name), jen.Id(shapes), jen.Id("buf").Index(jen.Op(":0"))),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Return(jen.Id("decodeMember").Call(jen.Id("data"), jen.Lit(name), jen.Id("order"), jen.Lit(d.Exclusive), jen.Id(member))),
		)
		f.Commentf("// decode%sUnion reads %s from d, choosing the member by the shape\n// of the JSON: its kind, its required and fixed properties, and the\n// properties it knows; among equally good members, the first listed that\n// decodes.", name, an(name))
	}
	f.Func().Id("decode"+name+"Union").Params(jen.Id("d").Op("*").Id("decoder")).Params(jen.Id(name), jen.Error()).Block(body...)
	f.Commentf("// Unmarshal%s decodes and validates %s.", name, an(name))
	f.Func().Id("Unmarshal"+name).Params(jen.Id("data").Index().Byte()).Params(jen.Id(name), jen.Error()).Block(
		jen.Id("d").Op(":=").Id("decoder").Values(jen.Dict{jen.Id("data"): jen.Id("data")}),
		jen.List(jen.Id("v"), jen.Err()).Op(":=").Id("decode"+name+"Union").Call(jen.Op("&").Id("d")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.If(jen.Err().Op(":=").Id("d").Dot("end").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("v"), jen.Nil()),
	)
}
