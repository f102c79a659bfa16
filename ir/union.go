package ir

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/google/jsonschema-go/jsonschema"
)

// candidate is a union member before it has a declaration.
type candidate struct {
	f    *form
	decl *Decl // set for members that are definitions
}

// fillUnion completes a Union declaration: it flattens nested unions,
// gives inline members declarations, and works out how to tell the
// members apart.
func (b *builder) fillUnion(d *Decl, f *form) error {
	var cands []candidate
	if err := b.collectVariants(f, &cands); err != nil {
		return err
	}
	disc := discriminator(cands)
	d.Discriminator = disc
	for _, c := range cands {
		var vs []*Variant
		var err error
		if c.decl != nil {
			vs, err = b.variantFor(c.decl, c.f)
		} else {
			vs, err = b.inlineVariants(d, c.f, disc)
		}
		if err != nil {
			return err
		}
		for _, v := range vs {
			if slices.ContainsFunc(d.Variants, func(o *Variant) bool { return o.Decl == v.Decl }) {
				continue
			}
			if disc != "" {
				v.DiscriminatorValue = constString(c.f.s, disc)
			}
			v.Decl.Unions = append(v.Decl.Unions, d)
			d.Variants = append(d.Variants, v)
		}
	}
	return nil
}

// collectVariants lists the members of a union form, resolving references
// and flattening members that are unions themselves.
func (b *builder) collectVariants(f *form, out *[]candidate) error {
	if b.flattening[f.s] {
		return b.errorf(f.ptr, "a union that is one of its own members has no values")
	}
	if len(b.flattening) > 64 {
		return b.errorf(f.ptr, "unions nest more than 64 levels")
	}
	b.flattening[f.s] = true
	defer delete(b.flattening, f.s)
	for i, alt := range f.variants {
		ptr := f.varPtrs[i]
		var decl *Decl
		s := alt
		if alt.Ref != "" {
			def, err := b.doc.Lookup(alt.Ref)
			if err != nil {
				return b.errorf(ptr+"/$ref", "%v", err)
			}
			decl = b.defs[def.Name]
			s, ptr = def.Schema, def.Pointer
			// Follow definitions that only refer to another one.
			for s.Ref != "" {
				def, err = b.doc.Lookup(s.Ref)
				if err != nil {
					return b.errorf(ptr+"/$ref", "%v", err)
				}
				decl = b.defs[def.Name]
				s, ptr = def.Schema, def.Pointer
			}
		}
		vf, err := b.analyze(s, ptr)
		if err != nil {
			return err
		}
		if vf.nullable {
			return b.errorf(ptr, "a nullable member inside a union is not supported; put null in the union itself")
		}
		switch vf.kind {
		case fUnion:
			if err := b.collectVariants(vf, out); err != nil {
				return err
			}
			continue
		case fAny:
			return b.errorf(ptr, "a union member that accepts any value makes the union undecidable")
		}
		*out = append(*out, candidate{f: vf, decl: decl})
	}
	return nil
}

// discriminator finds a property that every member requires with a
// distinct string const, such as "type" of content blocks.
func discriminator(cands []candidate) string {
	if len(cands) < 2 {
		return ""
	}
	for _, c := range cands {
		if c.f.kind != fStruct {
			return ""
		}
	}
	first := cands[0].f.s
	names := slices.Clone(first.PropertyOrder)
	if len(names) == 0 {
		names = sortedKeys(first.Properties)
	}
	for _, name := range names {
		seen := map[string]bool{}
		ok := true
		for _, c := range cands {
			v := constString(c.f.s, name)
			if v == "" || seen[v] || !slices.Contains(c.f.s.Required, name) {
				ok = false
				break
			}
			seen[v] = true
		}
		if ok {
			return name
		}
	}
	return ""
}

// constString returns the string const of property name in s, or "".
func constString(s *jsonschema.Schema, name string) string {
	if s == nil || s.Properties[name] == nil || s.Properties[name].Const == nil {
		return ""
	}
	str, _ := (*s.Properties[name].Const).(string)
	return str
}

// variantFor makes the variant for a member that has a declaration.
func (b *builder) variantFor(decl *Decl, f *form) ([]*Variant, error) {
	v := &Variant{Decl: decl, Value: f.kind != fStruct}
	shape, err := b.shapeOf(f)
	if err != nil {
		return nil, err
	}
	v.Shape = shape
	return []*Variant{v}, nil
}

// inlineVariants declares the types of an inline union member. A member
// with several scalar kinds becomes one variant per kind.
func (b *builder) inlineVariants(u *Decl, f *form, disc string) ([]*Variant, error) {
	switch f.kind {
	case fStruct:
		suffix := ""
		if disc != "" {
			suffix = ConstName(constString(f.s, disc))
		} else {
			suffix = "Object"
		}
		d, err := b.inlineDecl(f, u.Name+suffix)
		if err != nil {
			return nil, err
		}
		if d.Doc == "" && d.Definition == "" {
			if disc != "" {
				d.Doc = fmt.Sprintf("%s is the member of %s whose %q is %q.", d.Name, u.Name, disc, constString(f.s, disc))
			} else {
				d.Doc = fmt.Sprintf("%s is an object member of %s.", d.Name, u.Name)
			}
		}
		return b.variantFor(d, f)
	case fMulti:
		var out []*Variant
		for _, k := range f.kinds {
			kf := &form{kind: scalarForm(k), s: &jsonschema.Schema{Type: k.String()}, ptr: f.ptr}
			d, err := b.namedDecl(kf, u.Name+GoName(k.String()))
			if err != nil {
				return nil, err
			}
			out = append(out, &Variant{Decl: d, Value: true, Shape: Shape{Kinds: []Kind{k}}})
		}
		return out, nil
	case fEnum:
		d, err := b.inlineDecl(f, u.Name+"Enum")
		if err != nil {
			return nil, err
		}
		return b.variantFor(d, f)
	case fList:
		name := u.Name + "List"
		if f.s.Items != nil && f.s.Items.Ref != "" {
			if def, err := b.doc.Lookup(f.s.Items.Ref); err == nil {
				name = b.defs[def.Name].Name + "List"
			}
		}
		d, err := b.namedDecl(f, name)
		if err != nil {
			return nil, err
		}
		return b.variantFor(d, f)
	case fRef:
		return nil, b.errorf(f.ptr, "internal: unresolved union member")
	}
	names := map[formKind]string{fString: "String", fInteger: "Integer", fNumber: "Number", fBoolean: "Boolean", fMap: "Map"}
	d, err := b.namedDecl(f, u.Name+names[f.kind])
	if err != nil {
		return nil, err
	}
	return b.variantFor(d, f)
}

func scalarForm(k Kind) formKind {
	switch k {
	case KindString:
		return fString
	case KindInteger:
		return fInteger
	case KindNumber:
		return fNumber
	}
	return fBoolean
}

// namedDecl declares a defined type over a basic, slice or map type, for a
// union member that is not an object.
func (b *builder) namedDecl(f *form, name string) (*Decl, error) {
	key, err := b.canonical(f.s, true)
	if err != nil {
		return nil, b.errorf(f.ptr, "%v", err)
	}
	key = "named:" + key
	if d, ok := b.shapes[key]; ok && d.Name == name {
		return d, nil
	}
	if d, ok := b.shapes[key+"\x00"+name]; ok {
		return d, nil
	}
	d := &Decl{Name: b.unique(name, f.ptr), Kind: Named, Pointer: f.ptr, Doc: f.s.Description}
	b.shapes[key+"\x00"+name] = d
	b.pending = append(b.pending, d)
	plain := *f
	plain.nullable = false
	t, err := b.plainType(&plain, name)
	if err != nil {
		return nil, err
	}
	d.Underlying = t
	return d, nil
}

// shapeOf describes how a member's JSON looks, for choosing it on decode.
func (b *builder) shapeOf(f *form) (Shape, error) {
	var sh Shape
	switch f.kind {
	case fStruct:
		sh.Kinds = []Kind{KindObject}
		s := f.s
		sh.Required = slices.Clone(s.Required)
		sh.Known = b.propertyOrder(s, f.ptr)
		sh.Closed = isFalse(s.AdditionalProperties)
		for _, name := range sh.Known {
			ps := s.Properties[name]
			if ps != nil && ps.Const != nil {
				data, err := json.Marshal(*ps.Const)
				if err != nil {
					return sh, b.errorf(f.ptr, "%v", err)
				}
				sh.Consts = append(sh.Consts, ConstProp{Name: name, Value: string(data)})
			}
		}
	case fMap:
		sh.Kinds = []Kind{KindObject}
	case fList:
		sh.Kinds = []Kind{KindArray}
	case fString, fEnum:
		sh.Kinds = []Kind{KindString}
	case fInteger:
		sh.Kinds = []Kind{KindInteger}
	case fNumber:
		sh.Kinds = []Kind{KindNumber}
	case fBoolean:
		sh.Kinds = []Kind{KindBoolean}
	case fMulti:
		sh.Kinds = slices.Clone(f.kinds)
	}
	return sh, nil
}
