// Package support holds the decoding support that mcpgen copies into every
// generated package (with the package clause rewritten), so that generated
// code depends on the standard library alone. It is a package of its own so
// that it is compiled and tested here, once.
package support

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
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
	switch {
	case out.Path == "":
		out.Path = elem
	case out.Path[0] == '[':
		out.Path = elem + out.Path
	default:
		out.Path = elem + "." + out.Path
	}
	return &out
}

// jsonKind names the kind of a JSON value from its first byte.
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
		if bytes.ContainsAny(data, ".eE") {
			return "number"
		}
		return "integer"
	}
	return "invalid JSON"
}

func kindError(expected string, data []byte) error {
	return &DecodeError{Expected: expected, Got: jsonKind(data)}
}

func decodeString(data []byte, dst *string) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '"' {
		return kindError("string", data)
	}
	end, escaped, err := scanString(data, 0)
	if err != nil {
		return err
	}
	if end != len(data) {
		return syntaxError(data, end, "unexpected data after the value")
	}
	s, err := unquote(data, escaped)
	if err != nil {
		return err
	}
	*dst = s
	return nil
}

// decodeInteger accepts what JSON Schema calls an integer: a number with
// no fractional part, written 5, 5.0 or 5e0.
func decodeInteger(data []byte, dst *int64) error {
	text := string(bytes.TrimSpace(data))
	switch jsonKind(data) {
	case "integer":
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return &DecodeError{Msg: "integer out of range: " + shorten(text)}
		}
		*dst = n
		return nil
	case "number":
		// Exactly, not through float64: 9007199254740993.0 is
		// 9007199254740993, and 1.0000000000000001 is not an integer.
		if exp := exponent(text); exp > 400 || exp < -400 {
			return &DecodeError{Msg: "integer out of range: " + shorten(text)}
		}
		r, ok := new(big.Rat).SetString(text)
		if !ok {
			return kindError("integer", data)
		}
		if !r.IsInt() {
			return kindError("integer", data)
		}
		if !r.Num().IsInt64() {
			return &DecodeError{Msg: "integer out of range: " + shorten(text)}
		}
		*dst = r.Num().Int64()
		return nil
	}
	return kindError("integer", data)
}

// exponent returns the exponent of a JSON number, 0 when it has none (or
// one too long to be sane, which it reports as huge).
func exponent(text string) int {
	i := strings.IndexAny(text, "eE")
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimPrefix(text[i+1:], "+"))
	if err != nil {
		return 1 << 30
	}
	return n
}

// shorten keeps error messages short when the offending text is not.
func shorten(s string) string {
	if len(s) > 64 {
		return s[:61] + "..."
	}
	return s
}

func decodeNumber(data []byte, dst *float64) error {
	if k := jsonKind(data); k != "number" && k != "integer" {
		return kindError("number", data)
	}
	f, err := strconv.ParseFloat(string(bytes.TrimSpace(data)), 64)
	if err != nil {
		return &DecodeError{Msg: "number out of range: " + string(bytes.TrimSpace(data))}
	}
	*dst = f
	return nil
}

func decodeBoolean(data []byte, dst *bool) error {
	if jsonKind(data) != "boolean" {
		return kindError("boolean", data)
	}
	*dst = bytes.HasPrefix(bytes.TrimSpace(data), []byte("true"))
	return nil
}

// decodeAny decodes an arbitrary JSON value, where the schema allows any.
// Numbers become json.Number, so that they keep every digit.
func decodeAny(data []byte, dst *any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return &DecodeError{Msg: err.Error()}
	}
	*dst = v
	return nil
}

// jsonNull stands for an explicit null in an optional property of any
// type, which a nil value would drop.
var jsonNull = json.RawMessage("null")

// decodeAnyProperty is decodeAny for a property: an explicit null is kept
// as json.RawMessage("null"), so that it is written back.
func decodeAnyProperty(data []byte, dst *any) error {
	if jsonKind(data) == "null" {
		*dst = jsonNull
		return nil
	}
	return decodeAny(data, dst)
}

// decodeValue decodes a generated type through its UnmarshalJSON method.
func decodeValue[T any](data []byte, dst *T) error {
	return any(dst).(json.Unmarshaler).UnmarshalJSON(data)
}

// decodeExternal decodes a type of another package (mapped with -map)
// with encoding/json, which uses its UnmarshalJSON when it has one.
func decodeExternal[T any](data []byte, dst *T) error {
	if jsonKind(data) == "null" {
		return &DecodeError{Expected: "a value", Got: "null"}
	}
	if err := json.Unmarshal(data, dst); err != nil {
		if de, ok := err.(*DecodeError); ok {
			return de
		}
		return &DecodeError{Msg: err.Error()}
	}
	return nil
}

// decodePtr decodes into a newly allocated value.
func decodePtr[T any](dec func([]byte, *T) error) func([]byte, **T) error {
	return func(data []byte, dst **T) error {
		v := new(T)
		if err := dec(data, v); err != nil {
			return err
		}
		*dst = v
		return nil
	}
}

// decodeNullable accepts null, leaving the zero value, and decodes anything else with dec.
func decodeNullable[T any](dec func([]byte, *T) error) func([]byte, *T) error {
	return func(data []byte, dst *T) error {
		if jsonKind(data) == "null" {
			var zero T
			*dst = zero
			return nil
		}
		return dec(data, dst)
	}
}

// decodeList decodes a JSON array element by element, so that errors name the index.
func decodeList[T any](dec func([]byte, *T) error) func([]byte, *[]T) error {
	return func(data []byte, dst *[]T) error {
		out := make([]T, 0, 4)
		err := scanArray(data, func(i int, raw []byte) error {
			var v T
			if err := dec(raw, &v); err != nil {
				return atPath(err, "["+strconv.Itoa(i)+"]")
			}
			out = append(out, v)
			return nil
		})
		if err != nil {
			return err
		}
		*dst = out
		return nil
	}
}

// decodeMap decodes a JSON object whose values all have one type.
func decodeMap[T any](dec func([]byte, *T) error) func([]byte, *map[string]T) error {
	return func(data []byte, dst *map[string]T) error {
		members, err := scanObject(data, nil)
		if err != nil {
			return err
		}
		out := make(map[string]T, len(members))
		for _, m := range members {
			var v T
			if err := dec(m.value, &v); err != nil {
				return atPath(err, pathKey(m.name))
			}
			out[m.name] = v // a repeated name: the last one wins, as in encoding/json
		}
		*dst = out
		return nil
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// fieldFlags say how a property may appear.
type fieldFlags uint8

const (
	fieldOptional fieldFlags = 0
	fieldRequired fieldFlags = 1 << iota
	fieldNullable
)

// objectDecoder reads the properties of one JSON object. The first error
// sticks: later calls do nothing, and finish reports it.
type objectDecoder struct {
	members []member
	buf     [8]member
	err     error
}

// init reads the members of the object that is data. An objectDecoder
// lives on its caller's stack: a small object needs no allocation.
func (o *objectDecoder) init(data []byte) error {
	members, err := scanObject(data, o.buf[:])
	if err != nil {
		return err
	}
	o.members = members
	return nil
}

// take marks a property as read and returns its value, checking presence.
// A name given twice yields its last value, as in encoding/json.
func (o *objectDecoder) take(name string, flags fieldFlags) (json.RawMessage, bool) {
	if o.err != nil {
		return nil, false
	}
	found := -1
	for i := range o.members {
		if o.members[i].name == name {
			o.members[i].taken = true
			found = i
		}
	}
	if found < 0 {
		if flags&fieldRequired != 0 {
			o.err = &DecodeError{Path: pathKey(name), Msg: "required property is missing"}
		}
		return nil, false
	}
	return o.members[found].value, true
}

// rest returns the members not yet taken, in key order, the last of
// repeated names winning.
func (o *objectDecoder) rest() []member {
	var out []member
	for _, m := range o.members {
		if !m.taken {
			out = append(out, m)
		}
	}
	// A stable sort keeps repeated names in input order; keep the last.
	slices.SortStableFunc(out, func(a, b member) int { return strings.Compare(a.name, b.name) })
	j := 0
	for i := range out {
		if i+1 < len(out) && out[i+1].name == out[i].name {
			continue
		}
		out[j] = out[i]
		j++
	}
	return out[:j]
}

// decodeField decodes property name into dst.
func decodeField[T any](o *objectDecoder, name string, flags fieldFlags, dst *T, dec func([]byte, *T) error) {
	raw, ok := o.take(name, flags)
	if !ok {
		return
	}
	if flags&fieldNullable != 0 && jsonKind(raw) == "null" {
		var zero T
		*dst = zero
		return
	}
	if err := dec(raw, dst); err != nil {
		if de, ok := err.(*DecodeError); ok && flags&fieldNullable != 0 && de.Path == "" && de.Expected != "" {
			c := *de
			c.Expected += " or null"
			err = &c
		}
		o.err = atPath(err, pathKey(name))
	}
}

// decodeConst checks that property name, if present, holds the JSON value want.
func decodeConst(o *objectDecoder, name string, flags fieldFlags, want string) {
	raw, ok := o.take(name, flags)
	if !ok {
		return
	}
	var got, w any
	if err := json.Unmarshal(raw, &got); err != nil {
		o.err = atPath(&DecodeError{Msg: err.Error()}, pathKey(name))
		return
	}
	_ = json.Unmarshal([]byte(want), &w)
	if got != w {
		o.err = &DecodeError{Path: pathKey(name), Msg: fmt.Sprintf("must be %s, got %s", want, compact(raw))}
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

// decodeExtra moves the properties not yet taken into dst.
func decodeExtra[T any](o *objectDecoder, dst *map[string]T, dec func([]byte, *T) error) {
	if o.err != nil {
		return
	}
	rest := o.rest()
	if len(rest) == 0 {
		return
	}
	out := make(map[string]T, len(rest))
	for _, m := range rest {
		var v T
		if err := dec(m.value, &v); err != nil {
			o.err = atPath(err, pathKey(m.name))
			return
		}
		out[m.name] = v
	}
	for i := range o.members {
		o.members[i].taken = true
	}
	*dst = out
}

// rejectUnknown reports the first property not yet taken, for closed objects.
func (o *objectDecoder) rejectUnknown() {
	if o.err != nil {
		return
	}
	if rest := o.rest(); len(rest) > 0 {
		o.err = &DecodeError{Path: pathKey(rest[0].name), Msg: "unknown property"}
	}
}

func (o *objectDecoder) finish() error { return o.err }

// appendExtra adds the entries of extra to the JSON object in data, in key
// order, skipping keys the object already has.
func appendExtra[T any](data []byte, extra map[string]T, known ...string) ([]byte, error) {
	if len(extra) == 0 {
		return data, nil
	}
	end := bytes.LastIndexByte(data, '}')
	if end < 0 {
		return nil, fmt.Errorf("internal: %s is not an object", data)
	}
	out := slices.Clone(data[:end])
	first := bytes.Equal(bytes.TrimSpace(out), []byte("{"))
	for _, k := range sortedKeys(extra) {
		if slices.Contains(known, k) {
			continue
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		vb, err := json.Marshal(extra[k])
		if err != nil {
			return nil, err
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		out = append(out, kb...)
		out = append(out, ':')
		out = append(out, vb...)
	}
	return append(out, '}'), nil
}

// peekDiscriminator reads the string property name of a JSON object.
func peekDiscriminator(data []byte, name string) (string, error) {
	var buf [12]member
	members, err := scanObject(data, buf[:])
	if err != nil {
		return "", err
	}
	var raw []byte
	for _, m := range members {
		if m.name == name {
			raw = m.value
		}
	}
	if raw == nil {
		return "", &DecodeError{Path: pathKey(name), Msg: "required property is missing"}
	}
	var s string
	if err := decodeString(raw, &s); err != nil {
		return "", atPath(err, pathKey(name))
	}
	return s, nil
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
// Only the members that know the most of data's properties are listed, in
// schema order; the caller decodes them in turn and keeps the first that
// succeeds, so members that differ only below the top level (two list
// schemas whose items differ) are still told apart.
func rankVariants(data []byte, union string, shapes []variantShape) ([]int, error) {
	kind := kindOf(data)
	var fields map[string]json.RawMessage
	if kind == kindObject {
		members, err := scanObject(data, nil)
		if err != nil {
			return nil, err
		}
		fields = make(map[string]json.RawMessage, len(members))
		for _, m := range members {
			fields[m.name] = m.value
		}
	}
	var best []int
	bestScore := -1
	var names []string
	for i, sh := range shapes {
		names = append(names, sh.name)
		if sh.kinds&kind == 0 || !matchesObject(sh, fields) {
			continue
		}
		score := 0
		for _, k := range sh.known {
			if _, ok := fields[k]; ok {
				score++
			}
		}
		switch {
		case score > bestScore:
			best, bestScore = []int{i}, score
		case score == bestScore:
			best = append(best, i)
		}
	}
	if len(best) == 0 {
		return nil, &DecodeError{Msg: fmt.Sprintf("%s matches none of %s", jsonKind(data), strings.Join(names, ", ")), Expected: union, Got: jsonKind(data)}
	}
	return best, nil
}

// decodeMember decodes data as the first of the ranked members that
// accepts it. With exclusive (oneOf) set, a value that more than one
// member accepts is an error.
func decodeMember[U any](data []byte, union string, order []int, exclusive bool, member func(int, []byte) (U, error)) (U, error) {
	var zero, found U
	var first error
	ok := false
	for _, i := range order {
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

func matchesObject(sh variantShape, fields map[string]json.RawMessage) bool {
	if sh.kinds&kindObject == 0 || fields == nil {
		return true
	}
	for _, r := range sh.required {
		if _, ok := fields[r]; !ok {
			return false
		}
	}
	for _, c := range sh.consts {
		raw, ok := fields[c[0]]
		if !ok {
			continue
		}
		var got, want any
		if json.Unmarshal(raw, &got) != nil || json.Unmarshal([]byte(c[1]), &want) != nil || got != want {
			return false
		}
	}
	if sh.closed {
		for k := range fields {
			if !slices.Contains(sh.known, k) {
				return false
			}
		}
	}
	return true
}

// decodeRaw keeps a JSON value as it is.
func decodeRaw(data []byte, dst *json.RawMessage) error {
	*dst = append(json.RawMessage(nil), data...)
	return nil
}

// decodeConstString accepts only the string const want (JSON text).
func decodeConstString(want string) func([]byte, *string) error {
	return func(data []byte, dst *string) error {
		var s string
		if err := decodeString(data, &s); err != nil {
			return err
		}
		if w, _ := strconv.Unquote(want); s != w {
			return &DecodeError{Msg: fmt.Sprintf("must be %s, got %s", want, compact(data))}
		}
		*dst = s
		return nil
	}
}
