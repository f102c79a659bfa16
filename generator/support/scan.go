package support

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// A small JSON scanner: it finds where values start and end so that each
// value is decoded once, straight from the input, instead of going through
// encoding/json's maps of raw messages. It validates as it goes; anything
// malformed is a *DecodeError, never a panic.

// maxNesting bounds the depth of arrays and objects, as encoding/json does.
const maxNesting = 10000

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace returns the index of the first byte from data[i] on that is
// not white space. Most values follow their ',' or ':' at once, so a byte
// past ' ' ends the loop after one comparison.
func skipSpace(data []byte, i int) int {
	for i < len(data) && data[i] <= ' ' && isSpace(data[i]) {
		i++
	}
	return i
}

func syntaxError(data []byte, i int, what string) error {
	if i >= len(data) {
		return &DecodeError{Msg: "invalid JSON: unexpected end of input"}
	}
	return &DecodeError{Msg: "invalid JSON: " + what + " at offset " + itoa(i)}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// skipValue returns the index just past the value that starts at data[i]
// (after any white space).
func skipValue(data []byte, i, depth int) (int, error) {
	i = skipSpace(data, i)
	if i >= len(data) {
		return i, syntaxError(data, i, "")
	}
	switch c := data[i]; {
	case c == '"':
		end, _, err := scanString(data, i)
		return end, err
	case c == '{':
		if depth >= maxNesting {
			return i, &DecodeError{Msg: "invalid JSON: nested too deeply"}
		}
		i = skipSpace(data, i+1)
		if i < len(data) && data[i] == '}' {
			return i + 1, nil
		}
		for {
			i = skipSpace(data, i)
			if i >= len(data) || data[i] != '"' {
				return i, syntaxError(data, i, "expected a property name")
			}
			end, _, err := scanString(data, i)
			if err != nil {
				return end, err
			}
			i = skipSpace(data, end)
			if i >= len(data) || data[i] != ':' {
				return i, syntaxError(data, i, "expected ':'")
			}
			if i, err = skipValue(data, i+1, depth+1); err != nil {
				return i, err
			}
			i = skipSpace(data, i)
			if i < len(data) && data[i] == ',' {
				i++
				continue
			}
			if i < len(data) && data[i] == '}' {
				return i + 1, nil
			}
			return i, syntaxError(data, i, "expected ',' or '}'")
		}
	case c == '[':
		if depth >= maxNesting {
			return i, &DecodeError{Msg: "invalid JSON: nested too deeply"}
		}
		i = skipSpace(data, i+1)
		if i < len(data) && data[i] == ']' {
			return i + 1, nil
		}
		for {
			var err error
			if i, err = skipValue(data, i, depth+1); err != nil {
				return i, err
			}
			i = skipSpace(data, i)
			if i < len(data) && data[i] == ',' {
				i++
				continue
			}
			if i < len(data) && data[i] == ']' {
				return i + 1, nil
			}
			return i, syntaxError(data, i, "expected ',' or ']'")
		}
	case c == '-' || c >= '0' && c <= '9':
		return scanNumber(data, i)
	case c == 't':
		return scanLiteral(data, i, "true")
	case c == 'f':
		return scanLiteral(data, i, "false")
	case c == 'n':
		return scanLiteral(data, i, "null")
	}
	return i, syntaxError(data, i, "unexpected character")
}

func scanLiteral(data []byte, i int, lit string) (int, error) {
	if len(data)-i < len(lit) || string(data[i:i+len(lit)]) != lit {
		return i, syntaxError(data, i, "invalid literal")
	}
	return i + len(lit), nil
}

func scanNumber(data []byte, i int) (int, error) {
	start := i
	if data[i] == '-' {
		i++
	}
	digits := func() bool {
		s := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		return i > s
	}
	if i < len(data) && data[i] == '0' {
		i++
	} else if !digits() {
		return i, syntaxError(data, start, "invalid number")
	}
	if i < len(data) && data[i] == '.' {
		i++
		if !digits() {
			return i, syntaxError(data, start, "invalid number")
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if !digits() {
			return i, syntaxError(data, start, "invalid number")
		}
	}
	return i, nil
}

// scanString returns the index past the string that starts at data[i],
// and whether its text may differ from its bytes: it holds escapes, or
// bytes outside ASCII that may not be UTF-8.
func scanString(data []byte, i int) (int, bool, error) {
	start := i
	i++
	plain := true
	for i < len(data) {
		i = plainRun(data, i)
		if i >= len(data) {
			break
		}
		switch c := data[i]; {
		case c == '"':
			return i + 1, !plain, nil
		case c == '\\':
			plain = false
			if i+1 >= len(data) {
				return i, true, syntaxError(data, len(data), "")
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(data) || !isHex4(data[i+2:i+6]) {
					return i, true, syntaxError(data, i, "invalid \\u escape")
				}
				i += 6
			default:
				return i, true, syntaxError(data, i, "invalid escape")
			}
		case c < 0x20:
			return i, !plain, syntaxError(data, i, "control character in string")
		default:
			plain = false
			i++
		}
	}
	return i, !plain, syntaxError(data, start, "unterminated string")
}

// Bytes repeated in each of the eight lanes of a uint64, for plainRun.
const (
	lanes01 = 0x0101010101010101
	lanes20 = 0x2020202020202020 // ' '
	lanes22 = 0x2222222222222222 // '"'
	lanes5c = 0x5c5c5c5c5c5c5c5c // '\\'
	lanes80 = 0x8080808080808080
)

// plainRun returns the index of the first byte from data[i] on that a
// string cannot hold as it is: a quote, a backslash, a control character
// or a byte outside ASCII; len(data) if there is none. It looks at eight
// bytes at a time: in the lanes of a word x, x-lanes20 sets the top bit
// of a lane below ' ', and (x^lanes22)-lanes01 of a lane that is '"' (so
// (x^lanes22) is zero there), and x itself of a lane outside ASCII. A
// borrow carries only out of a lane that is itself one of these, so the
// lowest lane flagged is the first such byte.
func plainRun(data []byte, i int) int {
	for ; i+8 <= len(data); i += 8 {
		x := binary.LittleEndian.Uint64(data[i:])
		special := (x - lanes20) | ((x ^ lanes22) - lanes01) | ((x ^ lanes5c) - lanes01) | x
		if special &= lanes80; special != 0 {
			return i + bits.TrailingZeros64(special)/8
		}
	}
	for ; i < len(data); i++ {
		if c := data[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
			return i
		}
	}
	return i
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// unescape returns the text of the string token s (quotes included),
// which scanString has checked, as encoding/json decodes it: escapes
// resolved, a surrogate pair joined, and a lone surrogate or a byte that
// is not UTF-8 replaced by U+FFFD.
func unescape(s []byte) []byte {
	s = s[1 : len(s)-1]
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			i++
			switch e := s[i]; e {
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r := hex4(s[i+1 : i+5])
				i += 4
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
						r2 = hex4(s[i+3 : i+7])
					}
					if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
						r = pair
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				out = utf8.AppendRune(out, r)
			default: // '"', '\\' and '/' stand for themselves
				out = append(out, e)
			}
			i++
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, n := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && n == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, s[i:i+n]...)
			}
			i += n
		}
	}
	return out
}

// hex4 is the value of four hex digits, which scanString has checked.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// memberValue returns the value of property name of the object that is
// data: the exact name, and the last one when it is repeated, as the
// generated decoders read it.
func memberValue(data []byte, name string) ([]byte, bool, error) {
	var buf [8]rawMember
	fields, err := readFields(data, buf[:0])
	if err != nil {
		return nil, false, err
	}
	value, found := fields.get(name)
	return value, found, nil
}
