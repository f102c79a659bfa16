package generated_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	ext "github.com/mcpgen-dev/mcpgen/generated/exttasks"
)

// deepValues are JSON values nested 1000 and 8000 levels deep, in arrays
// and in objects.
func deepValues() (names []string, values [][]byte) {
	for _, n := range []int{1000, 8000} {
		for _, c := range []struct{ name, open, close string }{{"arrays", "[", "]"}, {"objects", `{"a":`, "}"}} {
			names = append(names, fmt.Sprintf("%s-%d", c.name, n))
			values = append(values, []byte(strings.Repeat(c.open, n)+"1"+strings.Repeat(c.close, n)))
		}
	}
	return names, values
}

// BenchmarkDecodeDeepJSONValue decodes the extension's recursive JSONValue
// from deepValues: when each level is read once, the time per byte is
// close to BenchmarkDecodeDeepAny's.
func BenchmarkDecodeDeepJSONValue(b *testing.B) {
	names, values := deepValues()
	for i, in := range values {
		b.Run(names[i], func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ext.UnmarshalJSONValue(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeDeepAny decodes deepValues into an any with
// encoding/json: the reference for BenchmarkDecodeDeepJSONValue.
func BenchmarkDecodeDeepAny(b *testing.B) {
	names, values := deepValues()
	for i, in := range values {
		b.Run(names[i], func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				var v any
				if err := json.Unmarshal(in, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
