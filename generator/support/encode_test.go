package support

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// marshalled is encoding/json's encoding of v, the reference for every
// encoder here.
func marshalled(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal(%#v): %v", v, err)
	}
	return string(data)
}

func TestAppendStringAgreesWithEncodingJSON(t *testing.T) {
	var every strings.Builder
	for c := 0; c < 0x80; c++ {
		every.WriteByte(byte(c))
	}
	for _, s := range []string{
		"", "plain", `quote " and backslash \`, "\b\f\n\r\t", "\x00\x01\x1f\x7f",
		"<script>&amp;</script>", "line\u2028para\u2029end", "\u2027\u202a",
		"bad \xff byte", "cut \xe2\x80", "\xe2\x80\xa8\xe2", "surrogate \xed\xa0\x80",
		"é 中文 🙂", "a\u0000b", every.String(), strings.Repeat("ab<", 100),
	} {
		want := marshalled(t, s)
		if got := string(appendString([]byte("x"), s)); got != "x"+want {
			t.Errorf("appendString(%q) = %s, want x%s", s, got, want)
		}
	}
	// Each byte that needs care at each offset in and across the words
	// plainPrefix tests at once.
	for _, special := range []string{"\x00", "\x1f", " ", "\"", "\\", "<", ">", "&", "\x7f", "\x80", "\xff", "é", "\u2028", "\U0001F642"} {
		for at := 0; at <= 17; at++ {
			s := strings.Repeat("a", at) + special + strings.Repeat("b", 17-at)
			if got, want := string(appendString(nil, s)), marshalled(t, s); got != want {
				t.Errorf("appendString(%q) = %s, want %s", s, got, want)
			}
		}
	}
	type enum string
	if got, want := string(appendString(nil, enum("a<b"))), marshalled(t, enum("a<b")); got != want {
		t.Errorf("string type: %s, want %s", got, want)
	}
}

// TestPlainPrefix holds the word-at-a-time scan to the table, for every
// byte at every offset of strings up to 17 bytes long, from every start:
// starts past a byte that is not plain test the last, overlapping word.
func TestPlainPrefix(t *testing.T) {
	for c := 0; c < 256; c++ {
		for n := 1; n <= 17; n++ {
			for at := 0; at < n; at++ {
				b := []byte(strings.Repeat("a", n))
				b[at] = byte(c)
				s := string(b)
				for i := 0; i <= n; i++ {
					want := i
					for want < n && plainASCII[s[want]] {
						want++
					}
					if got := plainPrefix(s, i); got != want {
						t.Fatalf("plainPrefix(%q, %d) = %d, want %d", s, i, got, want)
					}
				}
			}
		}
	}
}

func TestAppendFloatAgreesWithEncodingJSON(t *testing.T) {
	for _, f := range []float64{
		0, math.Copysign(0, -1), 1, -1, 0.1, 1.5, 100, 123456789,
		1e-6, math.Nextafter(1e-6, 0), math.Nextafter(1e-6, 1), 1e-7, 1.5e-7, 1e-10, 1e-100, 5e-324,
		1e20, 1e21, math.Nextafter(1e21, 0), math.Nextafter(1e21, math.Inf(1)), 1.5e21, 1e100, 1e300,
		-1e-7, -1e21, -123.456, math.MaxFloat64, math.SmallestNonzeroFloat64, 9007199254740993,
	} {
		want := marshalled(t, f)
		got, err := appendFloat(nil, f)
		if err != nil || string(got) != want {
			t.Errorf("appendFloat(%v) = %s, %v; want %s", f, got, err, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, jerr := json.Marshal(f); jerr == nil {
			t.Fatalf("encoding/json encodes %v", f)
		}
		if got, err := appendFloat(nil, f); err == nil {
			t.Errorf("appendFloat(%v) = %s, want an error", f, got)
		}
	}
}

func TestAppendNumber(t *testing.T) {
	for _, n := range []json.Number{"", "0", "-0", "1", "-12", "1.5", "1e5", "1E+5", "-1.5e-07", "9007199254740993"} {
		got, err := appendNumber(nil, n)
		if want := marshalled(t, n); err != nil || string(got) != want {
			t.Errorf("appendNumber(%q) = %s, %v; want %s", n, got, err, want)
		}
	}
	for _, n := range []json.Number{"-", "01", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "1 ", " 1", "1.5.5", "--1"} {
		if _, err := json.Marshal(n); err == nil {
			t.Fatalf("encoding/json encodes json.Number(%q)", n)
		}
		if got, err := appendNumber(nil, n); err == nil {
			t.Errorf("appendNumber(%q) = %s, want an error", n, got)
		}
	}
}

func TestAppendRawAgreesWithEncodingJSON(t *testing.T) {
	for _, raw := range []string{
		`null`, `true`, ` 1 `, "{ \"a\" :\t[ 1 , 2 ]\n, \"b\": {} }\r\n",
		`"<tag> & </tag>"`, `{"<":">"}`, `"line` + "\u2028" + `para` + "\u2029" + `"`,
		`"keep \" spaces \\ inside "`, `"\u003c escaped already"`, `[ "a\\", " b " ]`,
		"\"bad \xff byte stays\"", `-1.5e+10`, `[]`, `{}`, `"é"`,
	} {
		want := marshalled(t, json.RawMessage(raw))
		got, err := appendRaw(nil, json.RawMessage(raw))
		if err != nil || string(got) != want {
			t.Errorf("appendRaw(%q) = %s, %v; want %s", raw, got, err, want)
		}
	}
	if got, err := appendRaw(nil, nil); err != nil || string(got) != marshalled(t, json.RawMessage(nil)) {
		t.Errorf("appendRaw(nil) = %s, %v", got, err)
	}
	for _, raw := range []string{``, ` `, `{`, `[1,]`, `{"a":1}x`, `nul`, "\"ctl \x01\"", `1 2`} {
		if _, err := json.Marshal(json.RawMessage(raw)); err == nil {
			t.Fatalf("encoding/json encodes json.RawMessage(%q)", raw)
		}
		if got, err := appendRaw(nil, json.RawMessage(raw)); err == nil {
			t.Errorf("appendRaw(%q) = %s, want an error", raw, got)
		}
	}
}

type selfEncoding struct{ n int }

func (s *selfEncoding) appendJSON(b []byte) ([]byte, error) {
	if s == nil {
		return append(b, "null"...), nil
	}
	return append(b, `{"self":true}`...), nil
}

func (s *selfEncoding) MarshalJSON() ([]byte, error) { return s.appendJSON(nil) }

type valueEncoding []int

func (v valueEncoding) appendJSON(b []byte) ([]byte, error) { return append(b, `"value"`...), nil }

func (v valueEncoding) MarshalJSON() ([]byte, error) { return v.appendJSON(nil) }

func TestAppendAnyAgreesWithEncodingJSON(t *testing.T) {
	type external struct {
		A string `json:"a"`
		B int    `json:"b,omitempty"`
	}
	for _, v := range []any{
		nil, true, false, "s<", json.Number("12.50"), json.Number(""), 1.5, 1e21, int64(-7), 3,
		json.RawMessage(" [ 1 ] "), json.RawMessage(nil),
		map[string]any{"z": 1.0, "a": []any{nil, "x", map[string]any{}}, "<&>": json.Number("1"), "": false},
		map[string]any(nil), []any(nil), []any{}, map[string]any{},
		[]any{map[string]any{"k": []any{json.RawMessage(`{ "r" : 1 }`)}}},
		external{A: "x"}, &external{B: 2}, []string{"a", "b"}, map[string]int{"b": 1, "a": 2}, uint8(3), float32(0.1),
		&selfEncoding{}, (*selfEncoding)(nil), valueEncoding{1}, (*valueEncoding)(nil),
		map[string]any{"self": &selfEncoding{}, "nil": (*selfEncoding)(nil)},
	} {
		want := marshalled(t, v)
		got, err := appendAny([]byte("x"), v)
		if err != nil || string(got) != "x"+want {
			t.Errorf("appendAny(%#v) = %s, %v; want x%s", v, got, err, want)
		}
	}
	for _, v := range []any{math.NaN(), []any{1.0, math.Inf(1)}, map[string]any{"a": json.Number("x")}, json.RawMessage("{"), make(chan int)} {
		if got, err := appendAny(nil, v); err == nil {
			t.Errorf("appendAny(%#v) = %s, want an error", v, got)
		}
	}
	_, err := appendAny(nil, map[string]any{"list": []any{1.0, map[string]any{"a b": math.NaN()}}})
	if err == nil || err.Error() != `encode list[1]["a b"]: json: unsupported value: NaN` {
		t.Errorf("error = %v, want one naming the path", err)
	}
}

func TestObjectMembers(t *testing.T) {
	b := []byte("[")
	start := openObject(b)
	if got := string(closeObject(b, start)); got != "[{}" {
		t.Errorf("empty object: %s", got)
	}
	start = openObject(b)
	b = appendKey(b, "a<")
	b = append(b, '1')
	b = appendKey(b, "b")
	b = append(b, '2')
	if got := string(closeObject(b, start)); got != `[{"a\u003c":1,"b":2}` {
		t.Errorf("object: %s", got)
	}
}

func TestMarshalJSONBuffer(t *testing.T) {
	first, err := marshalJSON(func(b []byte) ([]byte, error) { return append(b, "first"...), nil })
	if err != nil {
		t.Fatal(err)
	}
	second, _ := marshalJSON(func(b []byte) ([]byte, error) { return append(b, "2nd"...), nil })
	if string(first) != "first" || string(second) != "2nd" {
		t.Errorf("results share a buffer: %q, %q", first, second)
	}
	if out, err := marshalJSON(func(b []byte) ([]byte, error) { return nil, encodeAt(encodeIndex(errTest, 3), "list") }); out != nil || err == nil || err.Error() != "encode list[3]: test" {
		t.Errorf("error: %s, %v", out, err)
	}
}

type testError struct{}

func (testError) Error() string { return "test" }

var errTest = testError{}

// FuzzAppendStringAgreesWithEncodingJSON compares appendString with
// encoding/json on arbitrary bytes, and appendRaw on the same bytes taken
// as a JSON text.
func FuzzAppendStringAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range []string{"", "plain", "<&>", "\u2028", "\xff\xfe", "a\"b\\c\x00\x1f", `{ "a" : [ 1 , "<" ] }`, " null "} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, err := json.Marshal(string(data))
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, string(data)); string(got) != string(want) {
			t.Fatalf("appendString(%q) = %s, want %s", data, got, want)
		}
		want, werr := json.Marshal(json.RawMessage(data))
		got, gerr := appendRaw(nil, json.RawMessage(data))
		if (werr == nil) != (gerr == nil) || string(got) != string(want) {
			t.Fatalf("appendRaw(%q) = %s, %v; encoding/json %s, %v", data, got, gerr, want, werr)
		}
	})
}

func TestAppendListAndObjectAgreeWithEncodingJSON(t *testing.T) {
	for _, list := range [][]string{{}, {"a"}, {"<b>", "é\u2028", "\xff"}} {
		want, _ := json.Marshal(list)
		if got := appendStringList(nil, list); string(got) != string(want) {
			t.Errorf("appendStringList(%q) = %s, want %s", list, got, want)
		}
	}
	for _, m := range []map[string]any{{}, {"z": 1.5, "a": []any{"x", nil}, "m": map[string]any{"k": true}}, {"<": json.Number("12")}} {
		want, _ := json.Marshal(m)
		got, err := appendAnyObject(nil, m)
		if err != nil || string(got) != string(want) {
			t.Errorf("appendAnyObject(%v) = %s, %v; want %s", m, got, err, want)
		}
	}
	if _, err := appendAnyObject(nil, map[string]any{"n": math.NaN()}); err == nil || !strings.HasPrefix(err.Error(), "encode n: ") {
		t.Errorf("NaN in an object: %v, want an error at n", err)
	}
}
