package support

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzScanAgreesWithEncodingJSON: the scanner accepts exactly the JSON
// encoding/json accepts, and strings decode to the same text.
func FuzzScanAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e-3,"x\u00e9\n",true,null,{}]}`, `"\ud83d\ude00"`, `-0`, `01`, `[1,]`, `{"a" 1}`, `"\x01"`, "\"\xff\"", `{"a":1}{`, ` [ ] `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		end, err := skipValue(data, 0, 0)
		ours := err == nil && trailing(data, end) == nil
		if want := json.Valid(data); ours != want {
			t.Fatalf("scanner says valid=%v, encoding/json %v, for %q", ours, want, data)
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
		if _, ok := want.(map[string]any); ok {
			var o objectDecoder
			if err := o.init(data); err != nil {
				t.Fatalf("init(%q): %v", data, err)
			}
		}
	})
}
