package bench

import (
	"encoding/json"
	"testing"
)

// BenchmarkDecodeDirect calls the generated UnmarshalJSON itself, as the
// generated dispatcher does, instead of going through json.Unmarshal,
// which checks the whole input and finds the value's end before it hands
// the value over.
func BenchmarkDecodeDirect(b *testing.B) {
	for _, k := range kinds {
		data := []byte(messages[k.name])
		b.Run(k.name+"/mcpgen", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if err := k.gen().(json.Unmarshaler).UnmarshalJSON(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
