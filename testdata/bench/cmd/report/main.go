// Command report turns the benchmark rounds report.sh collects into the
// tables of BENCHMARKS.md, which it rewrites between its markers so that
// the prose around them stays.
//
// Usage: report -in ROUNDS.txt -go VERSION -rounds N [-quote 'TITLE=FILE']... -file BENCHMARKS.md
//
// Each -quote adds a section TITLE quoting FILE (a profile, a script's
// output) after the tables.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	beginMarker = "<!-- report.sh: begin -->"
	endMarker   = "<!-- report.sh: end -->"
)

// messages and the column order of the decode and encode tables.
var (
	messages = []string{"CreateTaskResult", "GetTaskResult", "ListTasks100", "GetTaskRequest", "CallToolResult"}
	anchors  = []string{"encoding-json", "goccy", "sonic", "easyjson", "segmentio", "jsonv2", "mcpgo"}
)

// samples are one benchmark's figures, one per round.
type samples struct {
	ns, bytes, allocs []float64
}

type results struct {
	cpu   string
	bench map[string]*samples
	order []string
}

// quotes are the -quote flags: titles and the files quoted under them.
type quotes []quote

type quote struct{ title, file string }

func (q *quotes) String() string { return fmt.Sprint(*q) }

func (q *quotes) Set(v string) error {
	title, file, ok := strings.Cut(v, "=")
	if !ok || title == "" || file == "" {
		return fmt.Errorf("want TITLE=FILE, got %q", v)
	}
	*q = append(*q, quote{title, file})
	return nil
}

func main() {
	in := flag.String("in", "", "benchmark output of every round")
	var qs quotes
	flag.Var(&qs, "quote", "TITLE=FILE: a section quoting FILE after the tables (repeatable)")
	goVersion := flag.String("go", "", "go version line")
	rounds := flag.Int("rounds", 0, "number of rounds")
	file := flag.String("file", "BENCHMARKS.md", "report to rewrite")
	flag.Parse()
	if err := run(*in, qs, *goVersion, *rounds, *file); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func run(in string, qs quotes, goVersion string, rounds int, file string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := parse(f)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	tables := render(r, goVersion, rounds)
	for _, q := range qs {
		text, err := os.ReadFile(q.file)
		if err != nil {
			return err
		}
		tables += fmt.Sprintf("\n### %s\n\n```\n%s```\n", q.title, text)
	}
	doc, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	out, err := splice(doc, tables)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if err := os.WriteFile(file, out, 0o644); err != nil {
		return err
	}
	_, err = os.Stdout.WriteString(tables)
	return err
}

// parse reads go test -bench output: "cpu:" lines and benchmark lines,
// whose names lose their -GOMAXPROCS suffix.
func parse(r io.Reader) (*results, error) {
	res := &results{bench: map[string]*samples{}}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if cpu, ok := strings.CutPrefix(line, "cpu: "); ok {
			res.cpu = cpu
			continue
		}
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 4 {
			continue
		}
		name := strings.TrimPrefix(fields[0], "Benchmark")
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		s := res.bench[name]
		if s == nil {
			s = &samples{}
			res.bench[name] = s
			res.order = append(res.order, name)
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%q: %w", line, err)
			}
			switch fields[i+1] {
			case "ns/op":
				s.ns = append(s.ns, v)
			case "B/op":
				s.bytes = append(s.bytes, v)
			case "allocs/op":
				s.allocs = append(s.allocs, v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(res.bench) == 0 {
		return nil, errors.New("no benchmark lines")
	}
	return res, nil
}

// median of xs, which it sorts; NaN for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// spread is how far from the median the middle half of the rounds reach,
// in percent: the larger distance of the lower and upper quartile from it.
// On a loaded machine one round in a few can be several times slower than
// the rest, and the extremes would say more about the machine than about
// the code.
func spread(xs []float64) float64 {
	m := median(xs) // sorts xs
	n := len(xs)
	lo, hi := xs[(n-1)/4], xs[n-1-(n-1)/4]
	return 100 * max(m-lo, hi-m) / m
}

func (r *results) ns(name string) (float64, bool) {
	s, ok := r.bench[name]
	if !ok || len(s.ns) == 0 {
		return 0, false
	}
	return median(s.ns), true
}

func (r *results) allocs(name string) (float64, bool) {
	s, ok := r.bench[name]
	if !ok || len(s.allocs) == 0 {
		return 0, false
	}
	return median(s.allocs), true
}

func duration(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.3g s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3g ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3g µs", ns/1e3)
	default:
		return fmt.Sprintf("%.3g ns", ns)
	}
}

func size(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.3g MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.3g KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

func (r *results) timeCell(name string) string {
	s, ok := r.bench[name]
	if !ok || len(s.ns) == 0 {
		return "—"
	}
	return fmt.Sprintf("%s ± %.0f%%", duration(median(s.ns)), spread(s.ns))
}

func (r *results) allocCell(name string) string {
	s, ok := r.bench[name]
	if !ok || len(s.allocs) == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f, %s", median(s.allocs), size(median(s.bytes)))
}

func ratio(a, b float64, okA, okB bool) string {
	if !okA || !okB {
		return "—"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func render(r *results, goVersion string, rounds int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Sitting of %s: `%s`, %s, 2 shared cores, **loaded** by other builds; %d rounds, in turn. A cell is the median of the rounds ± how far from it the middle half of the rounds reach.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), goVersion, r.cpu, rounds)
	for _, op := range []string{"Decode", "Encode"} {
		call := map[string]string{"Decode": "UnmarshalJSON", "Encode": "MarshalJSON"}[op]
		std := map[string]string{"Decode": "json.Unmarshal", "Encode": "json.Marshal"}[op]
		fmt.Fprintf(&b, "### %s\n\n", op)
		perMessage(&b, op, strings.ToLower(op), call, std, r.timeCell)
		fmt.Fprintf(&b, "\n| %s: mcpgen %s ÷ anchor | %s | mcpgen via %s ÷ encoding-json |\n|---|%s\n",
			strings.ToLower(op), call, strings.Join(anchors, " | "), std, strings.Repeat("---|", len(anchors)+1))
		for _, m := range messages {
			d, okD := r.ns(op + "/" + m + "/mcpgen-direct")
			var cells []string
			for _, a := range anchors {
				x, ok := r.ns(op + "/" + m + "/" + a)
				cells = append(cells, ratio(d, x, okD, ok))
			}
			s, okS := r.ns(op + "/" + m + "/mcpgen")
			e, okE := r.ns(op + "/" + m + "/encoding-json")
			cells = append(cells, ratio(s, e, okS, okE))
			fmt.Fprintf(&b, "| %s | %s |\n", m, strings.Join(cells, " | "))
		}
		b.WriteString("\n")
		perMessage(&b, op, strings.ToLower(op)+" allocs/op, B/op", call, std, r.allocCell)
		b.WriteString("\n")
		goals(&b, r, op)
	}
	b.WriteString("### Dispatcher, engine, envelopes, lifecycle, generation\n\n| benchmark | time/op | allocs/op, B/op |\n|---|---|---|\n")
	for _, name := range r.order {
		if strings.HasPrefix(name, "Decode/") || strings.HasPrefix(name, "Encode/") {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", name, r.timeCell(name), r.allocCell(name))
	}
	return b.String()
}

// perMessage writes a table of op with a row per message and a column per
// implementation, each cell made by cell from the benchmark's name.
func perMessage(b *strings.Builder, op, title, call, std string, cell func(name string) string) {
	fmt.Fprintf(b, "| %s | mcpgen %s | mcpgen via %s | %s |\n|---|%s\n", title, call, std,
		strings.Join(anchors, " | "), strings.Repeat("---|", len(anchors)+2))
	for _, m := range messages {
		cells := []string{cell(op + "/" + m + "/mcpgen-direct"), cell(op + "/" + m + "/mcpgen")}
		for _, a := range anchors {
			cells = append(cells, cell(op+"/"+m+"/"+a))
		}
		fmt.Fprintf(b, "| %s | %s |\n", m, strings.Join(cells, " | "))
	}
}

// goals writes one line per message for the goal of op: mcpgen called
// directly no slower than the fastest non-validating anchor (mcp-go
// included), and for decode no more allocations than that anchor.
func goals(b *strings.Builder, r *results, op string) {
	fmt.Fprintf(b, "%s goals, mcpgen called directly against the fastest anchor of each message:\n\n", op)
	for _, m := range messages {
		d, ok := r.ns(op + "/" + m + "/mcpgen-direct")
		if !ok {
			continue
		}
		best, bestNS := "", math.Inf(1)
		for _, a := range anchors {
			if x, ok := r.ns(op + "/" + m + "/" + a); ok && x < bestNS {
				best, bestNS = a, x
			}
		}
		if best == "" {
			continue
		}
		verdict := "met"
		if d > bestNS {
			verdict = "**missed**"
		}
		line := fmt.Sprintf("- %s: %s ≤ 1.0× %s — %s (%.2f×, %s against %s)", m, op, best, verdict, d/bestNS, duration(d), duration(bestNS))
		if op == "Decode" {
			da, okA := r.allocs(op + "/" + m + "/mcpgen-direct")
			ba, okB := r.allocs(op + "/" + m + "/" + best)
			if okA && okB {
				v := "met"
				if da > ba {
					v = "**missed**"
				}
				line += fmt.Sprintf("; allocations ≤ %s's — %s (%.0f against %.0f)", best, v, da, ba)
			}
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n")
}

// splice puts tables between the markers of doc.
func splice(doc []byte, tables string) ([]byte, error) {
	i := bytes.Index(doc, []byte(beginMarker))
	j := bytes.Index(doc, []byte(endMarker))
	if i < 0 || j < i {
		return nil, fmt.Errorf("no %s … %s markers", beginMarker, endMarker)
	}
	var out bytes.Buffer
	out.Write(doc[:i+len(beginMarker)])
	out.WriteString("\n")
	out.WriteString(tables)
	out.Write(doc[j:])
	return out.Bytes(), nil
}
