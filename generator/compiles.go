package generator

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path"
	"strings"

	"github.com/mcpgen-dev/mcpgen/ir"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// checkCompiles type-checks the Go files of the package before anything
// is written, so that a schema the generator mishandles (two declarations
// that come out with one name, two enum values that make one case) stops
// generation with an error instead of leaving code that does not build.
//
// Imported packages are not loaded: each import is an empty package, and
// an error about a name selected from one is not an error of the output.
// That keeps the check to the package's own declarations, in tens of
// milliseconds, with nothing outside the process (the standard library's
// export data would have to come from the go command).
func checkCompiles(pkg *ir.Package, files []File) error {
	fset := token.NewFileSet()
	var parsed []*ast.File
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".go") || strings.HasSuffix(f.Name, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f.Name, f.Data, parser.SkipObjectResolution)
		if err != nil {
			return outputError(pkg, err.Error())
		}
		parsed = append(parsed, af)
	}
	imported := map[token.Pos]bool{} // positions of names selected from imports
	for _, af := range parsed {
		names := map[string]bool{}
		for _, imp := range af.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			name := path.Base(p)
			if imp.Name != nil {
				name = imp.Name.Name
			}
			names[name] = true
		}
		ast.Inspect(af, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && names[x.Name] {
					imported[sel.Pos()] = true
					imported[sel.Sel.Pos()] = true
				}
			}
			return true
		})
	}
	var first error
	conf := types.Config{
		Importer: emptyImporter{},
		Error: func(err error) {
			var te types.Error
			if first != nil || errors.As(err, &te) && (te.Soft && strings.Contains(te.Msg, "declared and not used") || imported[te.Pos]) {
				return
			}
			first = err
		},
	}
	_, _ = conf.Check(pkg.Name, fset, parsed, nil)
	if first == nil {
		return nil
	}
	msg := first.Error()
	var te types.Error
	if errors.As(first, &te) {
		msg = te.Msg
		if decl := declNamed(pkg, redeclared(te.Msg)); decl != nil {
			return &schema.Error{File: pkg.Source.File, Pointer: decl.Pointer, Reason: "the generated Go would not compile: " + fset.Position(te.Pos).String() + ": " + msg}
		}
		msg = fset.Position(te.Pos).String() + ": " + msg
	}
	return outputError(pkg, msg)
}

func outputError(pkg *ir.Package, msg string) error {
	return &schema.Error{File: pkg.Source.File, Reason: "the generated Go would not compile: " + msg}
}

// redeclared returns the name in a "NAME redeclared in this block" message.
func redeclared(msg string) string {
	name, ok := strings.CutSuffix(msg, " redeclared in this block")
	if !ok {
		return ""
	}
	return name
}

// declNamed finds the declaration, or the declaration of the enum value,
// that has the Go name name.
func declNamed(pkg *ir.Package, name string) *ir.Decl {
	if name == "" {
		return nil
	}
	for _, d := range pkg.Decls {
		if d.Name == name {
			return d
		}
		for _, v := range d.Values {
			if v.Name == name {
				return d
			}
		}
	}
	return nil
}

// emptyImporter gives every import as a package with nothing in it.
type emptyImporter struct{}

func (emptyImporter) Import(p string) (*types.Package, error) {
	pkg := types.NewPackage(p, path.Base(p))
	pkg.MarkComplete()
	return pkg, nil
}
