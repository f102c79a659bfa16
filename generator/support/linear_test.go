package support

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestExactIntegerAgreesWithBigRat(t *testing.T) {
	for _, in := range []string{"0", "-0", "0.0", "1e2", "1.0", "1.5", "-9223372036854775808",
		"-9223372036854775808.0", "9223372036854775807", "9223372036854775808", "922337203685477580.7e1",
		"1000000000000000000000e-3", "10000000000000000000000e-4", "1e-1", "10e-1", "100e-1", "0.00100e3",
		"12.340e2", "12.345e2", "1.0000000000000001", "9007199254740993.0", "-5e0", "5E+1", "5e-0", "1e19",
		"1e18", "123456789012345678901234567890e-11", "1.00000000000000000001e5", "0.5e1", "5e-1"} {
		var n int64
		err := decodeInteger([]byte(in), &n)
		r, _ := new(big.Rat).SetString(in)
		want := r.IsInt() && r.Num().IsInt64()
		if (err == nil) != want || want && n != r.Num().Int64() {
			t.Errorf("%s: got %d, %v; want integer %v (%v)", in, n, err, want, r)
		}
	}
	// Exponents beyond what big.Rat takes: zero stays an integer.
	for in, ok := range map[string]bool{"0e999999999": true, "0.000e-99999999999": true, "1e-9999999999": false, "1e9999999999": false} {
		var n int64
		if err := decodeInteger([]byte(in), &n); (err == nil) != ok || n != 0 {
			t.Errorf("%s: got %d, %v; want ok=%v", in, n, err, ok)
		}
	}
}

func FuzzExactIntegerAgreesWithBigRat(f *testing.F) {
	for _, s := range []string{"1.0", "1e2", "12.5e1", "-0.001e3", "9223372036854775807.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if in == "" || in[0] != '-' && (in[0] < '0' || in[0] > '9') {
			return
		}
		end, err := scanNumber([]byte(in), 0)
		if err != nil || end != len(in) || len(in) > 400 {
			return
		}
		r, ok := new(big.Rat).SetString(in)
		if !ok {
			return
		}
		var n int64
		err = decodeInteger([]byte(in), &n)
		want := r.IsInt() && r.Num().IsInt64()
		if (err == nil) != want || want && n != r.Num().Int64() {
			t.Fatalf("%s: got %d, %v; want integer %v (%v)", in, n, err, want, r)
		}
	})
}

// hugeTokens are single JSON values of about a megabyte, each of a kind
// whose decoding once took time that grew faster than its length.
func hugeTokens() map[string]string {
	const n = 1 << 20
	return map[string]string{
		"integer with a fraction": "1" + strings.Repeat("0", n) + ".0",
		"integer with exponent":   "1." + strings.Repeat("0", n) + "e5",
		"fraction":                "0." + strings.Repeat("1", n),
		"string":                  `"` + strings.Repeat("a", n) + `"`,
		"escapes":                 `"` + strings.Repeat(`\u00e9\n`, n/8) + `"`,
		"nesting":                 strings.Repeat("[", 1000) + strings.Repeat("1,", n/4) + "1" + strings.Repeat("]", 1000),
	}
}

// decodeHuge decodes a token the way generated code reads it: an integer
// field for numbers, a string field for strings, an any for the rest.
func decodeHuge(data []byte) {
	d := decoder{data: data}
	switch c := data[0]; {
	case c == '"':
		var s string
		_ = d.readString(&s)
	case c == '[':
		var v any
		_ = d.readAny(&v)
	default:
		var n int64
		_ = d.readInteger(&n)
	}
}

func decodeHugeWithEncodingJSON(data []byte) {
	switch data[0] {
	case '"':
		var s string
		_ = json.Unmarshal(data, &s)
	case '[':
		var v any
		_ = json.Unmarshal(data, &v)
	default:
		var n int64
		_ = json.Unmarshal(data, &n)
	}
}

// fastest is the least time of three calls of fn.
func fastest(fn func()) time.Duration {
	best := time.Duration(1<<63 - 1)
	for range 3 {
		start := time.Now()
		fn()
		best = min(best, time.Since(start))
	}
	return best
}

// TestHugeTokensDecodeInLinearTime holds decoding a megabyte of one token
// to a constant factor of encoding/json on the same bytes, timed side by
// side in one run: a decoder quadratic in the token's length takes
// hundreds of times longer at this size (1 000 000 digits took 2.7 s
// against 6.7 ms), a linear one about as long.
func TestHugeTokensDecodeInLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes megabytes")
	}
	for name, tok := range hugeTokens() {
		data := []byte(tok)
		ours := fastest(func() { decodeHuge(data) })
		theirs := fastest(func() { decodeHugeWithEncodingJSON(data) })
		// 10x, and a millisecond for timer noise on a loaded machine.
		if ours > 10*theirs+time.Millisecond {
			t.Errorf("%s (%d bytes): %v, against %v for encoding/json", name, len(data), ours, theirs)
		}
	}
}

func BenchmarkHugeTokens(b *testing.B) {
	for name, tok := range hugeTokens() {
		data := []byte(tok)
		b.Run(strings.ReplaceAll(name, " ", "_")+"/mcpgen", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				decodeHuge(data)
			}
		})
		b.Run(strings.ReplaceAll(name, " ", "_")+"/encoding_json", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				decodeHugeWithEncodingJSON(data)
			}
		})
	}
}

// FuzzGrownTokens grows a token from a head, a repeated unit and a tail,
// so that the fuzzer explores long numbers and strings, and holds the
// decoders to big.Rat and encoding/json on them.
func FuzzGrownTokens(f *testing.F) {
	f.Add("1", "0", ".0", uint16(500))
	f.Add("1.", "0", "e5", uint16(500))
	f.Add(`"`, `\u00e9`, `"`, uint16(300))
	f.Add("0.", "1", "", uint16(800))
	f.Fuzz(func(t *testing.T, head, unit, tail string, n uint16) {
		tok := []byte(head + strings.Repeat(unit, int(n%4000)) + tail)
		if len(tok) == 0 || len(tok) > 1<<16 {
			return
		}
		switch c := tok[0]; {
		case c == '"':
			var want string
			wantErr := json.Unmarshal(tok, &want)
			var got string
			err := decodeWhole(tok, func(d *decoder) error { return d.readString(&got) })
			if (err == nil) != (wantErr == nil) || err == nil && got != want {
				t.Fatalf("%q: got %q, %v; encoding/json %q, %v", tok, got, err, want, wantErr)
			}
		case c == '-' || c >= '0' && c <= '9':
			end, err := scanNumber(tok, 0)
			if err != nil || end != len(tok) {
				return
			}
			r, ok := new(big.Rat).SetString(string(tok))
			if !ok {
				return
			}
			var got int64
			err = decodeInteger(tok, &got)
			want := r.IsInt() && r.Num().IsInt64()
			if (err == nil) != want || want && got != r.Num().Int64() {
				t.Fatalf("%s: got %d, %v; want integer %v", tok, got, err, want)
			}
		}
	})
}
