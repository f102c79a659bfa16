package generator

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"github.com/mcpgen-dev/mcpgen/ir"
)

const jsonPkg = "encoding/json"

// jsonPartCount is how many parts json.go is printed in, so that its
// formatting is shared among the workers (see format.go).
var jsonPartCount = 8

// jsonParts returns the emitters of json.go's parts: the encoding and
// decoding methods of every declaration, in order, cut into runs of about
// the same amount of code, and the definition table at the end.
func (g *gen) jsonParts() []func(*jen.File) {
	var decls []*ir.Decl
	total := 0
	for _, d := range g.pkg.Decls {
		if d.External == nil {
			decls = append(decls, d)
			total += jsonWeight(d)
		}
	}
	var parts []func(*jen.File)
	emit := func(run []*ir.Decl, last bool) {
		k := len(parts)
		parts = append(parts, func(f *jen.File) {
			g.methods.collect(f, k)
			for _, d := range run {
				g.jsonMethods(f, d)
			}
			if last {
				g.definitionTable(f)
			}
		})
	}
	start, sum := 0, 0
	for i, d := range decls {
		sum += jsonWeight(d)
		if len(parts) < jsonPartCount-1 && sum*jsonPartCount >= total*(len(parts)+1) {
			emit(decls[start:i+1], false)
			start = i + 1
		}
	}
	emit(decls[start:], true)
	g.methods.parts = make([][]method, len(parts))
	return parts
}

// jsonWeight is roughly how much code d's methods take.
func jsonWeight(d *ir.Decl) int {
	return 4 + 2*len(d.Fields) + 3*len(d.Variants) + len(d.Values)/2
}

// jsonMethods prints the encoding and decoding methods of a declaration.
func (g *gen) jsonMethods(f *jen.File, d *ir.Decl) {
	switch d.Kind {
	case ir.Struct:
		g.structDecode(f, d)
		g.structEncode(f, d)
	case ir.Enum:
		g.enumDecode(f, d)
		g.enumEncode(f, d)
	case ir.Union:
		g.unionDecode(f, d)
	case ir.Multi:
		g.multiDecode(f, d)
		g.multiEncode(f, d)
	case ir.Named:
		g.namedDecode(f, d)
		g.namedEncode(f, d)
	}
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
	f.Func().Id(g.id("NewDefinition")).Params(jen.Id("name").String()).Any().Block(
		jen.Switch(jen.Id("name")).Block(newCases...),
		jen.Return(jen.Nil()),
	)
	f.Comment("// UnmarshalDefinition decodes data as the schema definition called name,\n// returning a pointer to the Go value (or, for a union, the member).")
	f.Func().Id(g.id("UnmarshalDefinition")).Params(jen.Id("name").String(), jen.Id("data").Index().Byte()).Params(jen.Any(), jen.Error()).Block(
		jen.Switch(jen.Id("name")).Block(decodeCases...),
		jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id(g.id("NewDefinition")).Call(jen.Id("name")).Assert(jen.Qual(jsonPkg, "Unmarshaler")),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("no definition %q in this schema"), jen.Id("name")))),
		jen.If(jen.Err().Op(":=").Id("v").Dot("UnmarshalJSON").Call(jen.Id("data")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("v"), jen.Nil()),
	)
}
