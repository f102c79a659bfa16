package ir

import (
	"fmt"
	"go/token"
	"hash/fnv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// initialisms are written in one case in Go names, after the Go code review
// conventions: TaskID, URI, MIMEType.
var initialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "DNS": true,
	"EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "ID": true,
	"IP": true, "JSON": true, "JSONRPC": true, "MIME": true, "QPS": true, "RAM": true, "RPC": true,
	"SLA": true, "SMTP": true, "SQL": true, "SSE": true, "SSH": true, "TCP": true,
	"TLS": true, "TTL": true, "UDP": true, "UI": true, "UID": true, "UUID": true,
	"URI": true, "URL": true, "UTF8": true, "VM": true, "XML": true, "XSRF": true,
	"XSS": true,
}

// words splits a JSON name into words at non-alphanumeric characters and at
// lower-to-upper case changes: "taskId" → task, Id; "io.mcp/related-task" →
// io, mcp, related, task.
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			flush()
			continue
		}
		if i > 0 && unicode.IsUpper(r) && len(cur) > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// GoName turns a JSON name into an exported Go identifier that follows the
// initialism conventions. It returns "" when s has no ASCII letter or digit.
func GoName(s string) string {
	var b strings.Builder
	for _, w := range words(s) {
		up := strings.ToUpper(w)
		if initialisms[up] {
			b.WriteString(up)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]))
		b.WriteString(w[1:])
	}
	name := b.String()
	if name != "" && !unicode.IsLetter(rune(name[0])) {
		name = "X" + name
	}
	return name
}

// FallbackName is the Go name of a definition or property whose name has
// no ASCII letter or digit: X and the name's own letters and digits when it
// has some in other scripts ("名前" is X名前), else X and the hexadecimal
// code of each character ("$$$" is X242424); the empty name is Empty.
func FallbackName(s string) string {
	if s == "" {
		return "Empty"
	}
	var letters, codes strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			letters.WriteRune(r)
		}
		fmt.Fprintf(&codes, "%X", r)
	}
	if letters.Len() > 0 {
		return "X" + letters.String()
	}
	return "X" + codes.String()
}

// MaxInlineName bounds the Go name of an inline type. Such a name is its
// parent's and its place's (RootParamsTaskMetadata), so without a bound a
// schema nested n deep would give names of n words and output that grows
// with n squared.
const MaxInlineName = 64

// BoundName returns name when it is at most MaxInlineName bytes, else its
// first 56 bytes and eight hexadecimal digits of a hash of the whole name:
// stable from run to run, and different for names that differ past the cut.
func BoundName(name string) string {
	if len(name) <= MaxInlineName {
		return name
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	cut := MaxInlineName - 8
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return fmt.Sprintf("%s%08X", name[:cut], h.Sum32())
}

// TypeName returns the Go name for a definition: the definition's own name
// when it is already an exported Go identifier, otherwise its GoName.
func TypeName(def string) string {
	if token.IsIdentifier(def) && token.IsExported(def) {
		return def
	}
	return GoName(def)
}

// ConstName returns the suffix used for an enum constant, such as
// "InputRequired" for "input_required".
func ConstName(value string) string {
	n := GoName(value)
	if n == "" {
		return "Empty"
	}
	return n
}
