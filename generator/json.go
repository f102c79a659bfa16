package generator

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"mcpgen/ir"
)

const jsonPkg = "encoding/json"

// json prints the encoding and decoding methods of every declaration.
func (g *gen) json(f *jen.File) {
	for _, d := range g.pkg.Decls {
		if d.External != nil {
			continue
		}
		switch d.Kind {
		case ir.Struct:
			g.structUnmarshal(f, d)
			g.structEncode(f, d)
		case ir.Enum:
			g.enumUnmarshal(f, d)
			g.enumEncode(f, d)
		case ir.Union:
			g.unionUnmarshal(f, d)
		case ir.Multi:
			g.multiEncode(f, d)
			g.multiJSON(f, d)
		case ir.Named:
			g.namedUnmarshal(f, d)
			g.namedEncode(f, d)
		}
	}
	g.definitionTable(f)
}

func unmarshalSig(f *jen.File, recv, typ string) *jen.Statement {
	f.Commentf("// UnmarshalJSON decodes and validates a %s.", typ)
	return f.Func().Params(jen.Id(recv).Op("*").Id(typ)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error()
}

// decoder returns the expression that decodes a value of type t.
func decoder(t *ir.Type) jen.Code {
	switch t.Kind {
	case ir.TString:
		return jen.Id("decodeString")
	case ir.TInteger:
		return jen.Id("decodeInteger")
	case ir.TNumber:
		return jen.Id("decodeNumber")
	case ir.TBoolean:
		return jen.Id("decodeBoolean")
	case ir.TAny:
		return jen.Id("decodeAny")
	case ir.TList:
		return jen.Id("decodeList").Call(elemDecoder(t.Elem))
	case ir.TMap:
		return jen.Id("decodeMap").Call(elemDecoder(t.Elem))
	}
	if e := t.Decl.External; e != nil {
		return jen.Id("decodeExternal").Types(jen.Qual(e.ImportPath, e.Name))
	}
	d := t.Decl.Resolve()
	switch {
	case d.Kind == ir.Union:
		return jen.Id("decode" + d.Name + "Union")
	case d.Kind == ir.Named && d.Underlying.Kind == ir.TAny:
		return jen.Id("decodeAny")
	}
	return jen.Id("decodeValue").Types(jen.Id(t.Decl.Name))
}

func elemDecoder(t *ir.Type) jen.Code {
	if t.Nullable {
		inner := decoder(t)
		if pointerable(t) {
			inner = jen.Id("decodePtr").Call(inner)
		}
		return jen.Id("decodeNullable").Call(inner)
	}
	return decoder(t)
}

func flags(required, nullable bool) jen.Code {
	var s *jen.Statement
	if required {
		s = jen.Id("fieldRequired")
	} else {
		s = jen.Id("fieldOptional")
	}
	if nullable {
		s = s.Op("|").Id("fieldNullable")
	}
	return s
}

func (g *gen) structUnmarshal(f *jen.File, d *ir.Decl) {
	body := []jen.Code{
		jen.Var().Id("o").Id("objectDecoder"),
		jen.If(jen.Err().Op(":=").Id("o").Dot("init").Call(jen.Id("data")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Var().Id("v").Id(d.Name),
	}
	for _, fl := range d.Fields {
		if optionalConst(fl) {
			body = append(body, jen.Id("decodeField").Call(jen.Op("&").Id("o"), jen.Lit(fl.JSONName), flags(false, false), jen.Op("&").Id("v").Dot(fl.Name), jen.Id("decodeConstString").Call(jen.Lit(fl.Const))))
			continue
		}
		if fl.Const != "" {
			body = append(body, jen.Id("decodeConst").Call(jen.Op("&").Id("o"), jen.Lit(fl.JSONName), flags(fl.Required, false), jen.Lit(fl.Const)))
			continue
		}
		dec := decoder(fl.Type)
		if fl.Type.Kind == ir.TAny && !fl.Required {
			dec = jen.Id("decodeAnyProperty")
		}
		if fieldPointer(fl) {
			dec = jen.Id("decodePtr").Call(dec)
		}
		body = append(body, jen.Id("decodeField").Call(jen.Op("&").Id("o"), jen.Lit(fl.JSONName), flags(fl.Required, fl.Nullable()), jen.Op("&").Id("v").Dot(fl.Name), dec))
	}
	switch {
	case d.Extra != nil:
		body = append(body, jen.Id("decodeExtra").Call(jen.Op("&").Id("o"), jen.Op("&").Id("v").Dot("AdditionalProperties"), elemDecoder(d.Extra)))
	case d.Closed:
		body = append(body, jen.Id("o").Dot("rejectUnknown").Call())
	default:
		body = append(body, jen.Id("decodeExtra").Call(jen.Op("&").Id("o"), jen.Op("&").Id("v").Dot("unknown"), jen.Id("decodeRaw")))
	}
	body = append(body,
		jen.If(jen.Err().Op(":=").Id("o").Dot("finish").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Op("*").Id("m").Op("=").Id("v"),
		jen.Return(jen.Nil()),
	)
	unmarshalSig(f, "m", d.Name).Block(body...)
}

func (g *gen) enumUnmarshal(f *jen.File, d *ir.Decl) {
	var allowed []jen.Code
	for _, v := range d.Values {
		allowed = append(allowed, jen.Lit(v.Value))
	}
	check := jen.Null()
	if !d.Open {
		check = jen.If(jen.Op("!").Id(d.Name).Call(jen.Id("s")).Dot("Valid").Call()).Block(
			jen.Return(jen.Op("&").Id("DecodeError").Values(jen.Dict{
				jen.Id("Msg"): jen.Qual("fmt", "Sprintf").Call(jen.Lit("unknown "+d.Name+" %q (want one of %s)"), jen.Id("shorten").Call(jen.Id("s")), jen.Lit(joinQuoted(d))),
			})),
		)
	}
	unmarshalSig(f, "v", d.Name).Block(
		jen.Var().Id("s").String(),
		jen.If(jen.Err().Op(":=").Id("decodeString").Call(jen.Id("data"), jen.Op("&").Id("s")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		check,
		jen.Op("*").Id("v").Op("=").Id(d.Name).Call(jen.Id("s")),
		jen.Return(jen.Nil()),
	)
}

func joinQuoted(d *ir.Decl) string {
	s := ""
	for i, v := range d.Values {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%q", v.Value)
	}
	return s
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// decodeVariant prints the statements that decode data as variant v and
// return it.
func decodeVariant(v *ir.Variant) []jen.Code {
	var decl jen.Code
	if v.Value {
		decl = jen.Var().Id("v").Id(v.Decl.Name)
	} else {
		decl = jen.Id("v").Op(":=").New(jen.Id(v.Decl.Name))
	}
	return []jen.Code{
		decl,
		jen.If(jen.Err().Op(":=").Id("v").Dot("UnmarshalJSON").Call(jen.Id("data")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("v"), jen.Nil()),
	}
}

func (g *gen) unionUnmarshal(f *jen.File, d *ir.Decl) {
	name := d.Name
	var body []jen.Code
	if d.Discriminator != "" {
		var cases []jen.Code
		var values []jen.Code
		for _, v := range d.Variants {
			cases = append(cases, jen.Case(jen.Lit(v.DiscriminatorValue)).Block(decodeVariant(v)...))
			values = append(values, jen.Lit(v.DiscriminatorValue))
		}
		body = []jen.Code{
			jen.List(jen.Id("tag"), jen.Err()).Op(":=").Id("peekDiscriminator").Call(jen.Id("data"), jen.Lit(d.Discriminator)),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Switch(jen.Id("tag")).Block(cases...),
			jen.Return(jen.Nil(), jen.Id("unknownDiscriminator").Call(append([]jen.Code{jen.Lit(d.Discriminator), jen.Id("tag")}, values...)...)),
		}
		f.Commentf("// Unmarshal%s decodes a %s, choosing the member by its %q property.", name, name, d.Discriminator)
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
			cases = append(cases, jen.Case(jen.Lit(i)).Block(decodeVariant(v)...))
		}
		member := lowerFirst(name) + "Member"
		f.Commentf("// %s decodes data as member i of %s.", member, name)
		f.Func().Id(member).Params(jen.Id("i").Int(), jen.Id("data").Index().Byte()).Params(jen.Id(name), jen.Error()).Block(
			jen.Switch(jen.Id("i")).Block(cases...),
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("internal: no member %d in "+name), jen.Id("i"))),
		)
		body = []jen.Code{
			jen.List(jen.Id("order"), jen.Err()).Op(":=").Id("rankVariants").Call(jen.Id("data"), jen.Lit(name), jen.Id(shapes)),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Return(jen.Id("decodeMember").Call(jen.Id("data"), jen.Lit(name), jen.Id("order"), jen.Lit(d.Exclusive), jen.Id(member))),
		}
		f.Commentf("// Unmarshal%s decodes a %s, choosing the member by the shape of the JSON:\n// its kind, its required and fixed properties, and the properties it knows;\n// among equally good members, the first listed that decodes.", name, name)
	}
	f.Func().Id("Unmarshal"+name).Params(jen.Id("data").Index().Byte()).Params(jen.Id(name), jen.Error()).Block(body...)
	f.Func().Id("decode"+name+"Union").Params(jen.Id("data").Index().Byte(), jen.Id("dst").Op("*").Id(name)).Params(jen.Err().Error()).Block(
		jen.List(jen.Op("*").Id("dst"), jen.Err()).Op("=").Id("Unmarshal"+name).Call(jen.Id("data")),
		jen.Return(jen.Err()),
	)
}

var kindConst = map[ir.Kind]string{
	ir.KindObject: "kindObject", ir.KindArray: "kindArray", ir.KindString: "kindString",
	ir.KindInteger: "kindInteger", ir.KindNumber: "kindNumber", ir.KindBoolean: "kindBoolean",
}

func shapeLit(v *ir.Variant) jen.Code {
	sh := v.Shape
	dict := jen.Dict{jen.Id("name"): jen.Lit(v.Decl.Name)}
	var kinds *jen.Statement
	for _, k := range sh.Kinds {
		if kinds == nil {
			kinds = jen.Id(kindConst[k])
		} else {
			kinds = kinds.Op("|").Id(kindConst[k])
		}
	}
	if kinds != nil {
		dict[jen.Id("kinds")] = kinds
	}
	lits := func(ss []string) jen.Code {
		var c []jen.Code
		for _, s := range ss {
			c = append(c, jen.Lit(s))
		}
		return jen.Index().String().Values(c...)
	}
	if len(sh.Required) > 0 {
		dict[jen.Id("required")] = lits(sh.Required)
	}
	if len(sh.Known) > 0 {
		dict[jen.Id("known")] = lits(sh.Known)
	}
	if len(sh.Consts) > 0 {
		var c []jen.Code
		for _, cp := range sh.Consts {
			c = append(c, jen.Values(jen.Lit(cp.Name), jen.Lit(cp.Value)))
		}
		dict[jen.Id("consts")] = jen.Index().Index(jen.Lit(2)).String().Values(c...)
	}
	if sh.Closed {
		dict[jen.Id("closed")] = jen.True()
	}
	return jen.Values(dict)
}

func (g *gen) multiJSON(f *jen.File, d *ir.Decl) {
	label := kindLabel(d.Kinds)
	has := map[ir.Kind]bool{}
	for _, k := range d.Kinds {
		has[k] = true
	}
	// Decode by the JSON kind; an integer literal goes to the integer kind
	// when there is one, otherwise to number.
	var dcases []jen.Code
	decodeInto := func(k ir.Kind, jsonKinds ...string) {
		var lits []jen.Code
		for _, jk := range jsonKinds {
			lits = append(lits, jen.Lit(jk))
		}
		fn := map[ir.Kind]string{ir.KindString: "decodeString", ir.KindInteger: "decodeInteger", ir.KindNumber: "decodeNumber", ir.KindBoolean: "decodeBoolean"}[k]
		dcases = append(dcases, jen.Case(lits...).Block(
			jen.Var().Id("x").Add(kindGoType(k)),
			jen.If(jen.Err().Op(":=").Id(fn).Call(jen.Id("data"), jen.Op("&").Id("x")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Op("*").Id("v").Op("=").Id(d.Name).Values(jen.Dict{jen.Id("kind"): jen.Lit(k.String()), jen.Id(multiField(k)): jen.Id("x")}),
		))
	}
	for _, k := range d.Kinds {
		switch k {
		case ir.KindInteger:
			decodeInto(k, "integer")
		case ir.KindNumber:
			if has[ir.KindInteger] {
				decodeInto(k, "number")
			} else {
				decodeInto(k, "number", "integer")
			}
		default:
			decodeInto(k, k.String())
		}
	}
	dcases = append(dcases, jen.Default().Block(jen.Return(jen.Id("kindError").Call(jen.Lit(label), jen.Id("data")))))
	unmarshalSig(f, "v", d.Name).Block(
		jen.Switch(jen.Id("jsonKind").Call(jen.Id("data"))).Block(dcases...),
		jen.Return(jen.Nil()),
	)
}

func (g *gen) namedUnmarshal(f *jen.File, d *ir.Decl) {
	u := d.Underlying
	if u.Kind == ir.TAny {
		return
	}
	unmarshalSig(f, "v", d.Name).Block(
		jen.Return(jen.Add(decoder(u)).Call(jen.Id("data"), jen.Parens(jen.Op("*").Add(goType(u))).Call(jen.Id("v")))),
	)
}

// definitionTable prints NewDefinition and UnmarshalDefinition, which
// reach any definition of the schema by its name.
func (g *gen) definitionTable(f *jen.File) {
	var newCases, decodeCases []jen.Code
	for _, d := range g.pkg.Decls {
		if d.Definition == "" || d.External != nil {
			continue
		}
		r := d.Resolve()
		switch {
		case r.Kind == ir.Union:
			decodeCases = append(decodeCases, jen.Case(jen.Lit(d.Definition)).Block(jen.Return(jen.Id("Unmarshal"+r.Name).Call(jen.Id("data")))))
		case r.Kind == ir.Named && r.Underlying.Kind == ir.TAny:
			decodeCases = append(decodeCases, jen.Case(jen.Lit(d.Definition)).Block(
				jen.Var().Id("v").Any(),
				jen.Err().Op(":=").Id("decodeAny").Call(jen.Id("data"), jen.Op("&").Id("v")),
				jen.Return(jen.Id("v"), jen.Err()),
			))
		default:
			newCases = append(newCases, jen.Case(jen.Lit(d.Definition)).Block(jen.Return(jen.New(jen.Id(r.Name)))))
		}
	}
	f.Comment("// NewDefinition returns a pointer to a new zero value of the type of the\n// schema definition called name; it returns nil for a union, whose type is\n// an interface, and for a name the schema does not define.")
	f.Func().Id("NewDefinition").Params(jen.Id("name").String()).Any().Block(
		jen.Switch(jen.Id("name")).Block(newCases...),
		jen.Return(jen.Nil()),
	)
	f.Comment("// UnmarshalDefinition decodes data as the schema definition called name,\n// returning a pointer to the Go value (or, for a union, the member).")
	f.Func().Id("UnmarshalDefinition").Params(jen.Id("name").String(), jen.Id("data").Index().Byte()).Params(jen.Any(), jen.Error()).Block(
		jen.Switch(jen.Id("name")).Block(decodeCases...),
		jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("NewDefinition").Call(jen.Id("name")).Assert(jen.Qual(jsonPkg, "Unmarshaler")),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("no definition %q in this schema"), jen.Id("name")))),
		jen.If(jen.Err().Op(":=").Id("v").Dot("UnmarshalJSON").Call(jen.Id("data")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("v"), jen.Nil()),
	)
}
