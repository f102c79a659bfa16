package generator

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Formatting is most of what Generate costs, and json.go alone is more
// than half the output, so a large file is printed in parts: each part is
// a jennifer file of its own holding some of the declarations, printed and
// formatted by one worker, and the formatted parts are joined under one
// package clause and import block.
//
// Parts are joined only where gofmt's output does not depend on what came
// before: before a top-level declaration with a doc comment, when the line
// before it is the "}" that ends the declaration before. gofmt always puts
// one blank line there, a line holding only a closing brace ends every
// alignment, and nothing printed after it depends on what came before. If
// a boundary is not such a place, the parts are joined unformatted and
// the file is formatted whole; if the parts' imports clash, or a part
// does not format, the file is printed again as one jennifer file. Either
// way the output (or the error) is the one printing it whole gives, only
// slower. TestPartsFormatLikeTheWhole compares the two roads on every
// generated file.

// pieceClause heads a part's declarations while they are formatted.
const pieceClause = "package p\n\n"

// A part is one printed part of a Go file.
type part struct {
	imports []importSpec
	// body holds the part's declarations as jennifer printed them, and
	// formatted the same after go/format.
	body, formatted []byte
	err             error
}

// An importSpec is one import of a part: its path and, when jennifer
// gave it one, its name.
type importSpec struct {
	name, path string
}

// printPart splits the source of a jennifer file into its imports and its
// declarations, and formats the declarations.
func printPart(src []byte) part {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ImportsOnly)
	if err != nil {
		// Printed whole, the file reports the error (see joinParts).
		return part{body: src, err: err}
	}
	var p part
	end := f.Name.End()
	for _, spec := range f.Imports {
		s := importSpec{}
		if s.path, err = strconv.Unquote(spec.Path.Value); err != nil {
			return part{body: src, err: err}
		}
		if spec.Name != nil {
			s.name = spec.Name.Name
		}
		p.imports = append(p.imports, s)
	}
	if n := len(f.Decls); n > 0 {
		end = f.Decls[n-1].End()
	}
	p.body = bytes.TrimLeft(src[fset.Position(end).Offset:], "\n")
	if len(p.body) > 0 {
		p.formatted, p.err = formatPiece(p.body)
	}
	return p
}

// formatPiece formats declarations that follow a package clause.
func formatPiece(body []byte) ([]byte, error) {
	out, err := format.Source(append([]byte(pieceClause), body...))
	if err != nil {
		return nil, err
	}
	rest, ok := bytes.CutPrefix(out, []byte(pieceClause))
	if !ok {
		return nil, errors.New("the package clause of a piece did not format as expected")
	}
	return rest, nil
}

// joinParts puts a file printed in parts together, for package pkg.
func joinParts(pkg string, parts []part) ([]byte, error) {
	var bodies, formatted [][]byte
	clean := true
	for _, p := range parts {
		if p.err != nil {
			// One file gives the error with the whole source.
			return nil, errPrintWhole
		}
		if len(p.body) == 0 {
			continue
		}
		if len(bodies) > 0 && !joinable(bodies[len(bodies)-1], p.body) {
			clean = false
		}
		bodies = append(bodies, p.body)
		formatted = append(formatted, p.formatted)
	}
	imports, ok := mergeImports(parts)
	if !ok {
		return nil, errPrintWhole
	}
	head := headSource(pkg, imports)
	if clean {
		h, err := format.Source(head)
		if err == nil {
			return bytes.Join(append([][]byte{h}, formatted...), []byte("\n")), nil
		}
	}
	// jennifer puts one newline between top-level declarations.
	src := head
	for _, body := range bodies {
		src = append(append(src, '\n'), bytes.TrimRight(body, "\n")...)
	}
	return formatWhole(src)
}

// errPrintWhole asks for the file to be printed as one jennifer file: a
// part did not parse or format, which one file reports with the whole
// source, or the parts import packages under clashing names, which
// jennifer resolves only when it prints the declarations together.
var errPrintWhole = errors.New("the file must be printed whole")

// joinable reports whether formatted parts may be joined between the
// declarations prev ends with and next starts with: prev's last line closes
// a brace, and next starts with a doc comment and then a declaration.
func joinable(prev, next []byte) bool {
	prev = bytes.TrimRight(prev, "\n")
	last := prev[bytes.LastIndexByte(prev, '\n')+1:]
	if !endsWithBrace(last) {
		return false
	}
	comments := 0
	for line := range bytes.Lines(next) {
		switch {
		case bytes.HasPrefix(line, []byte("//")):
			comments++
		case comments == 0:
			return false
		default:
			for _, kw := range []string{"func ", "type ", "var ", "const "} {
				if bytes.HasPrefix(line, []byte(kw)) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// endsWithBrace reports whether a line of Go scans cleanly to a closing
// brace as its last token.
func endsWithBrace(line []byte) bool {
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(line))
	bad := false
	var s scanner.Scanner
	s.Init(file, line, func(token.Position, string) { bad = true }, scanner.ScanComments)
	last := token.ILLEGAL
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return !bad && last == token.RBRACE
		}
		if tok != token.SEMICOLON || lit != "\n" {
			last = tok
		}
	}
}

// mergeImports is every import of the parts, sorted by path. It reports
// false when two parts name one path differently or two paths take one
// name.
func mergeImports(parts []part) ([]importSpec, bool) {
	byPath := map[string]string{}
	for _, p := range parts {
		for _, s := range p.imports {
			if name, seen := byPath[s.path]; seen && name != s.name {
				return nil, false
			}
			byPath[s.path] = s.name
		}
	}
	var all []importSpec
	names := map[string]bool{}
	for p, name := range byPath {
		local := name
		if local == "" {
			local = path.Base(p)
		}
		if names[local] && local != "_" {
			return nil, false
		}
		names[local] = true
		all = append(all, importSpec{name: name, path: p})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].path < all[j].path })
	return all, true
}

// headSource is the start of a file, as jennifer prints it: the header
// comment, the package clause and the import block.
func headSource(pkg string, imports []importSpec) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// %s\n\npackage %s\n", Header, pkg)
	spec := func(s importSpec) string {
		if s.name != "" {
			return s.name + " " + strconv.Quote(s.path)
		}
		return strconv.Quote(s.path)
	}
	switch len(imports) {
	case 0:
	case 1:
		fmt.Fprintf(&b, "\nimport %s\n", spec(imports[0]))
	default:
		b.WriteString("\nimport (\n")
		for _, s := range imports {
			fmt.Fprintf(&b, "\t%s\n", spec(s))
		}
		b.WriteString(")\n")
	}
	return b.Bytes()
}

// formatWhole formats src in one go, as jennifer does, with jennifer's
// message on failure.
func formatWhole(src []byte) ([]byte, error) {
	out, err := format.Source(src)
	if err != nil {
		// One line: the printed source is for a debugger, not a message.
		msg, _, _ := strings.Cut(err.Error(), "\n")
		return nil, fmt.Errorf("the printed Go does not parse: %s", msg)
	}
	return out, nil
}
