package generator

import (
	"bytes"
	"go/format"
	"testing"

	"github.com/dave/jennifer/jen"

	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/schema"
)

// TestMethodsFileIsFormatted checks what marshal.go relies on to format
// each shape of method once: for every revision and test schema, the file
// is gofmt-clean, and it is what printing every method with its own type's
// name and formatting them together gives.
func TestMethodsFileIsFormatted(t *testing.T) {
	for _, pkg := range allPackages(t) {
		g := &gen{pkg: pkg}
		got := methodsOf(t, g, jsonPartCount)
		if got == nil {
			t.Errorf("%s: no marshal.go", pkg.Source.File)
			continue
		}
		if clean, err := format.Source(got); err != nil || !bytes.Equal(clean, got) {
			t.Errorf("%s: marshal.go is not gofmt-clean (%v)", pkg.Source.File, err)
		}
		whole := jen.NewFile(pkg.Name)
		whole.NoFormat = true
		n := 0
		for _, part := range g.methods.parts {
			for _, m := range part {
				m.emit(whole, m.name)
				n++
			}
		}
		var src bytes.Buffer
		if err := whole.Render(&src); err != nil {
			t.Fatal(err)
		}
		formatted, err := format.Source(src.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		want := append([]byte("// "+Header+"\n\n// "+methodsDocLine+"\n\n"), formatted...)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: marshal.go differs from its %d methods printed and formatted together", pkg.Source.File, n)
		}
		if c := bytes.Count(got, []byte("\nfunc ")); c != n {
			t.Errorf("%s: marshal.go has %d methods, want %d", pkg.Source.File, c, n)
		}
	}
}

// TestMethodsFollowTheDeclarations checks that marshal.go lists each
// type's methods in json.go's order of declarations, UnmarshalJSON before
// MarshalJSON, whatever the number of parts json.go is printed in.
func TestMethodsFollowTheDeclarations(t *testing.T) {
	pkg := buildRevision(t, testenv.SchemaDir(t), schema.Revisions[len(schema.Revisions)-1])
	var want []byte
	for _, count := range []int{1, jsonPartCount, len(pkg.Decls) + 1} {
		got := methodsOf(t, &gen{pkg: pkg}, count)
		if want == nil {
			want = got
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("marshal.go with json.go in %d parts differs from it in one part", count)
		}
	}
	var order []string
	for _, d := range pkg.Decls {
		if d.External == nil {
			order = append(order, d.Name)
		}
	}
	last := -1
	for line := range bytes.Lines(want) {
		name, ok := methodType(line)
		if !ok {
			continue
		}
		i := indexOf(order, name)
		if i < last {
			t.Fatalf("marshal.go: %s comes after a later declaration", name)
		}
		last = i
	}
	if last < 0 {
		t.Fatal("marshal.go names no type")
	}
}

// methodsOf prints json.go in count parts, as Generate does, and returns
// the marshal.go that follows from it.
func methodsOf(t *testing.T, g *gen, count int) []byte {
	t.Helper()
	for _, emit := range g.jsonPartsOf(count) {
		if _, err := g.print("json.go", emit); err != nil {
			t.Fatal(err)
		}
	}
	text, err := g.methodsText()
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// methodType is the receiver type of a line declaring a method.
func methodType(line []byte) (string, bool) {
	rest, ok := bytes.CutPrefix(line, []byte("func ("))
	if !ok {
		return "", false
	}
	_, rest, _ = bytes.Cut(rest, []byte(" "))
	name, _, _ := bytes.Cut(bytes.TrimPrefix(rest, []byte("*")), []byte(")"))
	return string(name), true
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
