// Package diff compares the API two schema revisions produce: definitions,
// their fields, enum values, union members and methods, each change
// classified as breaking or additive for a Go program built on the
// generated code and for peers that exchange the JSON.
//
// A change is breaking when JSON that was valid becomes invalid, or when
// the Go type a program uses changes (a field that becomes nullable turns
// int64 into *int64). Anything else that changes is additive.
package diff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/mcpgen-dev/mcpgen/ir"
)

// Change is one difference between the old and the new API.
type Change struct {
	// Kind is "added", "removed" or "changed".
	Kind string `json:"kind"`
	// What is "schema" (its $id), "definition", "field", "enum value",
	// "union member" or "method".
	What string `json:"what"`
	// Name locates it: "Task", "Task.ttl", "TaskStatus/\"working\"", "tasks/get".
	Name     string `json:"name"`
	Breaking bool   `json:"breaking"`
	// Detail says what changed, for "changed".
	Detail string `json:"detail,omitempty"`
}

// Report is the result of a comparison.
type Report struct {
	Old     string   `json:"old"`
	New     string   `json:"new"`
	Changes []Change `json:"changes"`
}

// Breaking reports whether any change is breaking.
func (r *Report) Breaking() bool {
	return slices.ContainsFunc(r.Changes, func(c Change) bool { return c.Breaking })
}

// Compare reports the API differences from old to new.
func Compare(old, new *ir.Package) *Report {
	r := &Report{Old: label(old), New: label(new)}
	if old.Source.ID != new.Source.ID {
		// The schema's own address: nothing a program or a peer sees.
		r.add(Change{Kind: "changed", What: "schema", Name: "$id", Detail: fmt.Sprintf("%s → %s", old.Source.ID, new.Source.ID)})
	}
	oldDefs, newDefs := definitions(old), definitions(new)
	for _, name := range sortedKeys(oldDefs) {
		od := oldDefs[name]
		nd, ok := newDefs[name]
		if !ok {
			r.add(Change{Kind: "removed", What: "definition", Name: name, Breaking: true})
			continue
		}
		r.compareDecl(name, od, nd)
	}
	for _, name := range sortedKeys(newDefs) {
		if _, ok := oldDefs[name]; !ok {
			r.add(Change{Kind: "added", What: "definition", Name: name})
		}
	}
	oldM, newM := methods(old), methods(new)
	for _, m := range sortedKeys(oldM) {
		if _, ok := newM[m]; !ok {
			r.add(Change{Kind: "removed", What: "method", Name: m, Breaking: true, Detail: "was " + oldM[m]})
		} else if oldM[m] != newM[m] {
			r.add(Change{Kind: "changed", What: "method", Name: m, Breaking: true, Detail: fmt.Sprintf("message type %s → %s", oldM[m], newM[m])})
		}
	}
	for _, m := range sortedKeys(newM) {
		if _, ok := oldM[m]; !ok {
			r.add(Change{Kind: "added", What: "method", Name: m, Detail: "as " + newM[m]})
		}
	}
	slices.SortStableFunc(r.Changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(whatOrder(a.What), whatOrder(b.What)), cmp.Compare(a.Name, b.Name))
	})
	return r
}

func whatOrder(w string) int {
	return slices.Index([]string{"schema", "method", "definition", "field", "enum value", "union member"}, w)
}

func (r *Report) add(c Change) { r.Changes = append(r.Changes, c) }

func label(p *ir.Package) string {
	if p.Source.Revision != "" {
		return p.Source.Revision
	}
	return p.Source.File
}

// definitions maps definition names to their declarations (aliases
// followed), leaving out inline types: those are compared through the
// definitions that hold them.
func definitions(p *ir.Package) map[string]*ir.Decl {
	out := map[string]*ir.Decl{}
	for _, d := range p.Decls {
		if d.Definition != "" {
			out[d.Definition] = d
		}
	}
	return out
}

// methods maps every JSON-RPC method a definition fixes to the first
// definition that fixes it.
func methods(p *ir.Package) map[string]string {
	out := map[string]string{}
	for _, d := range p.Decls {
		if d.Definition == "" || d.Kind != ir.Struct {
			continue
		}
		for _, f := range d.Fields {
			method := strings.Trim(f.Const, `"`)
			if _, seen := out[method]; f.JSONName == "method" && f.Const != "" && f.Required && !seen {
				// The first definition in file order names the message;
				// later copies (2026-07-28's ClientNotification is one) do not.
				out[method] = d.Definition
			}
		}
	}
	return out
}

var kindWords = map[ir.DeclKind]string{
	ir.Struct: "object", ir.Enum: "enum", ir.Union: "union", ir.Multi: "multi-kind value", ir.Named: "named type", ir.Alias: "alias",
}

func (r *Report) compareDecl(name string, od, nd *ir.Decl) {
	if od.Kind == ir.Alias || nd.Kind == ir.Alias {
		ot, nt := declTarget(od), declTarget(nd)
		if ot != nt {
			r.add(Change{Kind: "changed", What: "definition", Name: name, Breaking: true, Detail: fmt.Sprintf("%s → %s", ot, nt)})
		}
		return
	}
	if od.Kind != nd.Kind {
		r.add(Change{Kind: "changed", What: "definition", Name: name, Breaking: true, Detail: fmt.Sprintf("%s → %s", kindWords[od.Kind], kindWords[nd.Kind])})
		return
	}
	switch od.Kind {
	case ir.Struct:
		r.compareFields(name, od, nd, 0)
	case ir.Enum:
		r.compareEnum(name, od, nd)
	case ir.Union:
		r.compareUnion(name, od, nd)
	case ir.Multi:
		if o, n := kindList(od.Kinds), kindList(nd.Kinds); o != n {
			r.add(Change{Kind: "changed", What: "definition", Name: name, Breaking: true, Detail: fmt.Sprintf("%s → %s", o, n)})
		}
	case ir.Named:
		if o, n := typeString(od.Underlying), typeString(nd.Underlying); o != n {
			r.add(Change{Kind: "changed", What: "definition", Name: name, Breaking: true, Detail: fmt.Sprintf("type %s → %s", o, n)})
		}
	}
}

func declTarget(d *ir.Decl) string {
	if d.Kind == ir.Alias {
		return "alias of " + d.Target.Name
	}
	return kindWords[d.Kind]
}

func kindList(ks []ir.Kind) string {
	var s []string
	for _, k := range ks {
		s = append(s, k.String())
	}
	return strings.Join(s, " or ")
}

// compareFields compares two structs field by field, going into inline
// object types (which have no definition of their own to compare).
func (r *Report) compareFields(path string, od, nd *ir.Decl, depth int) {
	oldF, newF := fieldMap(od), fieldMap(nd)
	for _, name := range sortedKeys(oldF) {
		of := oldF[name]
		nf, ok := newF[name]
		fp := path + "." + name
		if !ok {
			r.add(Change{Kind: "removed", What: "field", Name: fp, Breaking: true})
			continue
		}
		r.compareField(fp, of, nf, depth)
	}
	for _, name := range sortedKeys(newF) {
		if _, ok := oldF[name]; ok {
			continue
		}
		nf := newF[name]
		c := Change{Kind: "added", What: "field", Name: path + "." + name, Detail: fieldString(nf)}
		if nf.Required {
			c.Breaking = true
			c.Detail += "; messages without it are now invalid"
		}
		r.add(c)
	}
	if (od.Extra == nil) != (nd.Extra == nil) || od.Closed != nd.Closed {
		c := Change{Kind: "changed", What: "field", Name: path + ".*", Detail: fmt.Sprintf("other properties: %s → %s", extraString(od), extraString(nd))}
		c.Breaking = nd.Closed || (od.Extra != nil && nd.Extra == nil)
		r.add(c)
	}
}

func extraString(d *ir.Decl) string {
	switch {
	case d.Closed:
		return "forbidden"
	case d.Extra != nil:
		return "kept as " + typeString(d.Extra)
	}
	return "allowed"
}

func (r *Report) compareField(fp string, of, nf *ir.Field, depth int) {
	switch {
	case of.Const != "" || nf.Const != "":
		if of.Const != nf.Const {
			r.add(Change{Kind: "changed", What: "field", Name: fp, Breaking: true, Detail: fmt.Sprintf("%s → %s", fieldString(of), fieldString(nf))})
		}
		return
	}
	if of.Required != nf.Required {
		c := Change{Kind: "changed", What: "field", Name: fp}
		if nf.Required {
			c.Breaking, c.Detail = true, "optional → required"
		} else {
			c.Detail = "required → optional"
			c.Breaking = goPointer(of) != goPointer(nf)
			if c.Breaking {
				c.Detail += " (the Go field becomes a pointer)"
			}
		}
		r.add(c)
	}
	if of.Nullable() != nf.Nullable() {
		c := Change{Kind: "changed", What: "field", Name: fp, Breaking: true}
		if nf.Nullable() {
			c.Detail = "becomes nullable"
			if goPointer(of) != goPointer(nf) {
				c.Detail += " (the Go field becomes a pointer)"
			} else {
				c.Breaking = false
			}
		} else {
			c.Detail = "no longer nullable"
		}
		r.add(c)
	}
	ot, nt := baseString(of.Type), baseString(nf.Type)
	if ot != nt {
		// Every type change changes the Go type (int64 → float64 too).
		r.add(Change{Kind: "changed", What: "field", Name: fp, Breaking: true, Detail: fmt.Sprintf("type %s → %s", ot, nt)})
		return
	}
	// The same inline object type name may hide changed fields.
	if depth < 8 && of.Type.Kind == ir.TRef && nf.Type.Kind == ir.TRef {
		o, n := of.Type.Decl.Resolve(), nf.Type.Decl.Resolve()
		if o.Definition == "" && n.Definition == "" && o.Kind == n.Kind {
			switch o.Kind {
			case ir.Struct:
				r.compareFields(fp, o, n, depth+1)
			case ir.Enum:
				r.compareEnum(fp, o, n)
			case ir.Union:
				r.compareUnion(fp, o, n)
			}
		}
	}
}

func goPointer(f *ir.Field) bool {
	t := f.Type
	if t == nil {
		return false
	}
	switch t.Kind {
	case ir.TAny, ir.TList, ir.TMap:
		return false
	case ir.TString:
		return t.Nullable
	case ir.TRef:
		d := t.Decl.Resolve()
		if d.Kind == ir.Union || d.Kind == ir.Named && (d.Underlying.Kind == ir.TList || d.Underlying.Kind == ir.TMap) {
			return false
		}
		if d.Kind == ir.Enum || d.Kind == ir.Named && d.Underlying.Kind == ir.TString {
			return t.Nullable
		}
	}
	return t.Nullable || !f.Required
}

func (r *Report) compareEnum(name string, od, nd *ir.Decl) {
	ov, nv := values(od), values(nd)
	for _, v := range ov {
		if !slices.Contains(nv, v) {
			r.add(Change{Kind: "removed", What: "enum value", Name: fmt.Sprintf("%s/%q", name, v), Breaking: !nd.Open})
		}
	}
	for _, v := range nv {
		if !slices.Contains(ov, v) {
			r.add(Change{Kind: "added", What: "enum value", Name: fmt.Sprintf("%s/%q", name, v)})
		}
	}
	if od.Open != nd.Open {
		r.add(Change{Kind: "changed", What: "definition", Name: name, Breaking: !nd.Open, Detail: fmt.Sprintf("open enum: %v → %v", od.Open, nd.Open)})
	}
}

func values(d *ir.Decl) []string {
	var out []string
	for _, v := range d.Values {
		out = append(out, v.Value)
	}
	return out
}

func (r *Report) compareUnion(name string, od, nd *ir.Decl) {
	om, nm := members(od), members(nd)
	for _, m := range om {
		if !slices.Contains(nm, m) {
			r.add(Change{Kind: "removed", What: "union member", Name: name + "/" + m, Breaking: true})
		}
	}
	for _, m := range nm {
		if !slices.Contains(om, m) {
			r.add(Change{Kind: "added", What: "union member", Name: name + "/" + m})
		}
	}
}

func members(d *ir.Decl) []string {
	var out []string
	for _, v := range d.Variants {
		out = append(out, v.Decl.Name)
	}
	return out
}

func fieldMap(d *ir.Decl) map[string]*ir.Field {
	out := map[string]*ir.Field{}
	for _, f := range d.Fields {
		out[f.JSONName] = f
	}
	return out
}

func fieldString(f *ir.Field) string {
	s := ""
	switch {
	case f.Const != "":
		s = "fixed to " + f.Const
	default:
		s = typeString(f.Type)
	}
	if f.Required {
		return "required " + s
	}
	return "optional " + s
}

// typeString describes a type in schema terms, with nullability.
func typeString(t *ir.Type) string {
	s := baseString(t)
	if t.Nullable {
		s += " or null"
	}
	return s
}

func baseString(t *ir.Type) string {
	switch t.Kind {
	case ir.TAny:
		return "any"
	case ir.TString:
		return "string"
	case ir.TInteger:
		return "integer"
	case ir.TNumber:
		return "number"
	case ir.TBoolean:
		return "boolean"
	case ir.TList:
		return "array of " + typeString(t.Elem)
	case ir.TMap:
		return "map of " + typeString(t.Elem)
	}
	d := t.Decl.Resolve()
	if d.Definition == "" && d.Kind == ir.Named {
		return baseString(d.Underlying)
	}
	if d.Definition == "" {
		// Inline types are named after where they stand; compare by kind.
		return "inline " + kindWords[d.Kind]
	}
	return d.Definition
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Text renders the report for people: one line a change.
func (r *Report) Text() string {
	var b strings.Builder
	breaking, additive := 0, 0
	for _, c := range r.Changes {
		if c.Breaking {
			breaking++
		} else {
			additive++
		}
	}
	fmt.Fprintf(&b, "%s → %s: %d breaking, %d additive\n", r.Old, r.New, breaking, additive)
	for _, c := range r.Changes {
		tag := "additive"
		if c.Breaking {
			tag = "BREAKING"
		}
		line := fmt.Sprintf("%-8s %-7s %-12s %s", tag, c.Kind, c.What, c.Name)
		if c.Detail != "" {
			line += ": " + c.Detail
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	return b.String()
}
