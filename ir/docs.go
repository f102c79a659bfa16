package ir

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// SpecSite is where the specification the schema's links point into is
// published.
const SpecSite = "https://modelcontextprotocol.io"

// siteLink matches a Markdown link to a page of the specification site
// given by its path alone, which leads nowhere outside that site.
var siteLink = regexp.MustCompile(`\]\((/[^)\s]*)\)`)

// jsdocLink matches a JSDoc link, {@link Name} or {@link Name.field}, as
// the extension's schema writes them.
var jsdocLink = regexp.MustCompile(`\{@link ([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}`)

// tidyDoc makes a schema description read well where it is printed: its
// links to the specification lead to the published pages, a JSDoc link
// becomes a Go doc link when the package declares its type and a link to
// the specification's schema reference otherwise, and its articles fit
// the words after them.
func tidyDoc(pkg *Package, s string, declared map[string]*Decl) string {
	if s == "" {
		return ""
	}
	s = siteLink.ReplaceAllString(s, "]("+SpecSite+"$1)")
	s = jsdocLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := jsdocLink.FindStringSubmatch(m)
		if d := declared[sub[1]]; d != nil {
			return "[" + d.Name + "]" + sub[2]
		}
		if url := specURL(pkg, sub[1]); url != "" {
			return "[" + sub[1] + sub[2] + "](" + url + ")"
		}
		return sub[1] + sub[2]
	})
	return FixArticles(s)
}

// specURL is the address of the definition name in the schema reference
// of the package's revision, or "" when the package comes from no known
// revision.
func specURL(pkg *Package, name string) string {
	rev := strings.TrimSuffix(pkg.Source.Revision, "-as-released")
	switch rev {
	case "":
		return ""
	case "ext-tasks":
		rev = "draft" // the extension names types of the core draft
	}
	return SpecSite + "/specification/" + rev + "/schema#" + strings.ToLower(name)
}

// eachDoc calls fn with every description the package carries.
func eachDoc(pkg *Package, fn func(string) string) {
	for _, d := range pkg.Decls {
		d.Doc = fn(d.Doc)
		for _, f := range d.Fields {
			f.Doc = fn(f.Doc)
		}
		for i := range d.Values {
			d.Values[i].Doc = fn(d.Values[i].Doc)
		}
	}
}

// tidyDocs applies tidyDoc to every description the package carries.
func tidyDocs(pkg *Package) {
	declared := map[string]*Decl{}
	for _, d := range pkg.Decls {
		if d.Definition != "" {
			declared[d.Definition] = d
		}
	}
	eachDoc(pkg, func(s string) string { return tidyDoc(pkg, s, declared) })
}

// unlinkDropped makes every name of a dropped definition in the package's
// descriptions a link to the specification's schema reference, so that
// no doc names a type the package does not declare.
func unlinkDropped(pkg *Package, dropped map[string]bool) {
	if len(dropped) == 0 {
		return
	}
	link := func(s string) string {
		toks := wordRuns(s)
		for k, w := range toks {
			if !dropped[w] || k > 0 && (toks[k-1] == "." || toks[k-1] == "/") {
				continue
			}
			url := specURL(pkg, w)
			switch {
			case url == "":
			case k > 0 && toks[k-1] == "[" && k+1 < len(toks) && toks[k+1] == "]":
				// A Go doc link, [Name], becomes a link to the reference.
				toks[k+1] = "](" + url + ")"
			default:
				toks[k] = "[" + w + "](" + url + ")"
			}
		}
		return strings.Join(toks, "")
	}
	eachDoc(pkg, link)
}

// TypeDocs returns the doc comment of every declaration of the package as
// it stands (after Select, Prefix and Map, so that a doc names only what
// the package declares). A doc starts with the type's name, as Go doc
// comments do: a schema description that does so already, or reads as
// one after the name ("A task status." becomes "TaskStatus is a task
// status."), is the doc; any other is kept as the schema wrote it, under
// a first line that says what the type is for. A type the schema does not
// describe gets that line alone, or no doc when there is nothing to say.
func TypeDocs(pkg *Package) map[*Decl]string {
	uses := fieldUses(pkg)
	roles := methodRoles(pkg)
	out := map[*Decl]string{}
	for _, d := range pkg.Decls {
		out[d] = typeDoc(pkg, d, roles[d], uses[d])
	}
	return out
}

func typeDoc(pkg *Package, d *Decl, roles []string, uses []use) string {
	desc := d.Doc
	for _, name := range []string{d.Name, strings.TrimPrefix(d.Name, pkg.Prefix)} {
		if rest, ok := strings.CutPrefix(desc, name); ok && (rest == "" || !isWordByte(rest[0])) {
			return d.Name + rest
		}
	}
	for _, article := range []string{"A ", "An ", "The "} {
		if strings.HasPrefix(desc, article) {
			return d.Name + " is " + strings.ToLower(article[:1]) + desc[1:]
		}
	}
	lead := leadSentence(d, roles, uses)
	switch {
	case desc == "" && lead == "" && slices.ContainsFunc(d.Fields, func(f *Field) bool { return f.Const != "" && f.Required }):
		// The doc goes on with the fixed properties, and must start with
		// the name all the same.
		return standalone(d)
	case desc == "":
		return lead
	case lead == "":
		lead = standalone(d)
	}
	return lead + "\n\n" + desc
}

// leadSentence says what d is for: the part it plays in a method, the
// fields that hold it, or the unions it is a member of; "" when the
// package has none of these.
func leadSentence(d *Decl, roles []string, uses []use) string {
	if len(roles) > 0 {
		return d.Name + " is " + listAnd(roles, 3, "roles") + "."
	}
	if len(uses) > 0 {
		if d.Definition == "" {
			u := uses[0]
			s := d.Name + " is " + u.inline(d)
			if n := len(uses) - 1; n > 0 {
				s += fmt.Sprintf(", and of %d more %s", n, plural(n, "field"))
			}
			return s + "."
		}
		var places []string
		for _, u := range uses {
			places = append(places, u.place())
		}
		return d.Name + " is the type of " + listAnd(places, 3, "fields") + "."
	}
	if len(d.Unions) > 0 {
		var names []string
		for _, u := range d.Unions {
			names = append(names, u.Name)
		}
		return d.Name + " is a member of " + listAnd(names, 3, "unions") + "."
	}
	return ""
}

// standalone says what d is when no method, field or union of the
// package uses it: the kind of value, and that it stands alone here.
func standalone(d *Decl) string {
	what := "a value"
	switch d.Resolve().Kind {
	case Struct:
		what = "an object"
	case Union:
		what = "a union"
	case Enum:
		what = "a set of strings"
	}
	return d.Name + " is " + what + " of the schema that no field of this package holds."
}

// A use is a field whose type holds a declaration: as the field's
// value, as an element of its list or as a value of its map.
type use struct {
	holder *Decl
	field  *Field
	how    TypeKind // TRef, TList or TMap
}

// place names the use for a sentence: "InitializeResult.ServerInfo", "the
// elements of CallToolResult.Content".
func (u use) place() string {
	at := u.holder.Name + "." + u.field.Name
	switch u.how {
	case TList:
		return "the elements of " + at
	case TMap:
		return "the values of " + at
	}
	return at
}

// inline names an inline type by the property it was written at: "the
// _meta object of CallToolRequestParams".
func (u use) inline(d *Decl) string {
	switch u.how {
	case TList:
		return "an element of the " + u.field.JSONName + " list of " + u.holder.Name
	case TMap:
		return "a value of the " + u.field.JSONName + " map of " + u.holder.Name
	}
	return "the " + u.field.JSONName + " " + kindNoun(d) + " of " + u.holder.Name
}

func kindNoun(d *Decl) string {
	switch d.Resolve().Kind {
	case Struct:
		return "object"
	case Named:
		switch d.Resolve().Underlying.Kind {
		case TList:
			return "list"
		case TMap:
			return "map"
		}
	}
	return "value"
}

// fieldUses lists, per declaration, the fields of the package's
// declarations that hold it, in declaration order.
func fieldUses(pkg *Package) map[*Decl][]use {
	out := map[*Decl][]use{}
	for _, h := range pkg.Decls {
		for _, f := range h.Fields {
			t := f.Type
			if t == nil {
				continue
			}
			how := TRef
			if (t.Kind == TList || t.Kind == TMap) && t.Elem != nil {
				how, t = t.Kind, t.Elem
			}
			if t.Kind == TRef && t.Decl != h {
				out[t.Decl] = append(out[t.Decl], use{h, f, how})
			}
		}
	}
	return out
}

// methodRoles lists, per declaration, the parts it plays in the package's
// methods: "the request of tools/call", "the result of ping, logging/setLevel,
// resources/subscribe and 1 more method".
func methodRoles(pkg *Package) map[*Decl][]string {
	out := map[*Decl][]string{}
	p := pkg.Protocol
	if p == nil {
		return out
	}
	type role struct {
		d    *Decl
		part string
	}
	var order []role
	methods := map[role][]string{}
	add := func(d *Decl, part, method string) {
		if d == nil {
			return
		}
		r := role{d, part}
		if methods[r] == nil {
			order = append(order, r)
		}
		methods[r] = append(methods[r], method)
	}
	for _, m := range p.Methods {
		if m.Notification {
			add(m.Message, "notification", m.Name)
		} else {
			add(m.Message, "request", m.Name)
			add(m.Result, "result", m.Name)
		}
		if m.Params != nil && m.Params.Kind == TRef {
			add(m.Params.Decl, "params", m.Name)
		}
	}
	for _, r := range order {
		out[r.d] = append(out[r.d], "the "+r.part+" of "+listAnd(methods[r], 3, "methods"))
	}
	return out
}

// joinAnd joins up to max items as "a, b and c", and says how many more
// there are beyond them.
func listAnd(items []string, max int, what string) string {
	if len(items) > max+1 {
		n := len(items) - max
		return strings.Join(items[:max], ", ") + fmt.Sprintf(" and %d more %s", n, pluralOf(n, what))
	}
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// pluralOf is what, a plural, made singular for one.
func pluralOf(n int, what string) string {
	if n == 1 {
		return strings.TrimSuffix(what, "s")
	}
	return what
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || isLetterByte(c)
}

// RenameWords renames, in a comment's text, every whole word that names
// an exported identifier of the unprefixed package, and makes an article
// before a renamed word fit it ("a TaskStore", "an MCPTaskStore"). Words
// of one part (Task, Error) are left alone unless they stand as code
// (*Error, [Error], `Error`): in prose they are as often English.
func RenameWords(text string, names map[string]string) string {
	toks := wordRuns(text)
	for k, w := range toks {
		to, ok := names[w]
		// A name of one part is a name where it stands as code does: as
		// a pointer (*Error), a doc link ([Error]) or in code quotes.
		code := k > 0 && (toks[k-1] == "*" || toks[k-1] == "[" || toks[k-1] == "`")
		if !ok || !multiPart(w) && !code {
			continue
		}
		toks[k] = to
		// An article, a space and perhaps a mark ("a *X", "a [X]") before w.
		p := k - 1
		if code {
			p--
		}
		if p < 1 || toks[p] != " " {
			continue
		}
		a := p - 1
		switch toks[a] {
		case "a", "an":
			toks[a] = Article(to)
		case "A", "An":
			toks[a] = strings.ToUpper(Article(to)[:1]) + Article(to)[1:]
		}
	}
	return strings.Join(toks, "")
}

// wordRuns splits s into its words (runs of letters, digits and
// underscores) and, one by one, the bytes between them.
func wordRuns(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		if j == i {
			j++
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

// multiPart reports whether a name has parts (TaskStatus, not Task or
// TTL): names of one part are as often English words.
func multiPart(name string) bool {
	return len(name) > 1 && unicode.IsUpper(rune(name[0])) &&
		strings.ContainsFunc(name[1:], unicode.IsUpper) && strings.ContainsFunc(name, unicode.IsLower)
}
