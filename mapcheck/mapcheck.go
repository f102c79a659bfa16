// Package mapcheck checks the targets of -map before anything is
// generated: each must be an exported, non-generic type that exists and
// can hold every JSON kind the definition it replaces may take. Without
// the check a bad target fails only when the generated package is built,
// far from the flag that caused it.
package mapcheck

import (
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/mcpgen-dev/mcpgen/ir"
)

// Check loads the packages of the mapping's targets from dir (the output
// directory, or its nearest existing parent, whose module resolves them)
// and refuses the first target that is not a fit for its definition of
// pkg. Errors read "-map DEF=PATH.Type: reason", on one line.
func Check(pkg *ir.Package, mapping map[string]ir.External, dir string) error {
	defs := slices.Sorted(func(yield func(string) bool) {
		for def := range mapping {
			if !yield(def) {
				return
			}
		}
	})
	fail := func(def string, format string, args ...any) error {
		e := mapping[def]
		return fmt.Errorf("-map %s=%s.%s: %s", def, e.ImportPath, e.Name, fmt.Sprintf(format, args...))
	}
	var paths []string
	for _, def := range defs {
		e := mapping[def]
		if definition(pkg, def) == nil {
			return fail(def, "the schema has no definition %q", def)
		}
		if !token.IsIdentifier(e.Name) || !token.IsExported(e.Name) {
			return fail(def, "%s is not an exported Go identifier, so the generated package cannot name it", e.Name)
		}
		if !slices.Contains(paths, e.ImportPath) {
			paths = append(paths, e.ImportPath)
		}
	}
	if len(paths) == 0 {
		return nil
	}
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes, Dir: existingParent(dir)}
	loaded, err := packages.Load(cfg, paths...)
	if err != nil {
		return fmt.Errorf("-map: loading %s: %s", strings.Join(paths, ", "), oneLine(err.Error()))
	}
	byPath := map[string]*packages.Package{}
	for _, p := range loaded {
		byPath[p.PkgPath] = p
	}
	for _, def := range defs {
		e := mapping[def]
		p := byPath[e.ImportPath]
		if p == nil || len(p.Errors) > 0 || p.Types == nil {
			why := "no such package"
			if p != nil && len(p.Errors) > 0 {
				why = oneLine(p.Errors[0].Msg)
			}
			return fail(def, "cannot load package %s: %s", e.ImportPath, why)
		}
		obj := p.Types.Scope().Lookup(e.Name)
		if obj == nil {
			return fail(def, "package %s declares no %s", e.ImportPath, e.Name)
		}
		tn, ok := obj.(*types.TypeName)
		if !ok {
			return fail(def, "%s is a %s, not a type", e.Name, objectKind(obj))
		}
		if generic(tn.Type()) {
			return fail(def, "%s is generic; map to an instance through a type of its own", e.Name)
		}
		if err := fits(tn.Type(), jsonKinds(definition(pkg, def))); err != nil {
			return fail(def, "%s %v", e.Name, err)
		}
	}
	return nil
}

func definition(pkg *ir.Package, def string) *ir.Decl {
	for _, d := range pkg.Decls {
		if d.Definition == def {
			return d
		}
	}
	return nil
}

func objectKind(obj types.Object) string {
	switch obj.(type) {
	case *types.Func:
		return "function"
	case *types.Var:
		return "variable"
	case *types.Const:
		return "constant"
	}
	return "non-type"
}

func generic(t types.Type) bool {
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		return t.TypeParams().Len() > 0 && t.TypeArgs().Len() == 0
	}
	if a, ok := t.(*types.Alias); ok {
		return a.TypeParams().Len() > 0
	}
	return false
}

// jsonKinds lists the JSON kinds a value of d may take (null aside).
func jsonKinds(d *ir.Decl) []ir.Kind {
	d = d.Resolve()
	switch d.Kind {
	case ir.Multi:
		return d.Kinds
	case ir.Struct:
		return []ir.Kind{ir.KindObject}
	case ir.Enum:
		return []ir.Kind{ir.KindString}
	case ir.Named:
		return typeKinds(d.Underlying)
	case ir.Union:
		var out []ir.Kind
		for _, v := range d.Variants {
			for _, k := range v.Shape.Kinds {
				if !slices.Contains(out, k) {
					out = append(out, k)
				}
			}
		}
		return out
	}
	return nil
}

func typeKinds(t *ir.Type) []ir.Kind {
	switch t.Kind {
	case ir.TString:
		return []ir.Kind{ir.KindString}
	case ir.TInteger:
		return []ir.Kind{ir.KindInteger}
	case ir.TNumber:
		return []ir.Kind{ir.KindNumber}
	case ir.TBoolean:
		return []ir.Kind{ir.KindBoolean}
	case ir.TList:
		return []ir.Kind{ir.KindArray}
	case ir.TMap:
		return []ir.Kind{ir.KindObject}
	case ir.TRef:
		return jsonKinds(t.Decl)
	}
	return []ir.Kind{ir.KindAny}
}

// fits reports why t cannot round-trip every kind in want with
// encoding/json, or nil: a type with its own UnmarshalJSON and MarshalJSON
// is taken at its word; any other must have an underlying type that
// encoding/json reads from and writes as each of those kinds.
func fits(t types.Type, want []ir.Kind) error {
	unmarshal := hasMethod(types.NewPointer(t), "UnmarshalJSON")
	marshal := hasMethod(t, "MarshalJSON")
	switch {
	case unmarshal && marshal:
		return nil
	case !marshal && hasMethod(types.NewPointer(t), "MarshalJSON"):
		// The generated code encodes the values it holds, which are not
		// addressable there, so encoding/json would not call it.
		return errors.New("has MarshalJSON on its pointer only; the generated code encodes values, so it must be on the value")
	case unmarshal || marshal:
		return errors.New("has only one of UnmarshalJSON and MarshalJSON; it needs both or neither")
	}
	have := kindsOf(t.Underlying())
	var missing []string
	for _, k := range want {
		if k != ir.KindNull && !slices.Contains(have, k) && !slices.Contains(have, ir.KindAny) {
			missing = append(missing, "a JSON "+k.String())
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("(%s) cannot hold %s, which the definition allows; give it UnmarshalJSON and MarshalJSON", types.TypeString(t.Underlying(), nil), strings.Join(missing, " or "))
}

// hasMethod reports whether t's method set has name with the signature
// of json.Unmarshaler's or json.Marshaler's method.
func hasMethod(t types.Type, name string) bool {
	sel := types.NewMethodSet(t).Lookup(nil, name)
	if sel == nil {
		return false
	}
	sig, ok := sel.Obj().Type().(*types.Signature)
	if !ok || sig.Results().Len() == 0 || sig.Results().At(sig.Results().Len()-1).Type().String() != "error" {
		return false
	}
	if name == "UnmarshalJSON" {
		return sig.Params().Len() == 1 && sig.Params().At(0).Type().String() == "[]byte" && sig.Results().Len() == 1
	}
	return sig.Params().Len() == 0 && sig.Results().Len() == 2 && sig.Results().At(0).Type().String() == "[]byte"
}

// kindsOf lists the JSON kinds encoding/json reads into and writes from a
// value of underlying type t.
func kindsOf(t types.Type) []ir.Kind {
	switch t := t.(type) {
	case *types.Basic:
		switch {
		case t.Info()&types.IsString != 0:
			return []ir.Kind{ir.KindString}
		case t.Info()&types.IsInteger != 0:
			return []ir.Kind{ir.KindInteger}
		case t.Info()&types.IsFloat != 0:
			return []ir.Kind{ir.KindNumber, ir.KindInteger}
		case t.Info()&types.IsBoolean != 0:
			return []ir.Kind{ir.KindBoolean}
		}
	case *types.Struct:
		return []ir.Kind{ir.KindObject}
	case *types.Map:
		return []ir.Kind{ir.KindObject}
	case *types.Slice, *types.Array:
		return []ir.Kind{ir.KindArray}
	case *types.Pointer:
		return kindsOf(t.Elem().Underlying())
	case *types.Interface:
		if t.Empty() {
			return []ir.Kind{ir.KindAny}
		}
	}
	return nil
}

// existingParent is dir, or its nearest parent that exists: the output
// directory may not have been made yet.
func existingParent(dir string) string {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// oneLine keeps an error on the one line the command prints.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
