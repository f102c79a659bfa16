package support

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
)

// The generated appendJSON methods write exactly what encoding/json's
// Marshal writes for the same values: the same field order, the same
// omitted fields, strings escaped the same way (HTML characters included)
// and numbers in the same form. The helpers below are the leaves they
// share.

// jsonAppender is a type of this package that encodes itself.
type jsonAppender interface {
	appendJSON(b []byte) ([]byte, error)
}

// An encodeError reports a value that has no JSON encoding, with the path
// to it, such as "content[2].annotations.priority".
type encodeError struct {
	path string
	err  error
}

func (e *encodeError) Error() string {
	if e.path == "" {
		return "encode: " + e.err.Error()
	}
	return "encode " + e.path + ": " + e.err.Error()
}

func (e *encodeError) Unwrap() error { return e.err }

// encodeAt puts elem (a property name or "[i]") in front of err's path.
func encodeAt(err error, elem string) error {
	e, ok := err.(*encodeError)
	if !ok {
		return &encodeError{path: elem, err: err}
	}
	e.path = joinPath(elem, e.path)
	return e
}

// encodeIndex is encodeAt for a list element.
func encodeIndex(err error, i int) error {
	return encodeAt(err, "["+strconv.Itoa(i)+"]")
}

// encodeBuffers holds the buffers MarshalJSON encodes into, so that a call
// allocates only its result.
var encodeBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// marshalJSON runs enc on a pooled buffer and returns a copy of what it
// wrote: the body of every MarshalJSON.
func marshalJSON(enc func([]byte) ([]byte, error)) ([]byte, error) {
	bp := encodeBuffers.Get().(*[]byte)
	b, err := enc((*bp)[:0])
	if err != nil {
		encodeBuffers.Put(bp)
		return nil, err
	}
	out := slices.Clone(b)
	if cap(b) <= 64<<10 { // a rare huge message does not stay in the pool
		*bp = b[:0]
		encodeBuffers.Put(bp)
	}
	return out, nil
}

// openObject starts an object at the end of b. Each member is written with
// a leading comma; closeObject turns the first one into the opening brace.
func openObject(b []byte) int { return len(b) }

// closeObject ends the object that openObject started at start.
func closeObject(b []byte, start int) []byte {
	if len(b) == start {
		return append(b, '{', '}')
	}
	b[start] = '{'
	return append(b, '}')
}

// appendKey writes ,"name": for a member whose name is known only at run
// time (an extra property or a map key).
func appendKey(b []byte, name string) []byte {
	b = appendString(append(b, ','), name)
	return append(b, ':')
}

// hexDigits are the digits of \u escapes, in lower case as encoding/json
// writes them.
const hexDigits = "0123456789abcdef"

// plainASCII reports the bytes a JSON string holds as they are: every
// ASCII byte from space up, except the quote, the backslash and the three
// characters encoding/json escapes for HTML (<, > and &).
var plainASCII = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	return t
}()

// appendString writes s as a JSON string, escaped as encoding/json's
// Marshal escapes it: \" \\ \b \f \n \r \t by name, other control
// characters and < > & as \u00XX, U+2028 and U+2029 as \u2028 and \u2029,
// and every byte that is not part of valid UTF-8 as \ufffd.
func appendString[S ~string](b []byte, s S) []byte {
	b = append(b, '"')
	done := 0 // s[:done] is written
	for i := 0; ; {
		i = plainPrefix(string(s), i)
		if i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			b = append(b, s[done:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			done = i
			continue
		}
		r, size := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[done:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[done:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		done = i
	}
	b = append(b, s[done:]...)
	return append(b, '"')
}

// plainPrefix returns the end of the run of plainASCII bytes in s that
// starts at i, testing eight bytes at a time (see notPlain).
func plainPrefix(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		if bad := notPlain(word(s[i : i+8])); bad != 0 {
			return i + bits.TrailingZeros64(bad)/8
		}
	}
	if i == len(s) {
		return i
	}
	if len(s) >= 8 {
		// The bytes left are the top ones of the last word; shifted down,
		// they have zero bytes above them, which notPlain marks, so that
		// the run ends at len(s) at the latest.
		last := word(s[len(s)-8:]) >> (8 * (8 - (len(s) - i)))
		return i + bits.TrailingZeros64(notPlain(last))/8
	}
	for i < len(s) && plainASCII[s[i]] {
		i++
	}
	return i
}

// word is the first eight bytes of s as a number, the first byte the
// lowest.
func word(s string) uint64 {
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// notPlain marks the bytes of x that are not plainASCII with their high
// bit: the lowest such byte always, and perhaps bytes above it. A byte is
// marked when its own high bit is set, when subtracting a space from it
// borrows (it is a control character), or when subtracting one from it
// xor c borrows (it is c). Only a marked byte borrows, and a borrow moves
// up, so no byte below the lowest one that is not plain is marked.
func notPlain(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	return (x | (x - ' '*ones) |
		((x ^ '"'*ones) - ones) | ((x ^ '\\'*ones) - ones) |
		((x ^ '<'*ones) - ones) | ((x ^ '>'*ones) - ones) | ((x ^ '&'*ones) - ones)) & highs
}

// appendFloat writes f as encoding/json does: in plain decimal form for
// magnitudes from 1e-6 up to 1e21, in exponent form outside that range,
// with the shortest digits that read back as f. NaN and the infinities
// have no JSON form.
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, &encodeError{err: &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)}}
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		b = strconv.AppendFloat(b, f, 'e', -1, 64)
		// strconv pads a negative exponent to two digits (1e-07);
		// encoding/json writes 1e-7.
		if n := len(b); b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
		return b, nil
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64), nil
}

// appendNumber writes a json.Number, which must be a JSON number; the
// empty Number writes 0, as in encoding/json.
func appendNumber(b []byte, n json.Number) ([]byte, error) {
	s := string(n)
	if s == "" {
		return append(b, '0'), nil
	}
	if !validNumber(s) {
		return nil, &encodeError{err: fmt.Errorf("json.Number %q is not a JSON number", s)}
	}
	return append(b, s...), nil
}

// validNumber reports whether s is a number by the JSON grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(s string) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// endObject appends the properties a value kept from its input and ends
// the object openObject started at start.
func endObject(b []byte, start int, unknown map[string]json.RawMessage) ([]byte, error) {
	b, err := appendUnknown(b, unknown)
	if err != nil {
		return nil, err
	}
	return closeObject(b, start), nil
}

// appendUnknown appends the properties a value kept from its input
// without a field of their own, in key order, each after a comma.
func appendUnknown(b []byte, unknown map[string]json.RawMessage) ([]byte, error) {
	var err error
	for k, v := range inKeyOrder(unknown) {
		b = appendKey(b, k)
		if b, err = appendRaw(b, v); err != nil {
			return nil, encodeAt(err, pathKey(k))
		}
	}
	return b, nil
}

// appendRaw writes a JSON text kept as it was received: checked, with the
// space between tokens dropped and < > & U+2028 U+2029 escaped, as
// encoding/json writes a json.RawMessage. A nil one writes null.
func appendRaw(b []byte, raw json.RawMessage) ([]byte, error) {
	if raw == nil {
		return append(b, "null"...), nil
	}
	if !json.Valid(raw) {
		var v any
		// json.Unmarshal describes the fault, and where it is.
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, &encodeError{err: err}
		}
		return nil, &encodeError{err: errors.New("invalid JSON")}
	}
	inString := false
	done := 0
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '<' || c == '>' || c == '&':
			b = append(b, raw[done:i]...)
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			done = i + 1
		case c == 0xE2 && i+2 < len(raw) && raw[i+1] == 0x80 && raw[i+2]&^1 == 0xA8:
			b = append(b, raw[done:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[raw[i+2]&0xF])
			i += 2
			done = i + 1
		case inString:
			switch c {
			case '\\':
				i++ // the escaped byte cannot end the string
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case isSpace(c):
			b = append(b, raw[done:i]...)
			done = i + 1
		}
	}
	return append(b, raw[done:]...), nil
}

// appendMarshal writes v with encoding/json, for the values this package
// does not know how to encode itself: types of other packages (-map) and
// unusual contents of an any.
func appendMarshal(b []byte, v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, &encodeError{err: err}
	}
	return append(b, data...), nil
}

// appendUnion writes a member of a union: through its own appendJSON
// method, or with encoding/json when it has none.
func appendUnion(b []byte, v any) ([]byte, error) {
	a, ok := v.(jsonAppender)
	if !ok {
		return appendMarshal(b, v)
	}
	// A nil pointer to a type whose appendJSON has a value receiver would
	// panic; encoding/json writes null for it.
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return append(b, "null"...), nil
	}
	return a.appendJSON(b)
}

// appendAny writes an arbitrary JSON value. The types decoding produces
// (nil, bool, string, json.Number, map[string]any, []any and the
// json.RawMessage that stands for an explicit null) and float64 and the
// integers are written here; anything else goes to encoding/json.
func appendAny(b []byte, v any) ([]byte, error) {
	var err error
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case string:
		return appendString(b, x), nil
	case json.Number:
		return appendNumber(b, x)
	case float64:
		return appendFloat(b, x)
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case json.RawMessage:
		return appendRaw(b, x)
	case map[string]any:
		if x == nil {
			return append(b, "null"...), nil
		}
		return appendAnyObject(b, x)
	case []any:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendAny(b, e); err != nil {
				return nil, encodeIndex(err, i)
			}
		}
		return append(b, ']'), nil
	case jsonAppender:
		return appendUnion(b, x)
	}
	return appendMarshal(b, v)
}

// appendAnyObject appends an object of arbitrary values in key order, the
// commonest map in a schema.
func appendAnyObject(b []byte, m map[string]any) ([]byte, error) {
	start := openObject(b)
	var err error
	for k, v := range inKeyOrder(m) {
		b = appendKey(b, k)
		if b, err = appendAny(b, v); err != nil {
			return nil, encodeAt(err, pathKey(k))
		}
	}
	return closeObject(b, start), nil
}

// appendStringList appends an array of strings, the commonest list in a
// schema.
func appendStringList(b []byte, list []string) []byte {
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}
