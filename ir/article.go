package ir

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Article returns "a" or "an", the indefinite article that goes before
// word when it is read aloud: "an MCPTask" (em-cee-pee), "a URL"
// (you-ar-el), "an HTTP request", "a union", "an hour", "a JSON value".
// It looks at how the word starts: an initialism is read letter by
// letter unless it is one of the few read as a word (JSON, MIME); other
// words by their first sound, with the exceptions English spelling has.
// Marks before the word (`*[(") are skipped.
func Article(word string) string {
	if anSound(strings.TrimLeft(word, "`*[(\"'_")) {
		return "an"
	}
	return "a"
}

// lettersAn are the letters whose names start with a vowel sound: ay,
// ee, ef, aitch, eye, el, em, en, oh, ar, es, ex.
const lettersAn = "AEFHILMNORSX"

// spokenInitialisms are initialisms read as words, not letter by letter.
var spokenInitialisms = []string{"ASCII", "GUID", "JSON", "MIME", "RAM", "SQL"}

// uConsonant are starts of u-words read with a "you": a union, a URI.
var uConsonant = []string{"uint", "unary", "unicode", "unif", "union", "uniq", "unit", "univ", "usa", "use", "usi", "usu", "uti", "ure", "uri", "url", "uro", "uuid", "ubiq"}

// silentH are starts of h-words read with a vowel: an hour, an honest.
var silentH = []string{"hour", "honest", "honor", "honour", "heir"}

func anSound(w string) bool {
	if w == "" {
		return false
	}
	r := rune(w[0])
	switch {
	case r >= '0' && r <= '9':
		return r == '8' || numberIs(w, "11") || numberIs(w, "18")
	case !unicode.IsLetter(r) || r > unicode.MaxASCII:
		return false
	}
	if initialism(w) {
		for _, s := range spokenInitialisms {
			if strings.HasPrefix(w, s) {
				return wordAn(strings.ToLower(w))
			}
		}
		return strings.ContainsRune(lettersAn, unicode.ToUpper(r))
	}
	return wordAn(strings.ToLower(w))
}

// initialism reports whether w starts with an initialism: a letter that
// stands alone ("X", "x-mcp-header") or two capitals ("MCPTask", "IDs").
func initialism(w string) bool {
	if len(w) == 1 || !isLetterByte(w[1]) {
		return true
	}
	return unicode.IsUpper(rune(w[0])) && unicode.IsUpper(rune(w[1]))
}

// wordAn reports whether a lower-case word is read with a vowel first.
func wordAn(w string) bool {
	switch w[0] {
	case 'a', 'i':
		return true
	case 'e':
		return !strings.HasPrefix(w, "eu") && !strings.HasPrefix(w, "ewe")
	case 'o':
		return !strings.HasPrefix(w, "one") && !strings.HasPrefix(w, "once")
	case 'u':
		for _, p := range uConsonant {
			if strings.HasPrefix(w, p) {
				return false
			}
		}
		return true
	case 'h':
		for _, p := range silentH {
			if strings.HasPrefix(w, p) {
				return true
			}
		}
	}
	return false
}

// numberIs reports whether the digits w starts with are exactly n.
func numberIs(w, n string) bool {
	rest, ok := strings.CutPrefix(w, n)
	return ok && (rest == "" || rest[0] < '0' || rest[0] > '9')
}

func isLetterByte(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// notAfterArticle are words no article comes before: an "a" before one
// of them is a name ("time a is before b").
var notAfterArticle = []string{"and", "are", "as", "be", "has", "in", "is", "of", "or", "the", "to", "was"}

// ArticleBefore reports whether an "a" or "an" before word is an article
// at all: word (marks before it skipped) starts with a letter or digit
// and is no word an article cannot come before.
func ArticleBefore(word string) bool {
	if word == "" || !(unicode.IsLetter(rune(word[0])) || unicode.IsDigit(rune(word[0]))) {
		return false
	}
	w := strings.ToLower(strings.TrimRightFunc(word, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
	return !slices.Contains(notAfterArticle, w)
}

var articleBefore = regexp.MustCompile(`(^|[^\w.])(a|an|A|An)(\s+)([^\s]+)`)

// FixArticles makes every article of a text fit the word after it, as
// Article reads the word. Indented lines (code), in a Go comment or not,
// are left as they are.
func FixArticles(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l := strings.TrimPrefix(l, "//"); strings.HasPrefix(l, "\t") || strings.HasPrefix(l, "    ") {
			continue
		}
		lines[i] = articleBefore.ReplaceAllStringFunc(l, func(m string) string {
			s := articleBefore.FindStringSubmatch(m)
			word := strings.TrimLeft(s[4], "`*[(\"'_")
			if !ArticleBefore(word) {
				return m
			}
			a := Article(word)
			if unicode.IsUpper(rune(s[2][0])) {
				a = strings.ToUpper(a[:1]) + a[1:]
			}
			return s[1] + a + s[3] + s[4]
		})
	}
	return strings.Join(lines, "\n")
}
