// Command mcpgen generates Go types for the Model Context Protocol from an
// MCP schema.json.
//
// Usage:
//
//	mcpgen generate -schema FILE|REVISION -out DIR [-package NAME]
//	mcpgen check    -schema FILE|REVISION -out DIR [-package NAME]
//
// generate writes the package into DIR and prints one line of what it
// wrote, left unchanged and removed. check writes nothing and exits 1,
// listing the files that differ, when DIR is not what generate would write.
// Exit codes: 0 ok, 1 stale (check), 2 usage or input error.
//
// A REVISION such as 2025-11-25 is looked up in the directory named by
// MCPGEN_SCHEMA_DIR, then in the user's cache, and else downloaded from
// its pinned address into the cache; its content must match the pinned
// sha256. A FILE with the content of a pinned revision is that revision.
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
	"slices"
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
                  [-prefix PFX] [-map DEF=PATH.Type] [-tasks core|ext|none]
                  [-lifecycle FILE] [-runner CMD]
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
	prefix := fs.String("prefix", "", "prefix for every exported name the package declares (types, constants, functions)")
	var maps multiFlag
	fs.Var(&maps, "map", "DEFINITION=IMPORT/PATH.Type: use the host's type for a definition (repeatable, or comma-separated)")
	tasks := fs.String("tasks", "", "task bindings: core, ext or none (default: the revision's, or the design the schema carries)")
	runner := fs.String("runner", defaultRunner, "the command doc.go's //go:generate line runs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *schemaArg == "" || *out == "" || fs.NArg() > 0 {
		return fmt.Errorf("%s needs -schema and -out and no other arguments", cmd)
	}
	if *pkgName != "" && (!token.IsIdentifier(*pkgName) || *pkgName == "_") {
		return fmt.Errorf("-package %q is not a Go identifier", *pkgName)
	}
	absOut, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	hint := *pkgName
	if hint == "" {
		hint = packageName(filepath.Base(absOut))
	}
	in, err := loadInput(*schemaArg, hint)
	if err != nil {
		return err
	}
	doc, rev := in.doc, in.rev
	name := *pkgName
	if name == "" {
		name = rev.Package
	}
	if name == "" {
		name = hint
	}
	if !token.IsIdentifier(name) || name == "_" {
		return fmt.Errorf("-package %q is not a Go identifier", name)
	}
	opts := ir.Options{Package: name, Revision: rev.Name}
	design, err := taskDesign(in, *tasks)
	if err != nil {
		return err
	}
	if design.note != "" {
		fmt.Fprintf(stderr, "mcpgen: note: %s\n", design.note)
	}
	if design.lifecycle != "" {
		if opts.Lifecycle, err = schema.LoadLifecycle(design.lifecycle); err != nil {
			return err
		}
	}
	if design.protocol != "" {
		if opts.Protocol, err = schema.LoadProtocol(design.protocol); err != nil {
			return err
		}
	}
	if *lifecycle != "" {
		data, err := os.ReadFile(*lifecycle)
		if err != nil {
			return err
		}
		if opts.Lifecycle, err = schema.ParseLifecycle(*lifecycle, data); err != nil {
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
		Command: recordedCommand(fs, absOut),
		Runner:  *runner,
		Pinned:  rev.Name != "" && len(maps) == 0 && *only == "" && *prefix == "" && *lifecycle == "" && *tasks == "",
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
	summary, err := generator.Update(*out, files, func(removed []string) error {
		var bindings []string
		for _, name := range removed {
			if slices.Contains(generator.TaskBindingFiles, name) {
				bindings = append(bindings, name)
			}
		}
		if len(bindings) > 0 && design.carried && *tasks != "none" {
			return fmt.Errorf("%s: refusing to remove %s, the task bindings generated there before: %s has a task design, but they were not generated from it (-tasks none removes them)", *out, strings.Join(bindings, ", "), *schemaArg)
		}
		return nil
	})
	if err != nil {
		return err
	}
	line := summary.String()
	if len(summary.Removed) > 0 && !design.carried {
		line += "; " + *schemaArg + " has no task design"
	}
	fmt.Fprintf(stdout, "mcpgen: %s: %s\n", shownDir(*out, absOut), line)
	return nil
}

// shownDir names the output directory in the summary: from the module
// root when it is inside it, since under go generate DIR is ".".
func shownDir(out, absOut string) string {
	root, err := schema.ModuleRoot()
	if err != nil {
		return out
	}
	rel, err := filepath.Rel(root, absOut)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return out
	}
	return filepath.ToSlash(rel)
}

// defaultRunner is how doc.go's directive runs mcpgen: as a tool of the
// module (go get -tool github.com/mcpgen-dev/mcpgen/cmd/mcpgen).
const defaultRunner = "go tool mcpgen"

// design is where a package's task bindings come from.
type design struct {
	lifecycle, protocol string // data files in schema/data, or ""
	carried             bool   // the schema itself has a task design
	note                string // why, when it was found in an unpinned file
}

// taskDesign decides the task bindings: a pinned revision's data, else
// the design the file carries (said in a note), unless -tasks names one
// or none.
func taskDesign(in *input, flag string) (design, error) {
	d := design{lifecycle: in.rev.Lifecycle, protocol: in.rev.Protocol}
	d.carried = d.lifecycle != "" || d.protocol != ""
	if in.rev.Name == "" {
		if found, ok := in.doc.DetectTaskDesign(); ok {
			d = design{lifecycle: found.Lifecycle, protocol: found.Protocol, carried: true}
			d.note = fmt.Sprintf("%s matches no pinned revision; it has the %s task design, so its task bindings use %s/%s and %s/%s (-tasks none leaves them out)",
				in.doc.Path, found.Name, schema.DataDir, found.Lifecycle, schema.DataDir, found.Protocol)
		}
	}
	switch flag {
	case "":
		return d, nil
	case "none":
		return design{carried: d.carried}, nil
	}
	found, ok := schema.LookupTaskDesign(flag)
	if !ok {
		return d, fmt.Errorf("-tasks %q: want core, ext or none", flag)
	}
	return design{lifecycle: found.Lifecycle, protocol: found.Protocol, carried: d.carried}, nil
}

// recordedCommand is the command line doc.go records for go generate:
// generate with every flag that was set, in a fixed order, writing to the
// package's own directory, so that regeneration needs no memory. A
// relative file path (-schema FILE, -lifecycle) is recorded relative to
// the output directory, where go generate runs the directive.
func recordedCommand(fs *flag.FlagSet, absOut string) string {
	var b strings.Builder
	b.WriteString("generate")
	for _, name := range []string{"schema", "package", "only", "prefix", "map", "lifecycle", "tasks", "runner"} {
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
		if name == "lifecycle" || name == "schema" {
			values[0] = fromOut(values[0], absOut)
		}
		for _, v := range values {
			fmt.Fprintf(&b, " -%s %s", name, shellQuote(v))
		}
	}
	b.WriteString(" -out .")
	return b.String()
}

// fromOut rewrites a relative file path to be relative to the output
// directory; a revision name, an absolute path and a path that cannot be
// made relative are kept as given.
func fromOut(path, absOut string) string {
	if filepath.IsAbs(path) {
		return path
	}
	if _, ok := schema.LookupRevision(path); ok {
		return path
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(absOut, abs)
	if err != nil {
		return path
	}
	return filepath.ToSlash(rel)
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

// input is a loaded -schema argument.
type input struct {
	doc *schema.Document
	// rev is the revision it names, or whose pinned sha256 the file has;
	// the zero value for another file.
	rev schema.Revision
}

// loadInput resolves a FILE or REVISION argument and loads the file. A
// revision's file must have the pinned sha256; a file that has the
// pinned sha256 of a revision is that revision (pkg, the package name,
// picks among revisions that share a file). For a revision, doc.Path is
// the revision's path, so that messages and the output name the
// revision, not this machine's path.
func loadInput(arg, pkg string) (*input, error) {
	path, rev, err := schema.ResolveInput(arg)
	if err != nil {
		return nil, err
	}
	doc, err := schema.LoadFile(path)
	if err != nil {
		return nil, err
	}
	if rev.Name != "" {
		if err := schema.CheckPin(doc, rev); err != nil {
			return nil, err
		}
	} else {
		rev, _ = schema.PinnedRevision(doc.SHA256, path, pkg)
	}
	if rev.Name != "" {
		doc.Path = rev.Path
	}
	return &input{doc: doc, rev: rev}, nil
}

// loadPackage resolves a FILE or REVISION argument and builds its IR.
func loadPackage(arg string) (*ir.Package, error) {
	in, err := loadInput(arg, "")
	if err != nil {
		return nil, err
	}
	doc, rev := in.doc, in.rev
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
		return fmt.Errorf("unknown revision %q (known: %s)", name, strings.Join(schema.RevisionNames(), ", "))
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
