package support

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// A decoder reads one JSON text in a single pass. The generated decoders
// call its methods to read each value where it stands, straight into the
// destination, without building raw messages first.
//
// Malformed JSON is a syntax error: the first one is kept in err, and from
// then on every method does nothing. A value of the wrong kind or out of
// range is an error too, but only for that value: the generated code adds
// the path to it and returns it.
type decoder struct {
	data  []byte
	pos   int
	depth int
	err   error
	// ahead holds, by depth, what fieldError learnt of the rest of an
	// object; it is made only when a property's value is wrong.
	ahead map[int]*keysAhead
}

// keysAhead records where each property name of an object occurs last,
// from offset from on; end is the offset past the object.
type keysAhead struct {
	from, end int
	last      map[string]int
}

// mark is a position in the input, to come back to after a bad value.
type mark struct {
	pos, depth int
}

// fail records a syntax error and returns it.
func (d *decoder) fail(err error) error {
	if d.err == nil {
		d.err = err
	}
	return d.err
}

// end checks that nothing but white space follows the value.
func (d *decoder) end() error {
	if d.err != nil {
		return d.err
	}
	if i := skipSpace(d.data, d.pos); i != len(d.data) {
		return d.fail(syntaxError(d.data, d.pos, "unexpected data after the value"))
	}
	return nil
}

// next returns the first byte of the next value, after white space, or 0
// at the end of the input.
func (d *decoder) next() byte {
	d.pos = skipSpace(d.data, d.pos)
	if d.pos >= len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

// skip reads past the next value and returns it.
func (d *decoder) skip() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	start := skipSpace(d.data, d.pos)
	end, err := skipValue(d.data, start, d.depth)
	if err != nil {
		return nil, d.fail(err)
	}
	d.pos = end
	return d.data[start:end], nil
}

// kindError reads past the next value and reports that it is not of the
// expected kind; a value that is not even JSON is a syntax error.
func (d *decoder) kindError(expected string) error {
	if d.err == nil && d.next() == 0 && d.pos == len(d.data) {
		return kindError(expected, nil)
	}
	raw, err := d.skip()
	if err != nil {
		return err
	}
	return kindError(expected, raw)
}

// null reads a null if one comes next.
func (d *decoder) null() bool {
	if d.err != nil || d.next() != 'n' {
		return false
	}
	end, err := scanLiteral(d.data, d.pos, "null")
	if err != nil {
		d.fail(err)
		return false
	}
	d.pos = end
	return true
}

// openObject reads the '{' that starts an object.
func (d *decoder) openObject() error {
	return d.open('{', "object")
}

// openArray reads the '[' that starts an array.
func (d *decoder) openArray() error {
	return d.open('[', "array")
}

func (d *decoder) open(c byte, kind string) error {
	if d.err != nil {
		return d.err
	}
	if d.next() != c {
		return d.kindError(kind)
	}
	if d.depth >= maxNesting {
		return d.fail(&DecodeError{Msg: "invalid JSON: nested too deeply"})
	}
	d.depth++
	d.pos++
	return nil
}

// more reports whether the object or array being read has another member,
// reading the ',' before it, or else the closing '}' or ']'. n is the
// number of members already read.
func (d *decoder) more(closing byte, n int) bool {
	if d.err != nil {
		return false
	}
	switch c := d.next(); {
	case c == closing:
		d.pos++
		d.depth--
		return false
	case n > 0 && c == ',':
		d.pos++
		return true
	case n == 0 && c != 0 && c != ',':
		return true
	}
	var what string
	switch {
	case n == 0 && closing == '}':
		what = "expected a property name"
	case n == 0:
		what = "unexpected character"
	case closing == '}':
		what = "expected ',' or '}'"
	default:
		what = "expected ',' or ']'"
	}
	d.fail(syntaxError(d.data, d.pos, what))
	return false
}

// key reads a property name and the ':' after it. It returns the name and
// where its value starts. The name is only valid until the next call.
func (d *decoder) key() ([]byte, mark) {
	if d.err != nil {
		return nil, mark{}
	}
	if d.next() != '"' {
		d.fail(syntaxError(d.data, d.pos, "expected a property name"))
		return nil, mark{}
	}
	name, err := d.stringToken()
	if err != nil {
		return nil, mark{}
	}
	if d.next() != ':' {
		d.fail(syntaxError(d.data, d.pos, "expected ':'"))
		return nil, mark{}
	}
	d.pos++
	return name, mark{d.pos, d.depth}
}

// stringToken reads the string that starts at d.pos and returns its text.
// Without escapes the text is a slice of the input; with them, a copy.
func (d *decoder) stringToken() ([]byte, error) {
	start := d.pos
	end, special, err := scanString(d.data, start)
	if err != nil {
		return nil, d.fail(err)
	}
	d.pos = end
	raw := d.data[start:end]
	if !special || bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return raw[1 : len(raw)-1], nil
	}
	return unescape(raw), nil
}

// fieldError decides what an error in the value of property name means;
// a nil err means nothing (it is small, to be inlined at every property
// the generated decoders read).
func (d *decoder) fieldError(err error, name []byte, at mark) error {
	if err == nil {
		return nil
	}
	return d.badField(err, name, at)
}

// badField decides what an error in the value of property name means. A
// syntax error ends the decoding. Otherwise the property is read past and,
// when the object repeats the name later, the error is dropped: the last
// value wins wholly, as encoding/json has it. Else the error is returned
// with the property in its path.
func (d *decoder) badField(err error, name []byte, at mark) error {
	if d.err != nil {
		return d.err
	}
	d.pos, d.depth = at.pos, at.depth
	if _, serr := d.skip(); serr != nil {
		return serr
	}
	ahead, serr := d.keysAhead(at)
	if serr != nil {
		return serr
	}
	if ahead.last[string(name)] > at.pos {
		return nil
	}
	return atPath(err, pathKey(string(name)))
}

// keysAhead returns where the names of the rest of the object that holds
// the value at at occur last. Each object is scanned once at most, however
// many of its values are wrong, so that a hostile object of many repeated
// bad properties costs time in proportion to its size.
func (d *decoder) keysAhead(at mark) (*keysAhead, error) {
	if k := d.ahead[at.depth]; k != nil && k.from <= at.pos && at.pos < k.end {
		return k, nil
	}
	save := *d
	defer func() { d.pos, d.depth = save.pos, save.depth }()
	k := &keysAhead{from: d.pos, last: map[string]int{}}
	for n := 1; d.more('}', n); n++ {
		key, _ := d.key()
		if d.err != nil {
			break
		}
		k.last[string(key)] = d.pos
		if _, err := d.skip(); err != nil {
			return nil, err
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	k.end = d.pos
	if d.ahead == nil {
		d.ahead = map[int]*keysAhead{}
	}
	d.ahead[at.depth] = k
	return k, nil
}

// missingProperty reports the first required property whose bit is not
// set in have; names lists the required properties in bit order.
func missingProperty(have uint64, names ...string) error {
	for i, n := range names {
		if have&(1<<i) == 0 {
			return &DecodeError{Path: pathKey(n), Msg: "required property is missing"}
		}
	}
	return nil
}

// missingPropertyOf is missingProperty for objects with more than 64
// required properties.
func missingPropertyOf(have []uint64, names ...string) error {
	for i, n := range names {
		if have[i/64]&(1<<(i%64)) == 0 {
			return &DecodeError{Path: pathKey(n), Msg: "required property is missing"}
		}
	}
	return nil
}

// unknownProperty reports a property that a closed object does not allow.
func unknownProperty(name []byte) error {
	return &DecodeError{Path: pathKey(string(name)), Msg: "unknown property"}
}

// atIndex puts the index of an array element in front of err's path.
func atIndex(err error, i int) error {
	return atPath(err, "["+itoa(i)+"]")
}

// atKey puts a map key in front of err's path.
func atKey(err error, key []byte) error {
	return atPath(err, pathKey(string(key)))
}

// orNull says that null was allowed too, for a value of the wrong kind.
func orNull(err error) error {
	if de, ok := err.(*DecodeError); ok && de.Path == "" && de.Expected != "" {
		c := *de
		c.Expected += " or null"
		return &c
	}
	return err
}

// readString reads a string.
func (d *decoder) readString(dst *string) error {
	s, err := d.readStringBytes()
	if err != nil {
		return err
	}
	*dst = string(s)
	return nil
}

// readStringBytes reads a string and returns its text, valid until the
// next call, so that a caller that only compares it allocates nothing.
func (d *decoder) readStringBytes() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	if d.next() != '"' {
		return nil, d.kindError("string")
	}
	return d.stringToken()
}

// readConst checks that the next value is the JSON value want.
func (d *decoder) readConst(want string) error {
	if len(want) > 0 && want[0] == '"' {
		start := skipSpace(d.data, d.pos)
		s, err := d.readStringBytes()
		if err != nil {
			if d.err != nil {
				return err
			}
			return notConst(want, d.data[start:d.pos])
		}
		if !isConstString(d.data[start:d.pos], s, want) {
			return notConst(want, d.data[start:d.pos])
		}
		return nil
	}
	raw, err := d.skip()
	if err != nil {
		return err
	}
	var got, w any
	if err := json.Unmarshal(raw, &got); err != nil {
		return &DecodeError{Msg: err.Error()}
	}
	_ = json.Unmarshal([]byte(want), &w)
	if got != w {
		return notConst(want, raw)
	}
	return nil
}

// notConst reports a value that is not the const want (JSON text).
func notConst(want string, got []byte) error {
	return &DecodeError{Msg: fmt.Sprintf("must be %s, got %s", want, compact(got))}
}

// readConstString reads a string that must be the string const want (JSON
// text) and keeps it.
func (d *decoder) readConstString(dst *string, want string) error {
	start := skipSpace(d.data, d.pos)
	s, err := d.readStringBytes()
	if err != nil {
		return err
	}
	if !isConstString(d.data[start:d.pos], s, want) {
		return notConst(want, d.data[start:d.pos])
	}
	*dst = string(s)
	return nil
}

// isConstString reports whether the string token raw, whose text is s, is
// the string const want (JSON text). Most often it is written as want is,
// which saves unquoting want.
func isConstString(raw, s []byte, want string) bool {
	if string(raw) == want {
		return true
	}
	w, _ := strconv.Unquote(want)
	return string(s) == w
}

// numberToken reads a number and returns its text and whether it has a
// fraction or an exponent.
func (d *decoder) numberToken(expected string) ([]byte, bool, error) {
	if d.err != nil {
		return nil, false, d.err
	}
	c := d.next()
	if c != '-' && (c < '0' || c > '9') {
		return nil, false, d.kindError(expected)
	}
	start := d.pos
	end, err := scanNumber(d.data, start)
	if err != nil {
		return nil, false, d.fail(err)
	}
	d.pos = end
	tok := d.data[start:end]
	return tok, fractional(tok), nil
}

// fractional reports whether the number token tok has a fraction or an
// exponent.
func fractional(tok []byte) bool {
	for _, c := range tok {
		if c == '.' || c == 'e' || c == 'E' {
			return true
		}
	}
	return false
}

// readInteger reads what JSON Schema calls an integer: a number with no
// fractional part, written 5, 5.0 or 5e0.
func (d *decoder) readInteger(dst *int64) error {
	tok, frac, err := d.numberToken("integer")
	if err != nil {
		return err
	}
	if !frac {
		n, ok := parseInt(tok)
		if !ok {
			return &DecodeError{Msg: "integer out of range: " + shorten(string(tok))}
		}
		*dst = n
		return nil
	}
	return decodeInteger(tok, dst)
}

// parseInt parses the digits of an integer token, reporting overflow.
func parseInt(tok []byte) (int64, bool) {
	neg := tok[0] == '-'
	if neg {
		tok = tok[1:]
	}
	if len(tok) > 19 { // 19 digits always fit in a uint64
		return 0, false
	}
	var n uint64
	for _, c := range tok {
		n = n*10 + uint64(c-'0')
	}
	switch {
	case neg && n > 1<<63:
		return 0, false
	case !neg && n > 1<<63-1:
		return 0, false
	case neg:
		return -int64(n), true
	}
	return int64(n), true
}

// readNumber reads a number.
func (d *decoder) readNumber(dst *float64) error {
	tok, _, err := d.numberToken("number")
	if err != nil {
		return err
	}
	f, err := strconv.ParseFloat(string(tok), 64)
	if err != nil {
		return &DecodeError{Msg: "number out of range: " + shorten(string(tok))}
	}
	*dst = f
	return nil
}

// readBoolean reads true or false.
func (d *decoder) readBoolean(dst *bool) error {
	if d.err != nil {
		return d.err
	}
	lit := "false"
	switch d.next() {
	case 't':
		lit = "true"
	case 'f':
	default:
		return d.kindError("boolean")
	}
	end, err := scanLiteral(d.data, d.pos, lit)
	if err != nil {
		return d.fail(err)
	}
	d.pos = end
	*dst = lit == "true"
	return nil
}

// readRaw keeps the next value as it is written.
func (d *decoder) readRaw(dst *json.RawMessage) error {
	raw, err := d.skip()
	if err != nil {
		return err
	}
	*dst = append(json.RawMessage(nil), raw...)
	return nil
}

// readAny reads an arbitrary JSON value, where the schema allows any:
// objects become map[string]any, arrays []any, and numbers json.Number,
// so that they keep every digit.
func (d *decoder) readAny(dst *any) error {
	if d.err != nil {
		return d.err
	}
	switch d.next() {
	case '{':
		var m map[string]any
		if err := d.readAnyObject(&m); err != nil {
			return err
		}
		*dst = m
	case '[':
		if err := d.openArray(); err != nil {
			return err
		}
		list := []any{}
		for i := 0; d.more(']', i); i++ {
			var v any
			if err := d.readAny(&v); err != nil {
				return err
			}
			list = append(list, v)
		}
		if d.err != nil {
			return d.err
		}
		*dst = list
	case '"':
		s, err := d.stringToken()
		if err != nil {
			return err
		}
		*dst = string(s)
	case 't', 'f':
		var b bool
		if err := d.readBoolean(&b); err != nil {
			return err
		}
		*dst = b
	case 'n':
		if !d.null() {
			return d.err
		}
		*dst = nil
	default:
		tok, _, err := d.numberToken("a value")
		if err != nil {
			if d.err == nil {
				// Not a number either: not JSON at all.
				return d.fail(syntaxError(d.data, d.pos, "unexpected character"))
			}
			return err
		}
		*dst = json.Number(tok)
	}
	return nil
}

// readAnyProperty is readAny for a property: an explicit null is kept as
// json.RawMessage("null"), so that it is written back.
func (d *decoder) readAnyProperty(dst *any) error {
	if d.null() {
		*dst = jsonNull
		return nil
	}
	return d.readAny(dst)
}

// here returns where the decoder is, to come back to.
func (d *decoder) here() mark {
	return mark{d.pos, d.depth}
}

// firstTag returns the first value of property name of the object that
// comes next, leaving the decoder as it was. ok is false when the object
// has no such property, when the first one is not a string, or when the
// object cannot be read as far as it.
func (d *decoder) firstTag(name string) (tag []byte, ok bool) {
	if d.err != nil {
		return nil, false
	}
	save := d.here()
	defer func() { d.pos, d.depth, d.err = save.pos, save.depth, nil }()
	if d.openObject() != nil {
		return nil, false
	}
	for n := 0; d.more('}', n); n++ {
		key, _ := d.key()
		if d.err != nil {
			return nil, false
		}
		if string(key) == name {
			s, err := d.readStringBytes()
			return s, err == nil
		}
		if _, err := d.skip(); err != nil {
			return nil, false
		}
	}
	return nil, false
}

// retag is called when the object at at, decoded as the member that its
// first property name (first) names, failed. It reports whether to decode
// it again as the member that the last such property names, the one that
// chooses the member, and leaves the decoder back at at. When the last
// names the member already tried, the error stands: decoded again, the
// same member from the same place fails in the same way. After a syntax
// error it starts again, and discriminator reports the error as it reads
// the object.
func (d *decoder) retag(at mark, name string, first []byte) bool {
	// discriminator leaves the position where it found it.
	d.pos, d.depth = at.pos, at.depth
	if d.err == nil {
		if last, err := d.discriminator(name); err == nil && string(last) == string(first) {
			return false
		}
	}
	d.err = nil
	return true
}

// discriminator returns the string property name of the object that comes
// next, the last one when it is repeated, leaving the position where it
// was so that the member can then be decoded from the start.
func (d *decoder) discriminator(name string) ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	save := *d
	defer func() { d.pos, d.depth = save.pos, save.depth }()
	if err := d.openObject(); err != nil {
		return nil, err
	}
	var tag []byte
	found := false
	var tagErr error
	for n := 0; d.more('}', n); n++ {
		key, _ := d.key()
		if d.err != nil {
			break
		}
		if string(key) != name {
			if _, err := d.skip(); err != nil {
				return nil, err
			}
			continue
		}
		found, tagErr = true, nil
		start := skipSpace(d.data, d.pos)
		s, err := d.readStringBytes()
		if err != nil {
			if d.err != nil {
				return nil, err
			}
			tagErr = atPath(kindError("string", d.data[start:d.pos]), pathKey(name))
			continue
		}
		tag = s
	}
	if d.err != nil {
		return nil, d.err
	}
	if tagErr != nil {
		return nil, tagErr
	}
	if !found {
		return nil, &DecodeError{Path: pathKey(name), Msg: "required property is missing"}
	}
	return tag, nil
}

// decodeExternal decodes a type of another package (mapped with -map)
// with encoding/json, which uses its UnmarshalJSON when it has one.
func decodeExternal[T any](d *decoder, dst *T) error {
	if d.null() {
		return &DecodeError{Expected: "a value", Got: "null"}
	}
	raw, err := d.skip()
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		if de, ok := err.(*DecodeError); ok {
			return de
		}
		return &DecodeError{Msg: err.Error()}
	}
	return nil
}

// result is the error a decoder of a whole value returns: the syntax
// error if there was one, else err.
func (d *decoder) result(err error) error {
	if d.err != nil {
		return d.err
	}
	return err
}

// kind names the JSON kind of the next value without reading it, as
// jsonKind does, or "" when nothing or no JSON value comes next.
func (d *decoder) kind() string {
	if d.err != nil || d.next() == 0 {
		return ""
	}
	end := d.pos + 1
	if c := d.data[d.pos]; c == '-' || c >= '0' && c <= '9' {
		var err error
		if end, err = scanNumber(d.data, d.pos); err != nil {
			return ""
		}
		if !fractional(d.data[d.pos:end]) {
			return "integer"
		}
	}
	return jsonKind(d.data[d.pos:end])
}

// keepUnknown reads the value of a property the schema does not name into
// unknown, so that it survives a round trip.
func (d *decoder) keepUnknown(unknown *map[string]json.RawMessage, name []byte) error {
	var raw json.RawMessage
	if err := d.readRaw(&raw); err != nil {
		return err
	}
	if *unknown == nil {
		*unknown = map[string]json.RawMessage{}
	}
	(*unknown)[string(name)] = raw
	return nil
}

// readAnyObject reads an object of arbitrary values, the commonest map in
// a schema. Its values cannot be wrong, only malformed.
func (d *decoder) readAnyObject(dst *map[string]any) error {
	if err := d.openObject(); err != nil {
		return err
	}
	m := map[string]any{}
	for n := 0; d.more('}', n); n++ {
		key, _ := d.key()
		if d.err != nil {
			break
		}
		k := string(key)
		var v any
		if err := d.readAny(&v); err != nil {
			return err
		}
		m[k] = v
	}
	if d.err != nil {
		return d.err
	}
	*dst = m
	return nil
}

// readStringList reads an array of strings, the commonest list in a
// schema.
func (d *decoder) readStringList(dst *[]string) error {
	if err := d.openArray(); err != nil {
		return err
	}
	list := make([]string, 0, 4)
	for i := 0; d.more(']', i); i++ {
		var s string
		if err := d.readString(&s); err != nil {
			return atIndex(err, i)
		}
		list = append(list, s)
	}
	if d.err != nil {
		return d.err
	}
	*dst = list
	return nil
}

// finish returns err, the result of decoding a whole input's value, or,
// when that succeeded, whether anything but white space follows it.
func (d *decoder) finish(err error) error {
	if err != nil {
		return err
	}
	return d.end()
}
