package generator

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"sync"

	"github.com/dave/jennifer/jen"

	"github.com/mcpgen-dev/mcpgen/ir"
)

// Every type with a decodeJSON method has an UnmarshalJSON, and every type
// with an appendJSON a MarshalJSON, which differ from one type to the next
// only in its name. They are written to a file of their own, marshal.go,
// and each shape of them is printed with jennifer and formatted once, with
// a placeholder for the name. They were a fifth of json.go, and printing
// and formatting them one by one took about 9 ms of a 106 ms run
// (BENCHMARKS.md), for code that only calls the methods json.go declares.
// The name appears in no place where gofmt's layout depends on its length,
// so naming the formatted text is formatting the named text;
// TestMethodsFileIsFormatted keeps this true.

// methodsFile is the name of the file of the UnmarshalJSON and MarshalJSON
// methods.
const methodsFile = "marshal.go"

// methodsDocLine is the comment below marshal.go's header.
const methodsDocLine = "UnmarshalJSON and MarshalJSON of the types of this package, over the\n// decodeJSON and appendJSON methods in json.go."

// typeHole stands for the type's name in a method's text, and
// articleHole for the article before it, which depends on the name. They
// are no words the methods use otherwise.
const (
	typeHole    = "Tmcpgen0"
	articleHole = "Amcpgen0"
)

// anHole is an(name), or the holes that stand for it in a shape.
func anHole(name string) string {
	if name == typeHole {
		return articleHole + " " + typeHole
	}
	return an(name)
}

// A method is an UnmarshalJSON or MarshalJSON one type is given.
type method struct {
	unmarshal bool
	// recv names the receiver and name the type.
	recv, name string
	// docf is MarshalJSON's doc comment after the method's name, with
	// %[1]s for the type's name and %[2]s for it with its article.
	docf string
}

// methods collects, by part of json.go, the methods its emitters give:
// they go to marshal.go in the order the declarations take in json.go.
type methods struct {
	mu     sync.Mutex
	parts  [][]method
	byFile map[*jen.File]int
}

// collect starts part k's list, for the methods printed into f.
func (ms *methods) collect(f *jen.File, k int) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if ms.byFile == nil {
		ms.byFile = map[*jen.File]int{}
	}
	ms.parts[k] = nil
	ms.byFile[f] = k
}

// method adds m to the list of the part being printed into f, or, in a
// file that collects none, prints it there.
func (g *gen) method(f *jen.File, m method) {
	ms := &g.methods
	ms.mu.Lock()
	k, ok := ms.byFile[f]
	if ok {
		ms.parts[k] = append(ms.parts[k], m)
	}
	ms.mu.Unlock()
	if !ok {
		m.emit(f, m.name)
	}
}

// emit prints m into f for the type named name.
func (m method) emit(f *jen.File, name string) {
	if m.unmarshal {
		emitUnmarshalJSON(f, m.recv, name)
		return
	}
	emitMarshalJSON(f, name, m.recv, fmt.Sprintf(m.docf, name, anHole(name)))
}

// methodsText returns marshal.go, or nil when no type has a method.
func (g *gen) methodsText() ([]byte, error) {
	var b bytes.Buffer
	shapes := map[method][]byte{}
	for _, part := range g.methods.parts {
		for _, m := range part {
			// A shape is the method without its type's name.
			name := m.name
			m.name = ""
			text, ok := shapes[m]
			if !ok {
				var err error
				if text, err = m.shape(); err != nil {
					return nil, err
				}
				shapes[m] = text
			}
			if b.Len() == 0 {
				b.WriteString(fileHead(methodsDocLine) + "package " + g.pkg.Name + "\n")
			}
			b.WriteByte('\n')
			text = bytes.ReplaceAll(text, []byte(articleHole), []byte(ir.Article(name)))
			b.Write(bytes.ReplaceAll(text, []byte(typeHole), []byte(name)))
		}
	}
	if b.Len() == 0 {
		return nil, nil
	}
	return b.Bytes(), nil
}

// shape prints m for the placeholder type and formats it.
func (m method) shape() ([]byte, error) {
	f := jen.NewFile("p")
	f.NoFormat = true
	m.emit(f, typeHole)
	var src bytes.Buffer
	if err := f.Render(&src); err != nil {
		return nil, fmt.Errorf("%s: %w", methodsFile, err)
	}
	out, err := format.Source(src.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", methodsFile, err)
	}
	text, ok := bytes.CutPrefix(out, []byte("package p\n\n"))
	if !ok {
		return nil, errors.New(methodsFile + ": a method did not format as expected")
	}
	return text, nil
}
