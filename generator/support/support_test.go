package support

import (
	"encoding/json"
	"fmt"
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
	if err := decodeNumber([]byte("1e3"), &f); err != nil || f != 1000 {
		t.Errorf("number: %v, %v", f, err)
	}
	var b bool
	if err := decodeBoolean([]byte("false"), &b); err != nil || b {
		t.Errorf("boolean: %v, %v", b, err)
	}
	var s string
	if err := decodeString([]byte("12"), &s); err == nil || err.Error() != "expected string, got integer" {
		t.Errorf("string from integer: %v", err)
	}
}

func TestDecodeFieldNullability(t *testing.T) {
	o := new(objectDecoder)
	if err := o.init([]byte(`{"a": null, "b": null, "c": "x"}`)); err != nil {
		t.Fatal(err)
	}
	var a, c *int64
	a = new(int64)
	decodeField(o, "a", fieldRequired|fieldNullable, &a, decodePtr(decodeInteger))
	if err := o.finish(); err != nil || a != nil {
		t.Fatalf("nullable null: %v, %v", a, err)
	}
	decodeField(o, "c", fieldRequired|fieldNullable, &c, decodePtr(decodeInteger))
	if err := o.finish(); err == nil || err.Error() != "c: expected integer or null, got string" {
		t.Errorf("nullable wrong kind: %v", err)
	}
	o2 := new(objectDecoder)
	o2.init([]byte(`{"b": null}`))
	var bv int64
	decodeField(o2, "b", fieldRequired, &bv, decodeInteger)
	if err := o2.finish(); err == nil || err.Error() != "b: expected integer, got null" {
		t.Errorf("non-nullable null: %v", err)
	}
	o3 := new(objectDecoder)
	o3.init([]byte(`{}`))
	decodeField(o3, "b", fieldRequired, &bv, decodeInteger)
	if err := o3.finish(); err == nil || err.Error() != "b: required property is missing" {
		t.Errorf("missing: %v", err)
	}
}

func TestDecodeListAndMapPaths(t *testing.T) {
	var l []int64
	err := decodeList(decodeInteger)([]byte(`[1, 2, "x"]`), &l)
	if err == nil || err.Error() != "[2]: expected integer, got string" {
		t.Errorf("list: %v", err)
	}
	var m map[string][]int64
	err = decodeMap(decodeList(decodeInteger))([]byte(`{"a": [1], "b.c": [true]}`), &m)
	if err == nil || err.Error() != `["b.c"][0]: expected integer, got boolean` {
		t.Errorf("map: %v", err)
	}
}

func TestRankVariants(t *testing.T) {
	shapes := []variantShape{
		{name: "Request", kinds: kindObject, required: []string{"id", "method"}, known: []string{"id", "method", "params"}},
		{name: "Notification", kinds: kindObject, required: []string{"method"}, known: []string{"method", "params"}},
		{name: "Form", kinds: kindObject, required: []string{"message"}, known: []string{"message", "mode"}, consts: [][2]string{{"mode", `"form"`}}},
		{name: "URL", kinds: kindObject, required: []string{"message", "mode"}, known: []string{"message", "mode", "url"}, consts: [][2]string{{"mode", `"url"`}}},
		{name: "List", kinds: kindArray},
		{name: "Number", kinds: kindNumber},
		{name: "Closed", kinds: kindObject, known: []string{"only"}, closed: true},
		{name: "OtherList", kinds: kindArray},
	}
	for _, c := range []struct {
		in   string
		want []int
	}{
		{`{"id": 1, "method": "x"}`, []int{0}},
		{`{"method": "x"}`, []int{1}},
		{`{"message": "m"}`, []int{2}},
		{`{"message": "m", "mode": "form"}`, []int{2}},
		{`{"message": "m", "mode": "url", "url": "u"}`, []int{3}},
		{`[1]`, []int{4, 7}},
		{`3`, []int{5}},
		{`3.5`, []int{5}},
		{`{"only": 1}`, []int{6}},
	} {
		got, err := rankVariants([]byte(c.in), "U", shapes)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("rankVariants(%s) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	if _, err := rankVariants([]byte(`"s"`), "U", shapes); err == nil || err.Error() != "string matches none of Request, Notification, Form, URL, List, Number, Closed, OtherList" {
		t.Errorf("a string: %v", err)
	}
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
	if _, err := decodeMember([]byte(`[]`), "U", []int{0}, false, member); err == nil || err.Error() != "no" {
		t.Errorf("no member decodes: %v, want the first member's error", err)
	}
}

func TestAppendExtra(t *testing.T) {
	out, err := appendExtra([]byte(`{"a":1}`), map[string]json.RawMessage{"z": json.RawMessage(`true`), "a": json.RawMessage(`2`), "b": json.RawMessage(`[ 1 ]`)}, "a")
	if err != nil || string(out) != `{"a":1,"b":[1],"z":true}` {
		t.Errorf("got %s, %v", out, err)
	}
	out, err = appendExtra([]byte(`{}`), map[string]int{"k": 1})
	if err != nil || string(out) != `{"k":1}` {
		t.Errorf("empty object: %s, %v", out, err)
	}
}
