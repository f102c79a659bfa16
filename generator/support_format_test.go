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
