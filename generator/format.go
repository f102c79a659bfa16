package generator

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"go/scanner"
	"go/token"
	"strings"
)

// Formatting a large file (json.go) took longer than everything else, so
// a file is formatted in pieces, concurrently, and the pieces are joined.
//
// A file is cut only before a top-level declaration with a doc comment
// that directly follows the closing brace of the declaration before it:
// gofmt always puts one blank line there, a line holding only "}" ends
// every alignment, and nothing printed after the cut depends on what came
// before it. Every piece but the first gets a package clause to be
// formatted on its own, which is taken off again.
// TestFormatPiecesMatchesSource checks the joined pieces against go/format
// on every generated file.

// pieceSize is about how much unformatted source one piece holds.
const pieceSize = 24 << 10

// pieceClause starts the pieces after the first while they are formatted.
const pieceClause = "package p\n\n"

// cutSource cuts src into pieces of about size bytes at the places
// described above.
func cutSource(src []byte, size int) [][]byte {
	if len(src) < size+size/2 {
		return [][]byte{src}
	}
	var pieces [][]byte
	start := 0
	for _, cut := range cutPoints(src) {
		if cut-start >= size && len(src)-cut >= size/2 {
			pieces = append(pieces, src[start:cut])
			start = cut
		}
	}
	return append(pieces, src[start:])
}

// cutPoints lists the offsets of the doc comments of top-level
// declarations that start on the line after a top-level "}".
func cutPoints(src []byte) []int {
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, scanner.ScanComments)
	var cuts []int
	depth := 0
	brace := -1  // offset of the "}" just seen at the top level
	doc := -1    // offset of a doc comment that starts on the next line
	docEnd := -1 // where that comment (with any that continue it) ends
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return cuts
		}
		off := file.Offset(pos)
		switch {
		case tok == token.SEMICOLON && lit == "\n":
			continue
		case tok == token.COMMENT:
			switch {
			case !strings.HasPrefix(lit, "//") || depth > 0:
				brace, doc = -1, -1
			case doc < 0 && brace >= 0 && off == brace+2:
				doc, docEnd = off, off+len(lit)
			case doc >= 0 && off == docEnd+1:
				docEnd = off + len(lit)
			default:
				brace, doc = -1, -1
			}
			continue
		case isDeclKeyword(tok) && depth == 0 && doc >= 0 && off == docEnd+1:
			cuts = append(cuts, doc)
		}
		brace, doc = -1, -1
		switch tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
			if tok == token.RBRACE && depth == 0 {
				brace = off
			}
		}
	}
}

// isDeclKeyword reports whether tok starts a top-level declaration.
func isDeclKeyword(tok token.Token) bool {
	return tok == token.FUNC || tok == token.TYPE || tok == token.VAR || tok == token.CONST
}

// formatPiece formats one piece; first tells whether it starts the file.
func formatPiece(piece []byte, first bool) ([]byte, error) {
	if first {
		return format.Source(piece)
	}
	out, err := format.Source(append([]byte(pieceClause), piece...))
	if err != nil {
		return nil, err
	}
	rest, ok := bytes.CutPrefix(out, []byte(pieceClause))
	if !ok {
		return nil, errors.New("the package clause of a piece did not format as expected")
	}
	return rest, nil
}

// joinPieces joins formatted pieces with the blank line gofmt puts
// between them.
func joinPieces(pieces [][]byte) []byte {
	return bytes.Join(pieces, []byte("\n"))
}

// formatWhole formats src in one go, as jennifer does, with jennifer's
// message on failure.
func formatWhole(src []byte) ([]byte, error) {
	out, err := format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("Error %s while formatting source:\n%s", err, src)
	}
	return out, nil
}
