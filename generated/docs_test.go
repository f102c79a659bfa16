package generated_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/generator"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/ir"
)

// docPackage is the text of one generated package: its Go files and its
// REFERENCE.md.
type docPackage struct {
	name  string
	files map[string][]byte
}

// TestGeneratedDocs reads every comment of every generated package (the
// committed ones, the vendored subset, and prefixed subsets of both task
// designs made here) and of their REFERENCE.md, and counts four faults,
// each of which must not occur:
//
//   - an article that does not fit the word after it ("a Annotations",
//     "a MCPTask", "an URL"), as ir.Article reads the word;
//   - a dangling name: a name some generated package declares, named in a
//     package that declares no such thing (a subset naming a type it
//     dropped, a prefixed package naming an unprefixed identifier);
//   - a filler sentence, which says no more than the name it documents
//     ("X is the X definition of the schema.");
//   - a doc comment of an exported declaration that does not start with
//     its name, as Go doc comments do.
//
// Run with -v to see the counts per package.
func TestGeneratedDocs(t *testing.T) {
	pkgs := committedDocPackages(t)
	for _, sub := range []struct{ revision, name string }{{"2025-11-25", "mcptasksprefixed"}, {"ext-tasks", "exttasksprefixed"}} {
		pkgs = append(pkgs, prefixedSubset(t, sub.revision, sub.name))
	}
	// A word names an identifier when some generated package declares it
	// and it has parts (TaskStatus) or stands as code (*Error, [Error]).
	universe := map[string]bool{}
	for _, p := range pkgs {
		for name := range p.identifiers(t) {
			if unicode.IsUpper(rune(name[0])) {
				universe[name] = true
			}
		}
	}
	var articles, dangling, filler, unnamed int
	for _, p := range pkgs {
		declared := p.identifiers(t)
		var a, d, f []string
		n := p.unnamedDocs(t)
		for file, text := range p.prose(t) {
			for _, line := range text {
				for _, bad := range articleErrors(line) {
					a = append(a, file+": "+bad+": "+line)
				}
				for _, w := range namedWords(line) {
					if universe[w.name] && !declared[w.name] && (w.code || multiPart(w.name)) {
						d = append(d, file+": "+w.name+": "+line)
					}
				}
				if fillerSentence.MatchString(line) {
					f = append(f, file+": "+line)
				}
			}
		}
		for _, group := range []struct {
			what string
			list []string
		}{{"article", a}, {"dangling name", d}, {"filler", f}, {"doc that does not start with its name", n}} {
			slices.Sort(group.list)
			for _, e := range group.list {
				t.Errorf("%s: %s: %s", p.name, group.what, e)
			}
		}
		t.Logf("%-18s article errors %3d, dangling names %3d, filler sentences %3d, docs not led by their name %3d", p.name, len(a), len(d), len(f), len(n))
		articles += len(a)
		dangling += len(d)
		filler += len(f)
		unnamed += len(n)
	}
	t.Logf("%-18s article errors %3d, dangling names %3d, filler sentences %3d, docs not led by their name %3d", "total", articles, dangling, filler, unnamed)
}

// committedDocPackages reads generated/* and testdata/vendored/mcptasks.
func committedDocPackages(t *testing.T) []docPackage {
	t.Helper()
	dirs, err := filepath.Glob("*/doc.go")
	if err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, filepath.Join("..", "testdata", "vendored", "mcptasks", "doc.go"))
	var out []docPackage
	for _, d := range dirs {
		dir := filepath.Dir(d)
		p := docPackage{name: filepath.Base(dir), files: map[string][]byte{}}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if n := e.Name(); strings.HasSuffix(n, ".go") || n == "REFERENCE.md" {
				data, err := os.ReadFile(filepath.Join(dir, n))
				if err != nil {
					t.Fatal(err)
				}
				p.files[n] = data
			}
		}
		out = append(out, p)
	}
	if len(out) < 8 {
		t.Fatalf("found %d generated packages, want at least 8", len(out))
	}
	return out
}

// prefixedSubset generates a revision's task subset with the prefix MCP,
// as an SDK vendoring it would.
func prefixedSubset(t *testing.T, revision, name string) docPackage {
	t.Helper()
	pkg, err := buildIR(testenv.SchemaDir(t), revision)
	if err != nil {
		t.Fatal(err)
	}
	pkg.Name = name
	if err := ir.Select(pkg, []string{ir.TaskFeature}); err != nil {
		t.Fatal(err)
	}
	ir.Prefix(pkg, "MCP")
	files, err := generator.Generate(pkg, generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := docPackage{name: name, files: map[string][]byte{}}
	for _, f := range files {
		p.files[f.Name] = f.Data
	}
	return p
}

// identifiers lists every identifier the package's Go code declares or
// uses.
func (p docPackage) identifiers(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	fset := token.NewFileSet()
	for name, data := range p.files {
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, data, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				out[id.Name] = true
			}
			return true
		})
	}
	return out
}

// unnamedDocs lists the exported top-level declarations whose doc
// comment does not start with their name (after "A", "An" or "The"), as
// Go doc comments do.
func (p docPackage) unnamedDocs(t *testing.T) []string {
	t.Helper()
	var out []string
	check := func(file string, doc *ast.CommentGroup, id *ast.Ident) {
		if doc == nil || !id.IsExported() {
			return
		}
		text := doc.Text()
		for _, article := range []string{"A ", "An ", "The "} {
			text = strings.TrimPrefix(text, article)
		}
		if rest, ok := strings.CutPrefix(text, id.Name); !ok || rest != "" && !strings.ContainsAny(rest[:1], " \n.,:;") {
			out = append(out, file+": "+id.Name+": "+strings.SplitN(doc.Text(), "\n", 2)[0])
		}
	}
	fset := token.NewFileSet()
	for name, data := range p.files {
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, data, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					check(name, d.Doc, d.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					doc := d.Doc
					if len(d.Specs) > 1 || d.Lparen.IsValid() {
						doc = nil
					}
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Doc != nil {
							doc = s.Doc
						}
						check(name, doc, s.Name)
					case *ast.ValueSpec:
						if s.Doc != nil {
							doc = s.Doc
						}
						check(name, doc, s.Names[0])
					}
				}
			}
		}
	}
	return out
}

// prose returns, per file, the lines of text a reader of the package's
// documentation reads: comment lines of the Go files, without code
// blocks and directives, and the lines of REFERENCE.md outside its
// diagram.
func (p docPackage) prose(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	for name, data := range p.files {
		if name == "REFERENCE.md" {
			inFence := false
			for _, l := range strings.Split(string(data), "\n") {
				if strings.HasPrefix(l, "```") {
					inFence = !inFence
					continue
				}
				if !inFence {
					out[name] = append(out[name], l)
				}
			}
			continue
		}
		f, err := parser.ParseFile(fset, name, data, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				for _, l := range strings.Split(c.Text, "\n") {
					l = strings.TrimPrefix(strings.TrimPrefix(l, "//"), "/*")
					if strings.HasPrefix(l, "go:") || strings.HasPrefix(l, "\t") || strings.Contains(l, generator.Header) {
						continue
					}
					out[name] = append(out[name], strings.TrimSpace(l))
				}
			}
		}
	}
	return out
}

var articleWord = regexp.MustCompile(`(?:^|[^\w.])(a|an|A|An)\s+([^\s]+)`)

// articleErrors lists the article-and-word pairs of a line whose article
// does not fit the word.
func articleErrors(line string) []string {
	var out []string
	for _, m := range articleWord.FindAllStringSubmatch(line, -1) {
		word := strings.TrimLeft(m[2], "`*[(\"'_")
		if !ir.ArticleBefore(word) {
			continue
		}
		if want := ir.Article(word); !strings.EqualFold(m[1], want) {
			out = append(out, m[1]+" "+m[2])
		}
	}
	return out
}

var wordPattern = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// specLinkText matches a Markdown link to the specification: its text
// names the specification's type, not a Go identifier.
var specLinkText = regexp.MustCompile(`\[[^\]]*\]\(` + regexp.QuoteMeta(ir.SpecSite) + `[^)]*\)`)

// A namedWord is a word of a line that could name a Go identifier; code
// is set when it stands as code does (*Error, [Error], `Error`).
type namedWord struct {
	name string
	code bool
}

// namedWords lists the words of a line that could name a Go identifier,
// leaving out links to the specification and words after a dot (another
// package's, or a field's) or a slash (a JSON pointer's).
func namedWords(line string) []namedWord {
	line = specLinkText.ReplaceAllString(line, "")
	var out []namedWord
	for _, loc := range wordPattern.FindAllStringIndex(line, -1) {
		var before byte
		if loc[0] > 0 {
			before = line[loc[0]-1]
		}
		if before == '.' || before == '/' {
			continue
		}
		out = append(out, namedWord{line[loc[0]:loc[1]], before == '*' || before == '[' || before == '`'})
	}
	return out
}

// multiPart reports whether an exported name has more than one part
// (TaskStatus, not Task or TTL): names of one part are as often English
// words.
func multiPart(name string) bool {
	return len(name) > 1 && unicode.IsUpper(rune(name[0])) &&
		strings.ContainsFunc(name[1:], unicode.IsUpper) && strings.ContainsFunc(name, unicode.IsLower)
}

// fillerSentence matches the sentences mcpgen once wrote for a type the
// schema does not describe.
var fillerSentence = regexp.MustCompile(`\bis the \S+ definition of the schema\b|\bis the type at \S+ in the schema\b`)

// TestMoveToWritesWhatItsDocSays holds MoveTo's timestamp to its doc:
// UTC, RFC 3339 with the fraction of the second (time.RFC3339Nano).
func TestMoveToWritesWhatItsDocSays(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("mcp20251125", "lifecycle.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "(time.RFC3339Nano)") {
		t.Fatal("MoveTo's doc no longer names the format it writes")
	}
	task := &mcp.Task{Status: mcp.TaskStatusWorking}
	now := time.Date(2026, 12, 4, 19, 30, 5, 120000000, time.FixedZone("CET", 3600))
	if err := task.MoveTo(mcp.TaskStatusCompleted, now); err != nil {
		t.Fatal(err)
	}
	if want := "2026-12-04T18:30:05.12Z"; task.LastUpdatedAt != want {
		t.Errorf("lastUpdatedAt = %q, want %q", task.LastUpdatedAt, want)
	}
}
