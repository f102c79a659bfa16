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
			g.structDecode(f, d)
			g.structMarshal(f, d)
		case ir.Enum:
			g.enumDecode(f, d)
		case ir.Union:
			g.unionDecode(f, d)
		case ir.Multi:
			g.multiDecode(f, d)
			g.multiJSON(f, d)
		case ir.Named:
			g.namedDecode(f, d)
		}
	}
	g.definitionTable(f)
}

// structMarshal prints MarshalJSON for structs that need more than their
// field tags: fixed values, kept unknown properties, and required lists or
// maps, which must encode as [] or {} rather than null.
func (g *gen) structMarshal(f *jen.File, d *ir.Decl) {
	var consts []*ir.Field
	var fills []jen.Code
	for _, fl := range d.Fields {
		if fl.Const != "" && !optionalConst(fl) {
			consts = append(consts, fl)
			continue
		}
		if fl.Required && !fl.Nullable() && listLike(fl.Type) {
			empty := jen.Add(goType(fl.Type)).Values()
			fills = append(fills, jen.If(jen.Id("p").Dot(fl.Name).Op("==").Nil()).Block(jen.Id("p").Dot(fl.Name).Op("=").Add(empty)))
		}
	}
	extra := "AdditionalProperties"
	switch {
	case d.Extra == nil && d.Closed:
		extra = ""
		if len(consts) == 0 && len(fills) == 0 {
			return
		}
	case d.Extra == nil:
		extra = "unknown"
	}
	body := []jen.Code{
		jen.Type().Id("plain").Id(d.Name),
		jen.Id("p").Op(":=").Id("plain").Call(jen.Id("m")),
	}
	body = append(body, fills...)
	var wrapFields []jen.Code
	var wrapValues []jen.Code
	for _, c := range consts {
		wrapFields = append(wrapFields, jen.Id(constFieldName(c)).Qual(jsonPkg, "RawMessage").Tag(map[string]string{"json": c.JSONName}))
		wrapValues = append(wrapValues, jen.Qual(jsonPkg, "RawMessage").Call(jen.Lit(c.Const)))
	}
	wrapFields = append(wrapFields, jen.Id("plain"))
	wrapValues = append(wrapValues, jen.Id("p"))
	value := jen.Struct(wrapFields...).Values(wrapValues...)
	if extra == "" {
		body = append(body, jen.Return(jen.Qual(jsonPkg, "Marshal").Call(value)))
	} else {
		// Decoding never puts a named property into unknown, but a caller
		// may put one into AdditionalProperties: those are skipped.
		var known []jen.Code
		if extra == "AdditionalProperties" {
			for _, fl := range d.Fields {
				known = append(known, jen.Lit(fl.JSONName))
			}
		}
		body = append(body,
			jen.List(jen.Id("data"), jen.Err()).Op(":=").Qual(jsonPkg, "Marshal").Call(value),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Return(jen.Id("appendExtra").Call(append([]jen.Code{jen.Id("data"), jen.Id("m").Dot(extra)}, known...)...)),
		)
	}
	f.Commentf("// MarshalJSON encodes a %s with its fixed and extra properties.", d.Name)
	f.Func().Params(jen.Id("m").Id(d.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(body...)
}

// constFieldName is the name of a fixed property in MarshalJSON's wrapper;
// it only has to be exported and distinct from the struct's own fields.
func constFieldName(f *ir.Field) string {
	return "Const" + f.Name
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
	var cases []jen.Code
	for _, k := range d.Kinds {
		kn := ir.GoName(k.String())
		cases = append(cases, jen.Case(jen.Lit(k.String())).Block(
			jen.Return(jen.Qual(jsonPkg, "Marshal").Call(jen.Id("v").Dot(multiField(k)))),
		))
		_ = kn
	}
	f.Commentf("// MarshalJSON encodes the value v holds; a zero %s is an error.", d.Name)
	f.Func().Params(jen.Id("v").Id(d.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Switch(jen.Id("v").Dot("kind")).Block(cases...),
		jen.Return(jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit(d.Name+" holds no value"))),
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
