package generator

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/mcpgen-dev/mcpgen/ir"
	"github.com/mcpgen-dev/mcpgen/templates"
)

var kindWords = map[ir.DeclKind]string{
	ir.Struct: "struct", ir.Enum: "enum", ir.Union: "union",
	ir.Multi: "multi-kind value", ir.Named: "named type", ir.Alias: "alias",
}

type refType struct {
	Name, Kind, Source, Summary string
}

type refEnum struct {
	Name   string
	Values []ir.EnumValue
	Open   bool
}

type refMember struct{ Name, Tag string }

type refLifecycle struct {
	Status, Initial, Terminal, Diagram string
	Rows                               []struct{ From, To string }
}

type refMethod struct {
	Name, Message, Params, Result, Sides, Task string
}

type refUnion struct {
	Name, How, Discriminator string
	Members                  []refMember
}

// reference renders REFERENCE.md, the Markdown overview of the package.
func (g *gen) reference() ([]byte, error) {
	tmpl, err := templates.Parse("reference.md.tmpl", nil)
	if err != nil {
		return nil, err
	}
	src := g.pkg.Source
	data := struct {
		Header, Package, Schema, Draft, SHA256, Counts string
		Types                                          []refType
		Enums                                          []refEnum
		Unions                                         []refUnion
		Lifecycle                                      *refLifecycle
		Methods                                        []refMethod
	}{Header: Header, Package: g.pkg.Name, Schema: schemaLabel(src), Draft: src.Draft, SHA256: src.SHA256}
	if l := g.pkg.Lifecycle; l != nil {
		rl := &refLifecycle{Status: l.Status.Name, Initial: l.Initial.Value, Diagram: mermaid(l)}
		var terminal []string
		for _, st := range l.States {
			to := "none (terminal)"
			if !st.Terminal {
				var next []string
				for _, n := range st.Next {
					next = append(next, "`"+n.Value+"`")
				}
				to = strings.Join(next, ", ")
			} else {
				terminal = append(terminal, "`"+st.Value.Value+"`")
			}
			rl.Rows = append(rl.Rows, struct{ From, To string }{st.Value.Value, to})
		}
		rl.Terminal = strings.Join(terminal, ", ")
		data.Lifecycle = rl
	}
	if p := g.pkg.Protocol; p != nil {
		for _, m := range p.Methods {
			rm := refMethod{Name: m.Name, Message: m.Message.Name, Params: "none", Result: "none (notification)", Task: "no"}
			if m.Params != nil {
				rm.Params = "`" + strings.TrimPrefix(renderType(paramsType(m)), "*") + "`"
			}
			if m.Result != nil {
				rm.Result = "`" + m.Result.Name + "`"
			}
			if m.TaskAugmentable {
				rm.Task = "yes (`" + taskHandler(m) + "`)"
			}
			var sides []string
			for _, side := range p.Sides {
				for _, x := range append(append([]*ir.Method{}, side.Requests...), side.Notifications...) {
					if x == m {
						sides = append(sides, "`"+g.id(side.Name+"Handler")+"."+m.Handler+"`")
					}
				}
			}
			rm.Sides = strings.Join(sides, ", ")
			data.Methods = append(data.Methods, rm)
		}
	}
	counts := map[ir.DeclKind]int{}
	for _, d := range g.pkg.Decls {
		if d.External == nil {
			counts[d.Kind]++
		}
		source := "inline at `" + shortPointer(d.Pointer) + "`"
		if d.Definition != "" {
			source = "`" + d.Pointer + "`"
		}
		if e := d.External; e != nil {
			data.Types = append(data.Types, refType{e.ImportPath + "." + e.Name, "mapped", source, "Not declared here: the definition is mapped to this type."})
			continue
		}
		// The schema's own words, when it has any, say most in a table.
		text := d.Doc
		if text == "" {
			text = g.typeDoc(d)
		}
		data.Types = append(data.Types, refType{d.Name, kindWords[d.Kind], source, summary(text)})
		switch d.Kind {
		case ir.Enum:
			data.Enums = append(data.Enums, refEnum{d.Name, d.Values, d.Open})
		case ir.Union:
			u := refUnion{Name: d.Name, Discriminator: d.Discriminator}
			if d.Discriminator != "" {
				u.How = fmt.Sprintf("Told apart by the `%s` property.", d.Discriminator)
			} else {
				u.How = "Told apart by shape: JSON kind, required and fixed properties, then the most properties known."
			}
			for _, v := range d.Variants {
				name := v.Decl.Name
				if !v.Value {
					name = "*" + name
				}
				tag := fmt.Sprintf("`%q`", v.DiscriminatorValue)
				if d.Discriminator == "" {
					var kinds []string
					for _, k := range v.Shape.Kinds {
						kinds = append(kinds, k.String())
					}
					tag = strings.Join(kinds, ", ")
					if len(v.Shape.Required) > 0 {
						tag += "; requires " + strings.Join(v.Shape.Required, ", ")
					}
				}
				u.Members = append(u.Members, refMember{name, tag})
			}
			data.Unions = append(data.Unions, u)
		}
	}
	var parts []string
	for _, k := range []ir.DeclKind{ir.Struct, ir.Enum, ir.Union, ir.Multi, ir.Named, ir.Alias} {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], kindWords[k]))
		}
	}
	data.Counts = strings.Join(parts, ", ")
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// summary is the first sentence of a doc comment, made safe for a table cell.
func summary(doc string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(doc), "\n")
	if i := strings.Index(line, ". "); i >= 0 {
		line = line[:i+1]
	}
	return cellEscaper.Replace(line)
}

// cellEscaper makes text safe for a Markdown table cell.
var cellEscaper = strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;")

func renderType(c jen.Code) string {
	var b strings.Builder
	jen.Add(c).Render(&b)
	return b.String()
}
