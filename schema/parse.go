package schema

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/google/jsonschema-go/jsonschema"
)

// This file reads a schema file in one pass: it records the key order of
// every object and builds the jsonschema.Schema tree from the same parse.
//
// jsonschema-go decodes each schema object several times over (once as a
// boolean, once as a struct and once as a map for unknown keywords), and
// again at every level of nesting, which made it most of the time mcpgen
// spent loading a file. parseFast builds the same values directly for the
// keywords MCP schemas use, and hands every schema object it is not sure
// of, keyword by keyword, to jsonschema-go itself. Anything unusual in the
// text as a whole (a syntax error, nesting past maxDepth, a top level that
// is not an object) makes it decline, and Load takes the old road, which
// reports the problem as it always has. TestParseFastMatchesLibrary and
// FuzzParseFast check that both roads give the same document.

// jsonNode is one value of the parsed text.
type jsonNode struct {
	kind       byte // '{', '[', '"', '0' (number), 't', 'f' or 'n'
	start, end int  // the value's bytes in the text
	str        string
	keys       []string    // object keys, in order
	elems      []*jsonNode // object values or array elements
}

// parseFast parses data in one pass. ok is false when it declines.
func parseFast(data []byte) (root *jsonschema.Schema, order map[string][]string, ok bool) {
	p := &jsonParser{data: data, order: make(map[string][]string)}
	p.space()
	if p.pos >= len(data) || data[p.pos] != '{' {
		return nil, nil, false
	}
	n, ok := p.value("", 0)
	if !ok {
		return nil, nil, false
	}
	if p.space(); p.pos != len(data) {
		return nil, nil, false
	}
	root, ok = p.schema(n)
	if !ok {
		return nil, nil, false
	}
	return root, p.order, true
}

// jsonParser is a strict JSON parser that records, like keyOrder, the keys
// of every object under its JSON pointer.
type jsonParser struct {
	data  []byte
	pos   int
	order map[string][]string
	// keys holds each object key read so far, to share one string.
	keys map[string]string
}

func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		default:
			return
		}
	}
}

// value parses the value at p.pos, which sits at ptr and depth.
func (p *jsonParser) value(ptr string, depth int) (*jsonNode, bool) {
	if depth > maxDepth || p.pos >= len(p.data) {
		return nil, false
	}
	switch c := p.data[p.pos]; c {
	case '{':
		return p.object(ptr, depth)
	case '[':
		return p.array(ptr, depth)
	case '"':
		return p.stringNode()
	case 't':
		return p.literal("true", 't')
	case 'f':
		return p.literal("false", 'f')
	case 'n':
		return p.literal("null", 'n')
	default:
		if c == '-' || c >= '0' && c <= '9' {
			return p.number()
		}
	}
	return nil, false
}

func (p *jsonParser) object(ptr string, depth int) (*jsonNode, bool) {
	n := &jsonNode{kind: '{', start: p.pos}
	p.pos++
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		n.end = p.pos
		p.order[ptr] = nil
		return n, true
	}
	for {
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, false
		}
		key, ok := p.key()
		if !ok {
			return nil, false
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, false
		}
		p.pos++
		p.space()
		elem, ok := p.value(p.child(ptr, func() string { return EscapePointer(key) }), depth+1)
		if !ok {
			return nil, false
		}
		n.keys = append(n.keys, key)
		n.elems = append(n.elems, elem)
		if !p.next('}') {
			break
		}
	}
	if p.pos > len(p.data) {
		return nil, false
	}
	n.end = p.pos
	p.order[ptr] = n.keys
	return n, true
}

func (p *jsonParser) array(ptr string, depth int) (*jsonNode, bool) {
	n := &jsonNode{kind: '[', start: p.pos}
	p.pos++
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		n.end = p.pos
		return n, true
	}
	for i := 0; ; i++ {
		p.space()
		elem, ok := p.value(p.child(ptr, func() string { return strconv.Itoa(i) }), depth+1)
		if !ok {
			return nil, false
		}
		n.elems = append(n.elems, elem)
		if !p.next(']') {
			break
		}
	}
	if p.pos > len(p.data) {
		return nil, false
	}
	n.end = p.pos
	return n, true
}

// child is the pointer of the value at p.pos below ptr: it is built only
// for objects and arrays, the values whose pointers are recorded.
func (p *jsonParser) child(ptr string, token func() string) string {
	if p.pos < len(p.data) && (p.data[p.pos] == '{' || p.data[p.pos] == '[') {
		return ptr + "/" + token()
	}
	return ""
}

// next consumes a comma (true: another member follows) or the closing
// delimiter (false). Anything else moves p.pos past the end, which the
// callers report as a failure.
func (p *jsonParser) next(closing byte) bool {
	p.space()
	if p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ',':
			p.pos++
			return true
		case closing:
			p.pos++
			return false
		}
	}
	p.pos = len(p.data) + 1
	return false
}

func (p *jsonParser) literal(word string, kind byte) (*jsonNode, bool) {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(word)) {
		return nil, false
	}
	n := &jsonNode{kind: kind, start: p.pos, end: p.pos + len(word)}
	p.pos = n.end
	return n, true
}

// number checks the JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) number() (*jsonNode, bool) {
	d, i := p.data, p.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		i = digits(d, i)
	default:
		return nil, false
	}
	if i < len(d) && d[i] == '.' {
		if j := digits(d, i+1); j > i+1 {
			i = j
		} else {
			return nil, false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if j := digits(d, i); j > i {
			i = j
		} else {
			return nil, false
		}
	}
	n := &jsonNode{kind: '0', start: p.pos, end: i}
	p.pos = i
	return n, true
}

func digits(d []byte, i int) int {
	for i < len(d) && d[i] >= '0' && d[i] <= '9' {
		i++
	}
	return i
}

// stringNode parses a string.
func (p *jsonParser) stringNode() (*jsonNode, bool) {
	start := p.pos
	raw, verbatim, ok := p.stringBytes()
	if !ok {
		return nil, false
	}
	n := &jsonNode{kind: '"', start: start, end: p.pos}
	if verbatim {
		n.str = string(raw)
	} else if n.str, ok = p.unquote(start); !ok {
		return nil, false
	}
	return n, true
}

// key parses an object key. Schemas repeat a few dozen keys thousands of
// times ("type", "description", property names), so each is allocated
// once per file.
func (p *jsonParser) key() (string, bool) {
	start := p.pos
	raw, verbatim, ok := p.stringBytes()
	if !ok {
		return "", false
	}
	if !verbatim {
		return p.unquote(start)
	}
	if k, ok := p.keys[string(raw)]; ok {
		return k, true
	}
	k := string(raw)
	if p.keys == nil {
		p.keys = make(map[string]string)
	}
	p.keys[k] = k
	return k, true
}

// stringBytes reads past the string at p.pos and returns the bytes between
// its quotes; verbatim reports that they are its text, with no escapes and
// nothing that is not UTF-8.
func (p *jsonParser) stringBytes() (raw []byte, verbatim, ok bool) {
	end, plain, ok := scanString(p.data, p.pos)
	if !ok {
		return nil, false, false
	}
	raw = p.data[p.pos+1 : end-1]
	p.pos = end
	return raw, plain || utf8.Valid(raw) && bytes.IndexByte(raw, '\\') < 0, true
}

// unquote decodes the string that starts at start and ends at p.pos, one
// that is not verbatim, with encoding/json, so that it reads exactly as it
// did when encoding/json read the whole file.
func (p *jsonParser) unquote(start int) (string, bool) {
	var s string
	if err := json.Unmarshal(p.data[start:p.pos], &s); err != nil {
		return "", false
	}
	return s, true
}

// scanString finds the end of the string that starts at d[start]. plain
// reports that it holds only ASCII and no escapes.
func scanString(d []byte, start int) (end int, plain, ok bool) {
	plain = true
	for i := start + 1; i < len(d); i++ {
		switch c := d[i]; {
		case c == '"':
			return i + 1, plain, true
		case c < 0x20:
			return 0, false, false
		case c >= utf8.RuneSelf:
			plain = false
		case c == '\\':
			plain = false
			if i++; i >= len(d) {
				return 0, false, false
			}
			switch d[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(d) || !isHex(d[i+1:i+5]) {
					return 0, false, false
				}
				i += 4
			default:
				return 0, false, false
			}
		}
	}
	return 0, false, false
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
