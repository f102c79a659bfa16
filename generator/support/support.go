// Package support holds the decoding support that mcpgen copies into every
// generated package (with the package clause rewritten), so that generated
// code depends on the standard library alone. It is a package of its own so
// that it is compiled and tested here, once.
package support

import (
	"bytes"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
)

// A DecodeError reports a JSON value that does not match the schema.
type DecodeError struct {
	// Path locates the value, such as "params.task.ttl" or "content[2].type";
	// it is empty for the value being decoded itself.
	Path string
	// Expected and Got describe a value of the wrong JSON kind.
	Expected, Got string
	// Msg describes any other problem.
	Msg string
}

func (e *DecodeError) Error() string {
	msg := e.Msg
	if msg == "" {
		msg = "expected " + e.Expected + ", got " + e.Got
	}
	if e.Path == "" {
		return msg
	}
	return e.Path + ": " + msg
}

// pathKey renders a property name as a path element.
func pathKey(name string) string {
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return "[" + strconv.Quote(name) + "]"
		}
	}
	if name == "" {
		return `[""]`
	}
	return name
}

// atPath puts elem (a property name or "[i]") in front of err's path.
func atPath(err error, elem string) error {
	de, ok := err.(*DecodeError)
	if !ok {
		return &DecodeError{Path: elem, Msg: err.Error()}
	}
	out := *de
	out.Path = joinPath(elem, out.Path)
	return &out
}

// joinPath puts elem (a property name or "[i]") in front of path.
func joinPath(elem, path string) string {
	switch {
	case path == "":
		return elem
	case path[0] == '[':
		return elem + path
	}
	return elem + "." + path
}

// jsonKind names the kind of a JSON value: from its first byte, and for a
// number from its value.
func jsonKind(data []byte) string {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 {
		return "nothing"
	}
	switch c := data[0]; {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		// JSON Schema's rule, the same everywhere: a number whose value is
		// whole is an integer, however it is written (1, 1.0, 1e2).
		if tok := bytes.TrimRight(data, " \t\r\n"); fractional(tok) {
			// One too large for an int64 is still an integer, reported
			// as out of range where one is read.
			if _, err := exactInteger(tok); err != nil && err.(*DecodeError).Expected != "" {
				return "number"
			}
		}
		return "integer"
	}
	return "invalid JSON"
}

func kindError(expected string, data []byte) error {
	return &DecodeError{Expected: expected, Got: jsonKind(data)}
}

// decodeString decodes data, which must be a JSON string.
func decodeString(data []byte, dst *string) error {
	d := decoder{data: data}
	if err := d.readString(dst); err != nil {
		return err
	}
	return d.end()
}

// decodeInteger accepts what JSON Schema calls an integer: a number with
// no fractional part, written 5, 5.0 or 5e0.
func decodeInteger(data []byte, dst *int64) error {
	text := bytes.TrimSpace(data)
	switch jsonKind(data) {
	case "integer", "number":
		n, err := exactInteger(text)
		if err != nil {
			return err
		}
		*dst = n
		return nil
	}
	return kindError("integer", data)
}

// exactInteger returns the value of a JSON number token that is an
// integer, exactly and in time linear in its length: 9007199254740993.0
// is 9007199254740993, 1.0000000000000001 is not an integer, 1e2 is 100
// and 0e999999999 is 0. The value is its significant digits (from the
// first non-zero digit to the last) times ten to a power; it is an
// integer when that power is not negative.
func exactInteger(tok []byte) (int64, error) {
	mantissa := tok
	neg := len(tok) > 0 && tok[0] == '-'
	if neg {
		mantissa = tok[1:]
	}
	var exp []byte
	if i := bytes.IndexAny(mantissa, "eE"); i >= 0 {
		mantissa, exp = mantissa[:i], mantissa[i+1:]
	}
	intPart, frac, _ := bytes.Cut(mantissa, []byte("."))
	all := len(intPart) + len(frac)
	digit := func(i int) byte {
		if i < len(intPart) {
			return intPart[i]
		}
		return frac[i-len(intPart)]
	}
	first, last := -1, -1
	for i := range all {
		if digit(i) != '0' {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return 0, nil // zero, whatever its exponent
	}
	e, ok := smallExponent(exp)
	power := all - 1 - last - len(frac) + e // of ten, times the digits
	switch {
	case !ok && exp[0] == '-', ok && power < 0:
		return 0, &DecodeError{Expected: "integer", Got: "number"}
	case !ok, last-first+1+power > 19:
		return 0, &DecodeError{Msg: "integer out of range: " + shorten(string(tok))}
	}
	buf := make([]byte, 0, 20)
	if neg {
		buf = append(buf, '-')
	}
	for i := first; i <= last; i++ {
		buf = append(buf, digit(i))
	}
	for range power {
		buf = append(buf, '0')
	}
	n, ok := parseInt(buf)
	if !ok {
		return 0, &DecodeError{Msg: "integer out of range: " + shorten(string(tok))}
	}
	return n, nil
}

// smallExponent parses the exponent of a number token ("" is 0); ok is
// false when its magnitude is beyond any that a 19-digit integer needs.
func smallExponent(exp []byte) (int, bool) {
	if len(exp) == 0 {
		return 0, true
	}
	sign := 1
	switch exp[0] {
	case '-':
		sign, exp = -1, exp[1:]
	case '+':
		exp = exp[1:]
	}
	exp = bytes.TrimLeft(exp, "0")
	if len(exp) > 6 {
		return 0, false
	}
	n := 0
	for _, c := range exp {
		n = n*10 + int(c-'0')
	}
	return sign * n, true
}

// shorten keeps error messages short when the offending text is not.
func shorten(s string) string {
	if len(s) > 64 {
		return s[:61] + "..."
	}
	return s
}

// decodeAny decodes data, an arbitrary JSON value, as readAny does.
func decodeAny(data []byte, dst *any) error {
	d := decoder{data: data}
	if err := d.readAny(dst); err != nil {
		return err
	}
	return d.end()
}

// jsonNull stands for an explicit null in an optional property of any
// type, which a nil value would drop.
var jsonNull = json.RawMessage("null")

// decodeValue decodes a generated type through its UnmarshalJSON method.
func decodeValue[T any](data []byte, dst *T) error {
	return any(dst).(json.Unmarshaler).UnmarshalJSON(data)
}

// inKeyOrder yields the entries of m in the order of their keys, the
// order encoding/json writes a map in. The keys of a small map are sorted
// in an array on the stack: encoding one allocates nothing.
func inKeyOrder[V any](m map[string]V) iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		if len(m) == 0 {
			return
		}
		var small [16]string
		keys := small[:0]
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !yield(k, m[k]) {
				return
			}
		}
	}
}

func compact(raw []byte) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	s := b.String()
	if len(s) > 64 {
		s = s[:61] + "..."
	}
	return s
}

func unknownDiscriminator(name, got string, want ...string) error {
	return &DecodeError{Path: pathKey(name), Msg: fmt.Sprintf("unknown value %q (want %s)", shorten(got), strings.Join(want, ", "))}
}

// kindSet is a set of JSON kinds a union member accepts.
type kindSet uint8

const (
	kindObject kindSet = 1 << iota
	kindArray
	kindString
	kindInteger
	kindNumber
	kindBoolean
)

// variantShape is what a union member's JSON must look like.
type variantShape struct {
	name     string
	kinds    kindSet
	required []string
	known    []string
	consts   [][2]string // property name, JSON value
	closed   bool
}

func kindOf(data []byte) kindSet {
	switch jsonKind(data) {
	case "object":
		return kindObject
	case "array":
		return kindArray
	case "string":
		return kindString
	case "integer":
		return kindInteger | kindNumber
	case "number":
		return kindNumber
	case "boolean":
		return kindBoolean
	}
	return 0
}

// rankVariants lists the union members data may belong to, best first:
// members of the right JSON kind whose required properties are present,
// whose fixed properties match and (if closed) that know every property.
// They are ranked by how many of data's properties they know, in groups
// of equal rank separated by -1, each group in schema order; the caller
// decodes them in turn and keeps the first that succeeds, so members that
// differ only below the top level (two list schemas whose items differ)
// are still told apart, and a value the best-ranked members refuse still
// goes to an open member that takes it. The list is appended to order, so
// that a caller's small array can hold it.
func rankVariants(data []byte, union string, shapes []variantShape, order []int) ([]int, error) {
	kind := kindOf(data)
	var buf [16]rawMember
	var fields objectFields
	if kind == kindObject {
		var err error
		if fields, err = readFields(data, buf[:0]); err != nil {
			return nil, err
		}
	}
	return rankShapes(data, kind, fields, union, shapes, order)
}

// readVariant reads the value at d's position for a union chosen by shape:
// it returns the value's text, and the union's members ranked for it as
// rankVariants ranks them. An object is read once, noting its properties
// on the way, instead of being skipped and then read again.
func (d *decoder) readVariant(union string, shapes []variantShape, order []int) ([]byte, []int, error) {
	if d.err != nil || d.next() != '{' {
		data, err := d.skip()
		if err != nil {
			return nil, nil, err
		}
		order, err = rankVariants(data, union, shapes, order)
		return data, order, err
	}
	var buf [16]rawMember
	data, fields, err := d.readObject(buf[:0])
	if err != nil {
		return nil, nil, err
	}
	order, err = rankShapes(data, kindObject, fields, union, shapes, order)
	return data, order, err
}

// rankShapes is rankVariants for a value of the given kind whose
// properties, when it is an object, are fields.
func rankShapes(data []byte, kind kindSet, fields objectFields, union string, shapes []variantShape, order []int) ([]int, error) {
	var buf [16]int
	scores := buf[:0]
	top := -1
	for _, sh := range shapes {
		if sh.kinds&kind == 0 || kind == kindObject && !fields.match(sh) {
			scores = append(scores, -1)
			continue
		}
		score := 0
		for _, k := range sh.known {
			if _, ok := fields.get(k); ok {
				score++
			}
		}
		scores = append(scores, score)
		top = max(top, score)
	}
	if top < 0 {
		var names []string
		for _, sh := range shapes {
			names = append(names, sh.name)
		}
		return nil, &DecodeError{Msg: fmt.Sprintf("%s matches none of %s", jsonKind(data), strings.Join(names, ", ")), Expected: union, Got: jsonKind(data)}
	}
	ranked := order[:0]
	for score := top; score >= 0; score-- {
		group := len(ranked)
		for i, s := range scores {
			if s == score {
				if group > 0 && len(ranked) == group {
					ranked = append(ranked, -1)
				}
				ranked = append(ranked, i)
			}
		}
	}
	return ranked, nil
}

// rawMember is a property of an object as written: its name (unescaped)
// and its value.
type rawMember struct {
	name, value []byte
}

// objectFields are the properties of an object, in input order.
type objectFields []rawMember

// readFields reads the properties of the object that is data into buf.
func readFields(data []byte, buf []rawMember) (objectFields, error) {
	d := decoder{data: data}
	_, fields, err := d.readObject(buf)
	if err == nil {
		err = d.end()
	}
	if err != nil {
		return nil, err
	}
	return fields, nil
}

// readObject reads the object at d's position, returning its text and
// its properties, kept in buf.
func (d *decoder) readObject(buf []rawMember) ([]byte, objectFields, error) {
	start := skipSpace(d.data, d.pos)
	if err := d.openObject(); err != nil {
		return nil, nil, err
	}
	fields := buf[:0]
	for n := 0; d.more('}', n); n++ {
		name, _ := d.key()
		value, err := d.skip()
		if err != nil {
			return nil, nil, err
		}
		fields = append(fields, rawMember{name, value})
	}
	if d.err != nil {
		return nil, nil, d.err
	}
	return d.data[start:d.pos], fields, nil
}

// get returns the value of property name, the last one when it is
// repeated, as the generated decoders read it.
func (fs objectFields) get(name string) ([]byte, bool) {
	for i := len(fs) - 1; i >= 0; i-- {
		if string(fs[i].name) == name {
			return fs[i].value, true
		}
	}
	return nil, false
}

// match reports whether the object's properties fit shape sh.
func (fs objectFields) match(sh variantShape) bool {
	for _, r := range sh.required {
		if _, ok := fs.get(r); !ok {
			return false
		}
	}
	for _, c := range sh.consts {
		if raw, ok := fs.get(c[0]); ok && !sameJSON(raw, c[1]) {
			return false
		}
	}
	if sh.closed {
		for _, f := range fs {
			if !slices.Contains(sh.known, string(f.name)) {
				return false
			}
		}
	}
	return true
}

// sameJSON reports whether raw is the JSON value want (a string, number,
// boolean or null: what a const of a union member is).
func sameJSON(raw []byte, want string) bool {
	if string(raw) == want {
		return true
	}
	if len(want) > 0 && want[0] == '"' {
		d := decoder{data: raw}
		got, err := d.readStringBytes()
		if err != nil || d.end() != nil {
			return false
		}
		w, err := strconv.Unquote(want)
		return err == nil && string(got) == w
	}
	var got, w any
	return json.Unmarshal(raw, &got) == nil && json.Unmarshal([]byte(want), &w) == nil && got == w
}

// decodeMember decodes data as the first of the ranked members that
// accepts it. With exclusive (oneOf) set, a value that more than one
// member of the same rank accepts is an error.
func decodeMember[U any](data []byte, union string, order []int, exclusive bool, member func(int, []byte) (U, error)) (U, error) {
	var zero, found U
	var first error
	ok := false
	for _, i := range order {
		if i < 0 { // the end of a rank
			if ok {
				return found, nil
			}
			continue
		}
		v, err := member(i, data)
		if err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		if !exclusive {
			return v, nil
		}
		if ok {
			return zero, &DecodeError{Msg: "value matches more than one member of " + union}
		}
		found, ok = v, true
	}
	if ok {
		return found, nil
	}
	return zero, first
}
