package generator

import (
	"bytes"
	"go/format"
	"testing"
)

// TestSupportFilesAreFormatted checks what supportFile relies on to skip
// go/format: the support files, with their package clause rewritten, are
// already as gofmt would print them.
func TestSupportFilesAreFormatted(t *testing.T) {
	sources := []struct {
		name, doc string
		source    []byte
	}{
		{"support.go", supportDocLine, supportSource},
		{"scan.go", "", scanSource},
		{"decode.go", decodeDocLine, decodeSource},
		{"encode.go", encodeDocLine, encodeSource},
	}
	for _, src := range sources {
		for _, pkg := range []string{"p", "mcp20251125", "averyveryverylongpackagenamethatgoesonandon"} {
			got := supportFile(pkg, src.source, src.doc)
			want, err := format.Source(got)
			if err != nil {
				t.Fatalf("%s in package %s: %v", src.name, pkg, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s in package %s is not gofmt-clean; run gofmt on generator/support/%s", src.name, pkg, src.name)
			}
		}
	}
}

// TestSupportFileClause checks where supportFile finds the package clause
// and what it keeps around it.
func TestSupportFileClause(t *testing.T) {
	for _, tc := range []struct{ source, want string }{
		{"// Package support is this.\npackage support\n\nvar x int\n", "// H\n\npackage p\n\nvar x int\n"},
		{"package support\n\nvar x int\n", "// H\n\npackage p\n\nvar x int\n"},
		{"//go:build go1.26\n\npackage support\n\n// not package support\nvar x int\n", "// H\n\n//go:build go1.26\n\npackage p\n\n// not package support\nvar x int\n"},
		{"// x package support\npackage support\n", "// H\n\n// x package support\npackage p\n"},
	} {
		got := supportFile("p", []byte(tc.source), "")
		got = bytes.Replace(got, []byte("// "+Header), []byte("// H"), 1)
		if string(got) != tc.want {
			t.Errorf("supportFile(%q) = %q, want %q", tc.source, got, tc.want)
		}
	}
}
