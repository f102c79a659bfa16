package support

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// FuzzScanAgreesWithEncodingJSON: the scanner and the streaming decoder
// accept exactly the JSON encoding/json accepts, strings decode to the same
// text, arbitrary values to the same Go values, and integers to the same
// int64 as strconv (or out of range alike).
func FuzzScanAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e-3,"x\u00e9\n",true,null,{}]}`, `"\ud83d\ude00"`, `-0`, `01`, `[1,]`, `{"a" 1}`, `"\x01"`, "\"\xff\"", `{"a":1}{`, ` [ ] `, `9223372036854775807`, `-9223372036854775808`, `9223372036854775808`, `-9223372036854775809`, `18446744073709551616`, `{"a":1,"a":{"b":[]}}`, `{"\u0061":1}`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800"`, `"\ud83d\ude00x\u00e9\/\b\f"`, "\"a\xc3\x28b\"", "\"\xed\xa0\x80\\n\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		end, err := skipValue(data, 0, 0)
		ours := err == nil && skipSpace(data, end) == len(data)
		if want := json.Valid(data); ours != want {
			t.Fatalf("scanner says valid=%v, encoding/json %v, for %q", ours, want, data)
		}
		var v any
		if streamed := decodeAny(data, &v) == nil; streamed != ours {
			t.Fatalf("decoder says valid=%v, scanner %v, for %q", streamed, ours, data)
		}
		if !ours {
			return
		}
		var want any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if s, ok := want.(string); ok {
			var got string
			if err := decodeString(data, &got); err != nil || got != s {
				t.Fatalf("decodeString(%q) = %q, %v; encoding/json says %q", data, got, err, s)
			}
		}
		// readAny builds the same value as encoding/json with UseNumber.
		var got any
		if err := decodeAny(data, &got); err != nil {
			t.Fatalf("decodeAny(%q): %v", data, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("decodeAny(%q) = %#v; encoding/json says %#v", data, got, want)
		}
		// Integers without fraction or exponent parse as strconv does.
		if n, ok := want.(json.Number); ok && !strings.ContainsAny(string(n), ".eE") {
			var got int64
			err := decodeWhole(data, func(d *decoder) error { return d.readInteger(&got) })
			w, werr := strconv.ParseInt(string(n), 10, 64)
			if (err == nil) != (werr == nil) || err == nil && got != w {
				t.Fatalf("readInteger(%q) = %d, %v; strconv says %d, %v", data, got, err, w, werr)
			}
		}
	})
}
