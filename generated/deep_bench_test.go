package generated_test

import (
	"fmt"
	"strings"
	"testing"

	ext "mcpgen/generated/exttasks"
)

// BenchmarkDecodeDeepJSONValue decodes the extension's recursive JSONValue
// nested 1000 and 8000 levels deep, in arrays and in objects: the time per
// byte stays flat as the depth grows when each level is read once.
func BenchmarkDecodeDeepJSONValue(b *testing.B) {
	for _, n := range []int{1000, 8000} {
		for _, c := range []struct{ name, open, close string }{{"arrays", "[", "]"}, {"objects", `{"a":`, "}"}} {
			in := []byte(strings.Repeat(c.open, n) + "1" + strings.Repeat(c.close, n))
			b.Run(fmt.Sprintf("%s-%d", c.name, n), func(b *testing.B) {
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
}
