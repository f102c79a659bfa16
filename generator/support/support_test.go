package support

import (
	"fmt"
	"strings"
	"testing"
)

func TestAtPath(t *testing.T) {
	err := error(&DecodeError{Expected: "integer", Got: "string"})
	err = atPath(err, "ttl")
	err = atPath(err, "task")
	err = atPath(err, "[2]")
	err = atPath(err, "items")
	if got, want := err.Error(), "items[2].task.ttl: expected integer, got string"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := pathKey("io.modelcontextprotocol/related-task"); got != `["io.modelcontextprotocol/related-task"]` {
		t.Errorf("pathKey: %s", got)
	}
}

func TestScalarDecoders(t *testing.T) {
	var n int64
	if err := decodeInteger([]byte("9007199254740993"), &n); err != nil || n != 9007199254740993 {
		t.Errorf("large integer: %d, %v", n, err)
	}
	for _, in := range []string{"1000", "1000.0", "1e3"} {
		if err := decodeInteger([]byte(in), &n); err != nil || n != 1000 {
			t.Errorf("decodeInteger(%s) = %d, %v; want 1000", in, n, err)
		}
	}
	for _, bad := range []string{"1.5", `"1"`, "null", "1e300", "99999999999999999999"} {
		if err := decodeInteger([]byte(bad), &n); err == nil {
			t.Errorf("decodeInteger(%s) succeeded", bad)
		}
	}
	var f float64
	if err := decodeWhole([]byte("1e3"), func(d *decoder) error { return d.readNumber(&f) }); err != nil || f != 1000 {
		t.Errorf("number: %v, %v", f, err)
	}
	b := true
	if err := decodeWhole([]byte(" false "), func(d *decoder) error { return d.readBoolean(&b) }); err != nil || b {
		t.Errorf("boolean: %v, %v", b, err)
	}
	if err := decodeWhole([]byte("fals"), func(d *decoder) error { return d.readBoolean(&b) }); err == nil {
		t.Error("boolean: fals decoded")
	}
	var s string
	if err := decodeString([]byte("12"), &s); err == nil || err.Error() != "expected string, got integer" {
		t.Errorf("string from integer: %v", err)
	}
}

// readObject decodes data as an object whose properties "a" (a required
// nullable integer, kept as a pointer) and "b" (a required integer) are
// read the way the generated decoders read them.
func readObject(data []byte) (a *int64, b int64, err error) {
	d := decoder{data: data}
	if err := d.openObject(); err != nil {
		return nil, 0, err
	}
	var have uint64
	for n := 0; d.more('}', n); n++ {
		key, at := d.key()
		var err error
		switch string(key) {
		case "a":
			have |= 1 << 0
			if d.null() {
				a = nil
			} else {
				a = new(int64)
				err = orNull(d.readInteger(a))
			}
		case "b":
			have |= 1 << 1
			err = d.readInteger(&b)
		default:
			_, err = d.skip()
		}
		if err != nil {
			if err := d.fieldError(err, key, at); err != nil {
				return nil, 0, err
			}
		}
	}
	if d.err != nil {
		return nil, 0, d.err
	}
	if have != 1<<2-1 {
		return nil, 0, missingProperty(have, "a", "b")
	}
	return a, b, d.end()
}

func TestDecoderObject(t *testing.T) {
	for _, c := range []struct {
		in, want string
	}{
		{`{"a": null, "b": 2}`, "<nil> 2"},
		{` { "b" : 2 , "a" : 7 } `, "7 2"},
		{`{"a": 1, "b": 2, "a": null}`, "<nil> 2"},
		{`{"a": "x", "b": 2, "a": 3}`, "3 2"}, // a bad value given again is dropped
		{`{"a": "x", "b": 2}`, "a: expected integer or null, got string"},
		{`{"a": 1, "b": null}`, "b: expected integer, got null"},
		{`{"a": 1, "b": 1.5}`, "b: expected integer, got number"},
		{`{"b": 1}`, "a: required property is missing"},
		{`{"a": 1}`, "b: required property is missing"},
		{`{"a": 1, "b": 2, "c": {"d": [1, {"e": null}]}}`, "1 2"},
		{`{"a": 1, "b": 2,}`, "invalid JSON: expected a property name at offset 16"},
		{`{"a": 1 "b": 2}`, "invalid JSON: expected ',' or '}' at offset 8"},
		{`{"a": "x", "b": 2, "a": 3`, "invalid JSON: unexpected end of input"},
		{`{"a": [}, "b": 2}`, "invalid JSON: unexpected character at offset 7"},
		{`{"a": 1, "b": 2} x`, "invalid JSON: unexpected data after the value at offset 16"},
		{`[1]`, "expected object, got array"},
	} {
		a, b, err := readObject([]byte(c.in))
		got := ""
		switch {
		case err != nil:
			got = err.Error()
		case a == nil:
			got = fmt.Sprintf("<nil> %d", b)
		default:
			got = fmt.Sprintf("%d %d", *a, b)
		}
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.in, got, c.want)
		}
	}
}

// TestFieldErrorScansAheadOnce: an object of many bad values, each given
// again later, is scanned ahead once, not once for each of them.
func TestFieldErrorScansAheadOnce(t *testing.T) {
	const n = 20000
	in := "{" + strings.Repeat(`"a": "bad", `, n) + `"a": 1, "b": 2}`
	d := decoder{data: []byte(in)}
	if err := d.openObject(); err != nil {
		t.Fatal(err)
	}
	var a, b int64
	errs := 0
	var first *keysAhead
	for i := 0; d.more('}', i); i++ {
		key, at := d.key()
		var err error
		switch string(key) {
		case "a":
			err = d.readInteger(&a)
		case "b":
			err = d.readInteger(&b)
		}
		if err != nil {
			errs++
			if err := d.fieldError(err, key, at); err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = d.ahead[at.depth]
			} else if d.ahead[at.depth] != first {
				t.Fatalf("value %d: the object was scanned ahead again", i)
			}
		}
	}
	if d.err != nil || a != 1 || b != 2 || errs != n {
		t.Errorf("a=%d b=%d, %d errors dropped, %v; want 1, 2, %d, nil", a, b, errs, d.err, n)
	}
}

func TestParseInt(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"-0", 0, true}, {"42", 42, true},
		{"9223372036854775807", 1<<63 - 1, true}, {"-9223372036854775808", -1 << 63, true},
		{"9223372036854775808", 0, false}, {"-9223372036854775809", 0, false},
		{"9999999999999999999", 0, false}, {"10000000000000000000", 0, false},
	} {
		got, ok := parseInt([]byte(c.in))
		if got != c.want || ok != c.ok {
			t.Errorf("parseInt(%s) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestDiscriminator(t *testing.T) {
	for _, c := range []struct {
		in, want string
	}{
		{`{"type": "text", "text": "hi"}`, "text"},
		{`{"text": {"type": "inner"}, "type": "image"}`, "image"},
		{`{"type": "a", "type": "b"}`, "b"},
		{`{"type": 1, "type": "b"}`, "b"},
		{`{"type": "b", "type": 1}`, "type: expected string, got integer"},
		{`{"text": "hi"}`, "type: required property is missing"},
		{`{"type": "a"`, "invalid JSON: unexpected end of input"},
	} {
		d := decoder{data: []byte(c.in)}
		tag, err := d.discriminator("type")
		got := string(tag)
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.in, got, c.want)
		}
		if err == nil && d.pos != 0 {
			t.Errorf("%s: discriminator moved the position to %d", c.in, d.pos)
		}
	}
}

func TestRankVariants(t *testing.T) {
	shapes := rankShapesForTest
	for _, c := range []struct {
		in   string
		want []int
	}{
		{`{"id": 1, "method": "x"}`, []int{0, -1, 1}},
		{`{"method": "x"}`, []int{1}},
		{`{"message": "m"}`, []int{2}},
		{`{"message": "m", "mode": "form"}`, []int{2}},
		{`{"message": "m", "mode": "url", "url": "u"}`, []int{3}},
		{`{"message": "m", "mode": "u\u0072l", "url": "u"}`, []int{3}},
		{`[1]`, []int{4, 7}},
		{`3`, []int{5}},
		{`3.5`, []int{5}},
		{`{"only": 1}`, []int{6}},
	} {
		got, err := rankVariants([]byte(c.in), "U", shapes, nil)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("rankVariants(%s) = %v, %v; want %v", c.in, got, err, c.want)
		}
		// readVariant ranks the same value read in place, and leaves the
		// decoder past it.
		d := decoder{data: []byte(`[ ` + c.in + ` ,0]`), pos: 1}
		data, got, err := d.readVariant("U", shapes, nil)
		if err != nil || string(data) != c.in || fmt.Sprint(got) != fmt.Sprint(c.want) || d.next() != ',' {
			t.Errorf("readVariant(%s) = %s, %v, %v at %d; want %v before the ','", c.in, data, got, err, d.pos, c.want)
		}
	}
	if _, err := rankVariants([]byte(`"s"`), "U", shapes, nil); err == nil || err.Error() != "string matches none of Request, Notification, Form, URL, List, Number, Closed, OtherList" {
		t.Errorf("a string: %v", err)
	}
	// A malformed object is a syntax error at its place in the input.
	for in, want := range map[string]string{
		`[ {"method": "x" "id": 1}]`: "invalid JSON: expected ',' or '}' at offset 17",
		`[ {"method": "x",}]`:        "invalid JSON: expected a property name at offset 17",
		`[ {"method" "x"}]`:          "invalid JSON: expected ':' at offset 12",
		`[ {"method": "x"`:           "invalid JSON: unexpected end of input",
	} {
		d := decoder{data: []byte(in), pos: 1}
		if _, _, err := d.readVariant("U", shapes, nil); err == nil || err.Error() != want {
			t.Errorf("readVariant(%s): %v, want %s", in, err, want)
		}
	}
}

// rankShapesForTest are the members of a union that TestRankVariants ranks.
var rankShapesForTest = []variantShape{
	{name: "Request", kinds: kindObject, required: []string{"id", "method"}, known: []string{"id", "method", "params"}},
	{name: "Notification", kinds: kindObject, required: []string{"method"}, known: []string{"method", "params"}},
	{name: "Form", kinds: kindObject, required: []string{"message"}, known: []string{"message", "mode"}, consts: [][2]string{{"mode", `"form"`}}},
	{name: "URL", kinds: kindObject, required: []string{"message", "mode"}, known: []string{"message", "mode", "url"}, consts: [][2]string{{"mode", `"url"`}}},
	{name: "List", kinds: kindArray},
	{name: "Number", kinds: kindNumber},
	{name: "Closed", kinds: kindObject, known: []string{"only"}, closed: true},
	{name: "OtherList", kinds: kindArray},
}

func TestDecodeMember(t *testing.T) {
	// Member 0 rejects data, 1 and 2 accept it.
	member := func(i int, data []byte) (string, error) {
		if i == 0 {
			return "", &DecodeError{Msg: "no"}
		}
		return fmt.Sprint("member", i), nil
	}
	if v, err := decodeMember([]byte(`[]`), "U", []int{0, 1, 2}, false, member); err != nil || v != "member1" {
		t.Errorf("anyOf: %q, %v; want the first member that decodes", v, err)
	}
	if _, err := decodeMember([]byte(`[]`), "U", []int{0, 1, 2}, true, member); err == nil {
		t.Error("oneOf: two members accepted the value, want an error")
	}
	if v, err := decodeMember([]byte(`[]`), "U", []int{0, -1, 2}, false, member); err != nil || v != "member2" {
		t.Errorf("the best rank refuses: %q, %v; want the next rank's member", v, err)
	}
	if v, err := decodeMember([]byte(`[]`), "U", []int{0, 1, -1, 2}, true, member); err != nil || v != "member1" {
		t.Errorf("oneOf, one accepting member in the best rank: %q, %v; want it", v, err)
	}
	if _, err := decodeMember([]byte(`[]`), "U", []int{0}, false, member); err == nil || err.Error() != "no" {
		t.Errorf("no member decodes: %v, want the first member's error", err)
	}
}

func TestReadListAndObject(t *testing.T) {
	var list []string
	err := decodeWhole([]byte(`["a", "b", 3]`), func(d *decoder) error { return d.readStringList(&list) })
	if err == nil || err.Error() != "[2]: expected string, got integer" {
		t.Errorf("string list: %v", err)
	}
	if err := decodeWhole([]byte(` [ ] `), func(d *decoder) error { return d.readStringList(&list) }); err != nil || list == nil || len(list) != 0 {
		t.Errorf("empty string list: %#v, %v", list, err)
	}
	var obj map[string]any
	if err := decodeWhole([]byte(`{"a": [1, {"b": null}], "a": 2}`), func(d *decoder) error { return d.readAnyObject(&obj) }); err != nil || fmt.Sprint(obj) != "map[a:2]" {
		t.Errorf("object: %v, %v", obj, err)
	}
	if err := decodeWhole([]byte(`[]`), func(d *decoder) error { return d.readAnyObject(&obj) }); err == nil || err.Error() != "expected object, got array" {
		t.Errorf("object from an array: %v", err)
	}
}

// decodeWhole runs read over data, which must hold one value and nothing
// after it.
func decodeWhole(data []byte, read func(*decoder) error) error {
	d := decoder{data: data}
	if err := read(&d); err != nil {
		return err
	}
	return d.end()
}
