package generator

import (
	"bytes"
	"embed"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/mcpgen-dev/mcpgen/ir"
)

// The task engine of each task design, and the storage contract and peer
// interface they share, are hand-written Go: the engine sources are
// written against the names of an unprefixed package and carry the build
// constraint "ignore", so that they compile only where mcpgen copies them.
// The support files are compiled and tested in package support.
//
//go:embed engine/core/*.go engine/ext/*.go
var engineSources embed.FS

//go:embed support/taskstore.go
var taskStoreSource []byte

//go:embed support/peer.go
var peerSource []byte

// engineDoc is the doc line of the support files the engine uses.
const engineDocLine = "The storage contract and the peer interface of the task engine."

// engineEra names the engine sources a package gets: "core" for the
// 2025-11-25 design, "ext" for the tasks extension, "" for none.
func (g *gen) engineEra() string {
	p := g.pkg.Protocol
	switch {
	case p == nil || g.pkg.Lifecycle == nil || p.CreateTaskResult == nil:
		return ""
	case p.Extension != nil:
		return "ext"
	case !nullableTTL(g.pkg.Lifecycle.Task):
		// The schema 2025-11-25 was released with a Task.ttl that could
		// not be null (unlimited), and patched after; the engine is
		// written for the patched one.
		return ""
	default:
		return "core"
	}
}

// nullableTTL reports whether a core task's ttl may be null, as the engine
// needs (null is an unlimited lifetime).
func nullableTTL(task *ir.Decl) bool {
	if task == nil {
		return false
	}
	for _, f := range task.Fields {
		if f.JSONName == "ttl" {
			return f.Type != nil && f.Type.Nullable
		}
	}
	return false
}

// engineJobs lists the task engine's files for the package, if it has task
// bindings.
func (g *gen) engineJobs() ([]job, error) {
	era := g.engineEra()
	if era == "" {
		return nil, nil
	}
	jobs := []job{
		{name: "taskstore.go", make: func() ([]byte, error) { return g.engineSupport("taskstore.go", taskStoreSource) }},
		{name: "peer.go", make: func() ([]byte, error) { return g.engineSupport("peer.go", peerSource) }},
	}
	dir := "engine/" + era
	entries, err := fs.ReadDir(engineSources, dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		src, err := engineSources.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		name := e.Name()
		jobs = append(jobs, job{name: name, make: func() ([]byte, error) { return g.engineFile(name, src) }})
	}
	return jobs, nil
}

// engineSupport copies a support file of the engine, renamed for the
// package's prefix.
func (g *gen) engineSupport(name string, src []byte) ([]byte, error) {
	return g.renamed(name, supportFile(g.pkg.Name, src, engineDocLine))
}

// engineFile copies an engine source: its build constraint dropped, its
// package clause this package's, its names this package's.
func (g *gen) engineFile(name string, src []byte) ([]byte, error) {
	const constraint = "//go:build ignore\n\n"
	rest, ok := bytes.CutPrefix(src, []byte(constraint))
	if !ok {
		return nil, fmt.Errorf("engine source %s does not start with %q", name, constraint)
	}
	clause := []byte("package mcp\n")
	i := bytes.Index(rest, clause)
	if i < 0 {
		return nil, fmt.Errorf("engine source %s has no line %q", name, clause)
	}
	var b bytes.Buffer
	b.WriteString("// " + Header + "\n\n")
	b.Write(rest[:i])
	b.WriteString("package " + g.pkg.Name + "\n")
	b.Write(rest[i+len(clause):])
	return g.renamed(name, b.Bytes())
}

// renamed gives every identifier of the source that names a declaration of
// the unprefixed package the name it has in this one: the definitions and
// enum values of the schema, the bindings' own names (ir.BindingNames),
// and the exported declarations of the engine files themselves. Field and
// method names, which the prefix leaves alone, are kept: selectors, struct
// fields, method names and keys of composite literals that are not enum
// values. The articles of the comments are made to fit the words after
// them, in every package, as in the generated files.
func (g *gen) renamed(name string, src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var names map[string]string
	var values map[string]bool
	if g.pkg.Prefix != "" {
		if names, values, err = g.prefixedNames(); err != nil {
			return nil, err
		}
	}
	skip := map[*ast.Ident]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			skip[n.Sel] = true
		case *ast.Field:
			if _, isMethod := n.Type.(*ast.FuncType); !isMethod || n.Names != nil {
				for _, id := range n.Names {
					skip[id] = true
				}
			}
		case *ast.FuncDecl:
			if n.Recv != nil {
				skip[n.Name] = true
			}
		case *ast.KeyValueExpr:
			if id, ok := n.Key.(*ast.Ident); ok && !values[id.Name] {
				skip[id] = true
			}
		}
		return true
	})
	documented := docNames(f)
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !skip[id] {
			if to, ok := names[id.Name]; ok {
				id.Name = to
			}
		}
		return true
	})
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			// A doc comment starts with the name it documents, even a name
			// of one part (Engine), which RenameWords leaves alone.
			if n := documented[c]; names[n] != "" {
				for _, lead := range []string{"// ", "// A ", "// An ", "// The "} {
					if strings.HasPrefix(c.Text, lead+n+" ") {
						c.Text = lead + names[n] + strings.TrimPrefix(c.Text, lead+n)
						break
					}
				}
			}
			c.Text = ir.FixArticles(ir.RenameWords(c.Text, names))
		}
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b.Bytes(), nil
}

// docNames maps the first line of each top-level doc comment of f to the
// name the comment documents.
func docNames(f *ast.File) map[*ast.Comment]string {
	out := map[*ast.Comment]string{}
	add := func(doc *ast.CommentGroup, id *ast.Ident) {
		if doc != nil && id != nil {
			out[doc.List[0]] = id.Name
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				add(d.Doc, d.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				doc := d.Doc
				if len(d.Specs) > 1 {
					doc = nil
				}
				switch s := s.(type) {
				case *ast.TypeSpec:
					if s.Doc != nil {
						doc = s.Doc
					}
					add(doc, s.Name)
				case *ast.ValueSpec:
					if s.Doc != nil {
						doc = s.Doc
					}
					add(doc, s.Names[0])
				}
			}
		}
	}
	return out
}

// prefixedNames maps every exported name of the unprefixed package to its
// name in this one, and lists the (unprefixed) names of its enum values.
func (g *gen) prefixedNames() (names map[string]string, values map[string]bool, err error) {
	names, values = ir.PrefixedNames(g.pkg), map[string]bool{}
	prefix := g.pkg.Prefix
	for _, d := range g.pkg.Decls {
		if d.External != nil {
			continue
		}
		for _, v := range d.Values {
			vb := strings.TrimPrefix(v.Name, prefix)
			names[vb] = v.Name
			values[vb] = true
		}
	}
	engine, err := engineNames(g.engineEra())
	if err != nil {
		return nil, nil, err
	}
	for _, n := range engine {
		names[n] = prefix + n
	}
	return names, values, nil
}

// engineNames lists the exported names the engine files of an era and
// their support files declare.
func engineNames(era string) ([]string, error) {
	sources := map[string][]byte{"taskstore.go": taskStoreSource, "peer.go": peerSource}
	dir := "engine/" + era
	entries, err := fs.ReadDir(engineSources, dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if sources[e.Name()], err = engineSources.ReadFile(path.Join(dir, e.Name())); err != nil {
			return nil, err
		}
	}
	var names []string
	fset := token.NewFileSet()
	for name, src := range sources {
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, d := range f.Decls {
			for _, n := range topLevelNames(d) {
				if token.IsExported(n) {
					names = append(names, n)
				}
			}
		}
	}
	sort.Strings(names)
	return names, nil
}

// topLevelNames lists the names a top-level declaration declares.
func topLevelNames(d ast.Decl) []string {
	var names []string
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			names = append(names, d.Name.Name)
		}
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				names = append(names, s.Name.Name)
			case *ast.ValueSpec:
				for _, n := range s.Names {
					names = append(names, n.Name)
				}
			}
		}
	}
	sort.Strings(names)
	return names
}
