// Command mcpgen generates Go types for the Model Context Protocol from an
// MCP schema.json.
//
// Usage:
//
//	mcpgen generate -schema FILE|REVISION -out DIR [-package NAME]
//	mcpgen check    -schema FILE|REVISION -out DIR [-package NAME]
//
// generate writes the package into DIR. check writes nothing and exits 1,
// listing the files that differ, when DIR is not what generate would write.
// Exit codes: 0 ok, 1 stale (check), 2 usage or input error.
//
// A REVISION such as 2025-11-25 is looked up in the directory named by
// MCPGEN_SCHEMA_DIR; its content must match the pinned sha256.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/mcpgen-dev/mcpgen/diff"
	"github.com/mcpgen-dev/mcpgen/generator"
	"github.com/mcpgen-dev/mcpgen/ir"
	"github.com/mcpgen-dev/mcpgen/mapcheck"
	"github.com/mcpgen-dev/mcpgen/schema"
)

func main() {
	collectLessOften()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// collectLessOften leaves the collector off until the heap reaches
// 512 MiB, unless GOGC or GOMEMLIMIT says otherwise. A run lasts a
// fraction of a second and most of what it allocates is garbage from
// formatting, so collecting during it is wasted work (10-20% of the CPU
// time with the default); a run on the largest schema peaks at about
// 50 MB, and a hostile input that grows past the limit is collected as
// usual. The heap it grows into is offered huge pages (see
// preferHugePages).
func collectLessOften() {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(512 << 20)
		debug.SetGCPercent(-1)
		preferHugePages()
	}
}

const usage = `usage:
  mcpgen generate -schema FILE|REVISION -out DIR [-package NAME] [-only LIST]
                  [-prefix PFX] [-map DEF=PATH.Type] [-lifecycle FILE] [-runner CMD]
  mcpgen check    (the same flags)
  mcpgen diff     [-json] OLD NEW     (each a FILE or REVISION)
  mcpgen fetch    REVISION -dir DIR [-url URL]
`

// errStale marks a check that found differences, and errBreaking a diff
// that found breaking changes: both exit 1.
var (
	errStale    = errors.New("stale")
	errBreaking = errors.New("breaking changes")
)

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "generate", "check":
		err = generate(cmd, rest, stdout, stderr)
	case "diff":
		err = diffCmd(rest, stdout, stderr)
	case "fetch":
		err = fetchCmd(rest, stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "mcpgen: unknown command %q\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	}
	if errors.Is(err, errBreaking) {
		return 1
	}
	fmt.Fprintf(stderr, "mcpgen: %v\n", err)
	if errors.Is(err, errStale) {
		return 1
	}
	return 2
}

func generate(cmd string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("mcpgen "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	schemaArg := fs.String("schema", "", "schema file, or a revision name looked up in $"+schema.SchemaDirEnv)
	out := fs.String("out", "", "output directory")
	pkgName := fs.String("package", "", "Go package name (default: the revision's, or the output directory's name)")
	lifecycle := fs.String("lifecycle", "", "task lifecycle data (JSON) to check and generate, instead of the revision's own")
	only := fs.String("only", "", "comma-separated definitions, globs (Task*) or the feature \"tasks\" to keep, with what they need")
	prefix := fs.String("prefix", "", "prefix for every generated type name")
	var maps multiFlag
	fs.Var(&maps, "map", "DEFINITION=IMPORT/PATH.Type: use the host's type for a definition (repeatable, or comma-separated)")
	runner := fs.String("runner", "go run github.com/mcpgen-dev/mcpgen/cmd/mcpgen", "the command doc.go's //go:generate line runs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *schemaArg == "" || *out == "" || fs.NArg() > 0 {
		return fmt.Errorf("%s needs -schema and -out and no other arguments", cmd)
	}
	if *pkgName != "" && (!token.IsIdentifier(*pkgName) || *pkgName == "_") {
		return fmt.Errorf("-package %q is not a Go identifier", *pkgName)
	}
	doc, path, rev, err := loadDocument(*schemaArg)
	if err != nil {
		return err
	}
	name := *pkgName
	if name == "" {
		name = rev.Package
	}
	if name == "" {
		abs, err := filepath.Abs(*out)
		if err != nil {
			return err
		}
		name = packageName(filepath.Base(abs))
	}
	if !token.IsIdentifier(name) || name == "_" {
		return fmt.Errorf("-package %q is not a Go identifier", name)
	}
	if doc.Path == path && rev.Name != "" {
		// Messages and doc.go name the revision, not this machine's path.
		doc.Path = rev.Path
	}
	opts := ir.Options{Package: name, Revision: rev.Name}
	switch {
	case *lifecycle != "":
		data, err := os.ReadFile(*lifecycle)
		if err != nil {
			return err
		}
		if opts.Lifecycle, err = schema.ParseLifecycle(*lifecycle, data); err != nil {
			return err
		}
	case rev.Lifecycle != "":
		if opts.Lifecycle, err = schema.LoadLifecycle(rev.Lifecycle); err != nil {
			return err
		}
	}
	if rev.Protocol != "" {
		if opts.Protocol, err = schema.LoadProtocol(rev.Protocol); err != nil {
			return err
		}
	}
	pkg, err := ir.Build(doc, opts)
	if err != nil {
		return err
	}
	if len(maps) > 0 {
		mapping, err := ir.ParseMapping(maps)
		if err != nil {
			return err
		}
		if err := ir.Map(pkg, mapping); err != nil {
			return err
		}
		if err := mapcheck.Check(pkg, mapping, *out); err != nil {
			return err
		}
	}
	if *only != "" {
		if err := ir.Select(pkg, strings.Split(*only, ",")); err != nil {
			return err
		}
	}
	if *prefix != "" {
		if !token.IsExported(*prefix) || !token.IsIdentifier(*prefix) {
			return fmt.Errorf("-prefix %q must be an exported Go identifier", *prefix)
		}
		ir.Prefix(pkg, *prefix)
	}
	// Renamed Go identifiers are resolved, not refused, but never silent.
	for _, r := range pkg.Renames {
		fmt.Fprintf(stderr, "mcpgen: warning: %s: %s: %s; it is named %s\n", doc.Path, r.Pointer, r.Reason, r.Got)
	}
	files, err := generator.Generate(pkg, generator.Options{
		Command: recordedCommand(fs),
		Runner:  *runner,
	})
	if err != nil {
		return err
	}
	if cmd == "check" {
		diff, err := generator.Check(*out, files)
		if err != nil {
			return err
		}
		if len(diff) > 0 {
			for _, d := range diff {
				fmt.Fprintln(stdout, filepath.Join(*out, d))
			}
			return fmt.Errorf("%s is out of date with %s (%w): %s", *out, *schemaArg, errStale, generator.Describe(diff))
		}
		return nil
	}
	return generator.Write(*out, files)
}

// recordedCommand is the command line doc.go records for go generate:
// generate with every flag that was set, in a fixed order, writing to the
// package's own directory, so that regeneration needs no memory.
func recordedCommand(fs *flag.FlagSet) string {
	var b strings.Builder
	b.WriteString("generate")
	for _, name := range []string{"schema", "package", "only", "prefix", "map", "lifecycle"} {
		f := fs.Lookup(name)
		set := false
		fs.Visit(func(v *flag.Flag) { set = set || v.Name == name })
		if !set {
			continue
		}
		values := []string{f.Value.String()}
		if m, ok := f.Value.(*multiFlag); ok {
			values = *m
		}
		for _, v := range values {
			fmt.Fprintf(&b, " -%s %s", name, shellQuote(v))
		}
	}
	b.WriteString(" -out .")
	return b.String()
}

// shellQuote quotes a word for a //go:generate line when it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"'\\$") {
		return s
	}
	return strconv.Quote(s)
}

// multiFlag collects a flag given several times.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }

func (m *multiFlag) Set(v string) error {
	*m = append(*m, v)
	return nil
}

// loadDocument resolves a FILE or REVISION argument, loads the file and,
// for a revision, checks its pinned sha256. It returns the path it read.
func loadDocument(arg string) (*schema.Document, string, schema.Revision, error) {
	path, rev, err := schema.ResolveInput(arg)
	if err != nil {
		return nil, "", rev, err
	}
	doc, err := schema.LoadFile(path)
	if err != nil {
		return nil, "", rev, err
	}
	if err := schema.CheckPin(doc, rev); err != nil {
		return nil, "", rev, err
	}
	return doc, path, rev, nil
}

// loadPackage resolves a FILE or REVISION argument and builds its IR.
func loadPackage(arg string) (*ir.Package, error) {
	doc, _, rev, err := loadDocument(arg)
	if err != nil {
		return nil, err
	}
	name := rev.Package
	if name == "" {
		name = "p"
	}
	return ir.Build(doc, ir.Options{Package: name, Revision: rev.Name})
}

// diffCmd reports the API differences between two schemas; it exits 1
// when any is breaking.
func diffCmd(args []string, stdout, stderr io.Writer) error {
	asJSON := false
	var paths []string
	for _, a := range args {
		switch a {
		case "-json", "--json":
			asJSON = true
		default:
			if strings.HasPrefix(a, "-") {
				return fmt.Errorf("diff: unknown flag %s\n%s", a, usage)
			}
			paths = append(paths, a)
		}
	}
	if len(paths) != 2 {
		return fmt.Errorf("diff needs OLD and NEW")
	}
	old, err := loadPackage(paths[0])
	if err != nil {
		return err
	}
	new, err := loadPackage(paths[1])
	if err != nil {
		return err
	}
	report := diff.Compare(old, new)
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else {
		fmt.Fprint(stdout, report.Text())
	}
	if report.Breaking() {
		return errBreaking
	}
	return nil
}

// fetchCmd downloads a revision from its canonical address (or -url),
// checks its pinned sha256 and writes it under DIR as the schema
// directory lays it out.
func fetchCmd(args []string, stdout, stderr io.Writer) error {
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("mcpgen fetch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "schema directory to write into (use it as $"+schema.SchemaDirEnv+")")
	url := fs.String("url", "", "download from this address instead of the canonical one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if name == "" && fs.NArg() == 1 {
		name = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return fmt.Errorf("fetch takes one REVISION")
	}
	if name == "" || *dir == "" {
		return fmt.Errorf("fetch needs a REVISION and -dir")
	}
	rev, ok := schema.LookupRevision(name)
	if !ok {
		var names []string
		for _, r := range schema.Revisions {
			names = append(names, r.Name)
		}
		return fmt.Errorf("unknown revision %q (known: %s)", name, strings.Join(names, ", "))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	path, err := schema.Fetch(ctx, http.DefaultClient, rev, *url, *dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: sha256 %s verified\n", path, rev.SHA256)
	return nil
}

// packageName makes a Go package name from a directory name: lower-case
// letters and digits, starting with a letter ("mcp" is put in front of a
// name that starts with a digit or has no letters).
func packageName(dir string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(dir) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	name := b.String()
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		name = "mcp" + name
	}
	return name
}
