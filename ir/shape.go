package ir

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// Shaping narrows and renames a built package for vendoring into another
// code base: Select keeps some definitions and what they need, Prefix
// renames the types, Map replaces definitions with the host's own types.

// TaskFeature is the name -only takes for every task definition of a
// revision: those with Task in their name, and ToolExecution, which holds
// a tool's taskSupport; and, so that the task engine compiles in the
// subset, the tools/call request, its result and the Tool definition
// (see keepTaskRuntime).
const TaskFeature = "tasks"

// External is a Go type outside the generated package that a definition
// maps to: an import path and a type name.
type External struct {
	ImportPath, Name string
}

// Select keeps the definitions that match patterns (names, globs such as
// "Task*", or the feature "tasks"), everything they refer to, and the task
// bindings that still have their types; the rest is dropped. It works on
// pkg in place.
func Select(pkg *Package, patterns []string) error {
	keep := map[*Decl]bool{}
	var queue []*Decl
	add := func(d *Decl) {
		if d != nil && !keep[d] {
			keep[d] = true
			queue = append(queue, d)
		}
	}
	for _, p := range patterns {
		matched := false
		for _, d := range pkg.Decls {
			if d.Definition == "" {
				continue
			}
			if ok, err := matchDefinition(p, d.Definition); err != nil {
				return fmt.Errorf("-only %q: %v", p, err)
			} else if ok {
				add(d)
				matched = true
			}
		}
		if !matched {
			return fmt.Errorf("-only %q matches no definition", p)
		}
	}
	closure := func() {
		for len(queue) > 0 {
			d := queue[0]
			queue = queue[1:]
			for _, r := range references(d) {
				add(r)
			}
		}
	}
	closure()
	if slices.Contains(patterns, TaskFeature) {
		keepTaskRuntime(pkg, add)
		closure()
	}
	if p := pkg.Protocol; p != nil {
		// A method stays when its message does; it brings its result, and
		// the bindings bring the types they are written in.
		any := false
		for _, m := range p.Methods {
			if keep[m.Message] {
				add(m.Result)
				any = true
			}
		}
		if any {
			add(p.Error)
			add(p.CreateTaskResult)
			add(p.RelatedTask)
			if p.ToolTaskSupport != nil {
				add(p.ToolTaskSupport.Type)
			}
			for _, s := range p.Sides {
				add(s.Capabilities)
			}
		}
		closure()
		trimProtocol(pkg, keep, any)
	}
	if l := pkg.Lifecycle; l != nil {
		switch {
		case !keep[l.Status]:
			pkg.Lifecycle = nil
		case l.Task != nil && !keep[l.Task]:
			l.Task = nil
		}
	}
	var decls []*Decl
	dropped := map[string]bool{}
	for _, d := range pkg.Decls {
		if !keep[d] {
			if d.Definition != "" && multiPart(d.Name) {
				dropped[d.Name] = true
			}
			continue
		}
		d.Unions = slices.DeleteFunc(slices.Clone(d.Unions), func(u *Decl) bool { return !keep[u] })
		decls = append(decls, d)
	}
	pkg.Decls = decls
	unlinkDropped(pkg, dropped)
	return nil
}

// keepTaskRuntime adds what the task engine is written against beyond the
// task definitions: the request whose tool-level rule decides task
// augmentation (tools/call, with its params and result) and the
// definitions that carry that rule (Tool, through ToolExecution), so that
// a subset made with the task feature can run tasks, not only describe
// them.
func keepTaskRuntime(pkg *Package, add func(*Decl)) {
	p := pkg.Protocol
	if p == nil || p.ToolTaskSupport == nil {
		return
	}
	rule := p.ToolTaskSupport
	for _, m := range p.Methods {
		if m.Name == rule.Method {
			add(m.Message)
		}
	}
	// The definitions holding the rule's type, and those holding them.
	holders := []*Decl{rule.Type}
	for range 2 {
		var next []*Decl
		for _, d := range pkg.Decls {
			if d.Definition == "" || slices.Contains(holders, d) {
				continue
			}
			if slices.ContainsFunc(references(d), func(r *Decl) bool { return slices.Contains(holders, r.Resolve()) || slices.Contains(holders, r) }) {
				next = append(next, d)
			}
		}
		for _, d := range next {
			add(d)
		}
		holders = append(holders, next...)
	}
}

// matchDefinition matches a definition name against a name, a glob or the
// task feature.
func matchDefinition(pattern, def string) (bool, error) {
	if pattern == TaskFeature {
		return strings.Contains(def, "Task") || def == "ToolExecution", nil
	}
	return path.Match(pattern, def)
}

// Holds reports whether a value of d can contain a value of u, at any
// depth: d is u, or one of its fields, elements, members, or the types it
// is defined as, holds u.
func Holds(d, u *Decl) bool {
	seen := map[*Decl]bool{}
	for queue := []*Decl{d}; len(queue) > 0; queue = queue[1:] {
		x := queue[0]
		if x == u {
			return true
		}
		if x != nil && !seen[x] {
			seen[x] = true
			queue = append(queue, references(x)...)
		}
	}
	return false
}

// references lists the declarations d's Go type mentions.
func references(d *Decl) []*Decl {
	var out []*Decl
	var walk func(t *Type)
	walk = func(t *Type) {
		if t == nil {
			return
		}
		if t.Kind == TRef {
			out = append(out, t.Decl)
		}
		walk(t.Elem)
	}
	if d.External != nil {
		return nil
	}
	for _, f := range d.Fields {
		walk(f.Type)
	}
	walk(d.Extra)
	walk(d.Underlying)
	if d.Target != nil {
		out = append(out, d.Target)
	}
	for _, v := range d.Variants {
		out = append(out, v.Decl)
	}
	return out
}

func trimProtocol(pkg *Package, keep map[*Decl]bool, any bool) {
	p := pkg.Protocol
	if !any {
		pkg.Protocol = nil
		return
	}
	kept := func(m *Method) bool { return keep[m.Message] }
	p.Methods = slices.DeleteFunc(p.Methods, func(m *Method) bool { return !kept(m) })
	var sides []*Side
	for _, s := range p.Sides {
		s.Requests = slices.DeleteFunc(s.Requests, func(m *Method) bool { return !kept(m) })
		s.Notifications = slices.DeleteFunc(s.Notifications, func(m *Method) bool { return !kept(m) })
		if len(s.Requests)+len(s.Notifications) > 0 {
			sides = append(sides, s)
		}
	}
	p.Sides = sides
	for k, m := range p.TaskMethods {
		if !kept(m) {
			delete(p.TaskMethods, k)
		}
	}
	if n := p.TaskStatusNotification; n != nil && !kept(n) {
		p.TaskStatusNotification = nil
	}
	if t := p.ToolTaskSupport; t != nil && !slices.ContainsFunc(p.Methods, func(m *Method) bool { return m.Name == t.Method }) {
		p.ToolTaskSupport = nil
	}
}

// Prefix puts prefix in front of every type name and enum constant.
func Prefix(pkg *Package, prefix string) {
	if prefix == "" {
		return
	}
	pkg.Prefix = prefix
	for _, d := range pkg.Decls {
		if d.External != nil {
			continue
		}
		d.Name = prefix + d.Name
		for i := range d.Values {
			d.Values[i].Name = prefix + d.Values[i].Name
		}
	}
	if l := pkg.Lifecycle; l != nil {
		// The lifecycle holds copies of the enum values.
		rename := func(v *EnumValue) { v.Name = prefix + v.Name }
		rename(&l.Initial)
		for i := range l.States {
			rename(&l.States[i].Value)
			for j := range l.States[i].Next {
				rename(&l.States[i].Next[j])
			}
		}
	}
	if p := pkg.Protocol; p != nil {
		for _, m := range p.Methods {
			m.Const = prefix + m.Const
		}
	}
	// The descriptions name the types by their schema names.
	names := PrefixedNames(pkg)
	eachDoc(pkg, func(s string) string { return RenameWords(s, names) })
	if p := pkg.Protocol; p != nil && p.ToolTaskSupport != nil {
		t := p.ToolTaskSupport
		for _, v := range []*EnumValue{&t.Default, &t.Required, &t.Forbidden} {
			v.Name = prefix + v.Name
		}
	}
}

// PrefixedNames maps every exported name of the package, as an unprefixed
// package would have it, to its name in this one: the bindings' names,
// the types', the decoders' of the unions and the constructors' of the
// multi-kind values (RequestIdFromString).
func PrefixedNames(pkg *Package) map[string]string {
	names := BindingNames(pkg)
	for _, d := range pkg.Decls {
		if d.External != nil {
			continue
		}
		base := strings.TrimPrefix(d.Name, pkg.Prefix)
		names[base] = d.Name
		switch d.Kind {
		case Union:
			names["Unmarshal"+base] = "Unmarshal" + d.Name
		case Multi:
			for _, k := range d.Kinds {
				from := "From" + GoName(k.String())
				names[base+from] = d.Name + from
			}
		}
	}
	return names
}

// Map replaces the definitions named in mapping with Go types of the host
// code base. A mapped definition may not be a member of a union (a type of
// another package cannot join a sealed interface), nor a type the task
// bindings write code against.
func Map(pkg *Package, mapping map[string]External) error {
	bound := map[*Decl]string{}
	if l := pkg.Lifecycle; l != nil {
		bound[l.Status] = "the lifecycle's status"
		if l.Task != nil {
			bound[l.Task] = "the lifecycle's task"
		}
	}
	if p := pkg.Protocol; p != nil {
		bound[p.Error] = "the JSON-RPC error"
		for _, s := range p.Sides {
			bound[s.Capabilities] = "the capabilities"
		}
	}
	for def, ext := range mapping {
		var d *Decl
		for _, x := range pkg.Decls {
			if x.Definition == def {
				d = x
			}
		}
		flag := fmt.Sprintf("-map %s=%s.%s", def, ext.ImportPath, ext.Name)
		if d == nil {
			return fmt.Errorf("%s: the schema has no definition %q", flag, def)
		}
		if len(d.Unions) > 0 {
			return fmt.Errorf("%s: %s is a member of %s; a type from another package cannot be", flag, def, d.Unions[0].Name)
		}
		if why, ok := bound[d]; ok {
			return fmt.Errorf("%s: %s is %s, which the task bindings are written against", flag, def, why)
		}
		e := ext
		d.External = &e
	}
	return nil
}

// ParseMapping reads -map values such as
// "RequestId=example.com/sdk/jsonrpc.ID".
func ParseMapping(specs []string) (map[string]External, error) {
	out := map[string]External{}
	for _, spec := range specs {
		for _, one := range strings.Split(spec, ",") {
			def, target, ok := strings.Cut(strings.TrimSpace(one), "=")
			dot := strings.LastIndex(target, ".")
			slash := strings.LastIndex(target, "/")
			if !ok || def == "" || dot <= slash || dot == len(target)-1 {
				return nil, fmt.Errorf("-map %q: want DEFINITION=IMPORT/PATH.Type", one)
			}
			if prev, ok := out[def]; ok {
				return nil, fmt.Errorf("-map %s: %s is mapped twice, to %s.%s and to %s", strings.TrimSpace(one), def, prev.ImportPath, prev.Name, target)
			}
			out[def] = External{ImportPath: target[:dot], Name: target[dot+1:]}
		}
	}
	return out, nil
}
