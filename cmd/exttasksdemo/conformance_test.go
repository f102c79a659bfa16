package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The tasks scenarios of the official conformance suite
// (@modelcontextprotocol/conformance, pinned in testdata/conformance). There
// is no suite of just these, and --suite pending runs unrelated scenarios,
// so they are named one by one.
var conformanceScenarios = []string{
	"tasks-lifecycle",
	"tasks-capability-negotiation",
	"tasks-wire-fields",
	"tasks-request-state-removal",
	"tasks-mrtr-input",
	"tasks-request-headers",
	"tasks-dispatch-and-envelope",
	"tasks-status-notifications",
	"tasks-required-task-error",
	"tasks-mrtr-composition",
}

// skippedScenarios are scenarios the suite itself skips whole: it reports
// one SKIPPED check for them ("pending subscriptions/listen rewrite").
var skippedScenarios = map[string]bool{"tasks-status-notifications": true}

// A conformanceCheck is one entry of a scenario's checks.json.
type conformanceCheck struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	ErrorMessage string `json:"errorMessage"`
}

type scenarioRun struct {
	checks   []conformanceCheck
	output   []byte
	err      error
	duration time.Duration
}

// conformanceSuite finds the pinned suite and the Node 22 installed beside
// it by `npm ci` in testdata/conformance. Without them the test is skipped,
// except under CI, where their absence is a failure.
func conformanceSuite(t *testing.T) (node, cli string) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "conformance", "node_modules"))
	if err != nil {
		t.Fatal(err)
	}
	node = filepath.Join(dir, "node", "bin", "node")
	cli = filepath.Join(dir, "@modelcontextprotocol", "conformance", "dist", "index.js")
	missing := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...) + " (run `npm ci` in testdata/conformance)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	for _, f := range []string{node, cli} {
		if _, err := os.Stat(f); err != nil {
			missing("conformance suite not installed: %v", err)
		}
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		missing("cannot run %s: %v", node, err)
	}
	if v := strings.TrimSpace(string(out)); !strings.HasPrefix(v, "v22.") {
		missing("the conformance suite needs Node 22, %s is %s", node, v)
	}
	return node, cli
}

// TestConformance runs the ten tasks scenarios of the official conformance
// suite against the server, started the way the command starts it, on
// 127.0.0.1:0. A scenario fails on any FAILURE check; WARNING and INFO checks
// are logged and SKIPPED ones listed.
func TestConformance(t *testing.T) {
	node, cli := conformanceSuite(t)

	url := startServer(t, Config{Logf: t.Logf})

	// The scenarios are independent clients of one server and spend most
	// of their time waiting on tasks, so several run at once. Not all ten:
	// each Node process spends about a CPU-second starting up, and on two
	// cores three at a time finish sooner (≈5s) than ten (≈8-11s). The
	// longest scenario (tasks-lifecycle) comes first in the list.
	start := time.Now()
	runs := make(map[string]*scenarioRun, len(conformanceScenarios))
	slots := make(chan struct{}, max(3, runtime.NumCPU()))
	var wg sync.WaitGroup
	for _, name := range conformanceScenarios {
		r := new(scenarioRun)
		runs[name] = r
		outDir := t.TempDir()
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			*r = runScenario(node, cli, url, name, outDir)
		}()
	}
	wg.Wait()
	t.Logf("%d scenarios in %v", len(conformanceScenarios), time.Since(start).Round(time.Millisecond))

	for _, name := range conformanceScenarios {
		t.Run(name, func(t *testing.T) { checkScenario(t, name, runs[name]) })
	}
}

func runScenario(node, cli, url, name, outDir string, extra ...string) scenarioRun {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Never --spec-version for the tasks scenarios: it marks every one
	// SKIPPED and exits 0.
	args := append([]string{cli, "server", "--url", url, "--scenario", name, "-o", outDir}, extra...)
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Env = append(os.Environ(),
		"PATH="+filepath.Dir(node)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"NO_COLOR=1")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	r := scenarioRun{output: out, err: err, duration: time.Since(start)}
	files, _ := filepath.Glob(filepath.Join(outDir, "server-"+name+"-*", "checks.json"))
	if len(files) != 1 {
		r.err = fmt.Errorf("want one checks.json, found %d (exit: %v)", len(files), err)
		return r
	}
	data, err := os.ReadFile(files[0])
	if err == nil {
		err = json.Unmarshal(data, &r.checks)
	}
	if err != nil {
		r.err = fmt.Errorf("%s: %v", files[0], err)
	}
	return r
}

func checkScenario(t *testing.T, name string, r *scenarioRun) {
	if len(r.checks) == 0 {
		t.Fatalf("no checks: %v\n%s", r.err, r.output)
	}
	counts := map[string]int{}
	var skipped []string
	for _, c := range r.checks {
		counts[c.Status]++
		switch c.Status {
		case "SUCCESS":
		case "FAILURE":
			t.Errorf("FAILURE %s: %s", c.ID, c.ErrorMessage)
		case "WARNING", "INFO":
			t.Logf("%s %s: %s", c.Status, c.ID, c.ErrorMessage)
		case "SKIPPED":
			skipped = append(skipped, c.ID)
			t.Logf("SKIPPED %s: %s", c.ID, c.ErrorMessage)
		default:
			t.Errorf("check %s has unknown status %q", c.ID, c.Status)
		}
	}
	t.Logf("%s: %d checks in %v: %d passed, %d failed, %d warnings, %d info, %d skipped %v",
		name, len(r.checks), r.duration.Round(time.Millisecond), counts["SUCCESS"], counts["FAILURE"],
		counts["WARNING"], counts["INFO"], counts["SKIPPED"], skipped)
	if r.err != nil && counts["FAILURE"] == 0 {
		t.Errorf("the suite did not exit cleanly although no check failed: %v\n%s", r.err, r.output)
	}
	// Guard against a false green: a scenario that ran must have validated
	// the server's messages against the schema, and only the known
	// scenario may be skipped whole.
	if skippedScenarios[name] {
		if counts["SKIPPED"] != 1 {
			t.Logf("%s no longer reports exactly one SKIPPED check: the suite has changed", name)
		}
		return
	}
	if counts["SKIPPED"] > 0 {
		t.Errorf("%d checks SKIPPED", counts["SKIPPED"])
	}
	schemaChecked := false
	for _, c := range r.checks {
		schemaChecked = schemaChecked || c.ID == "wire-schema-valid" && c.Status == "SUCCESS"
	}
	if !schemaChecked {
		t.Error("no successful wire-schema-valid check")
	}
}

// transportScenarios are the suite's scenarios of the 2026-07-28 Streamable
// HTTP transport itself.
var transportScenarios = []string{"server-stateless", "http-header-validation", "dns-rebinding-protection"}

// TestTransportConformance runs the transport scenarios of the suite for
// 2026-07-28 against the server. Every check must pass but those the suite
// itself reports as not testable here: they call diagnostic tools
// (test_missing_capability, test_logging_tool, ...) that are not among this
// server's fixtures.
func TestTransportConformance(t *testing.T) {
	node, cli := conformanceSuite(t)
	url := startServer(t, Config{Logf: t.Logf})
	for _, name := range transportScenarios {
		t.Run(name, func(t *testing.T) {
			r := runScenario(node, cli, url, name, t.TempDir(), "--spec-version", "2026-07-28")
			if len(r.checks) == 0 {
				t.Fatalf("no checks: %v\n%s", r.err, r.output)
			}
			passed, untestable := 0, 0
			for _, c := range r.checks {
				switch {
				case c.Status == "SUCCESS":
					passed++
				case strings.HasPrefix(c.ErrorMessage, "Not testable"):
					untestable++
					t.Logf("%s %s: %s", c.Status, c.ID, c.ErrorMessage)
				case c.Status == "FAILURE":
					t.Errorf("FAILURE %s: %s", c.ID, c.ErrorMessage)
				default:
					t.Logf("%s %s: %s", c.Status, c.ID, c.ErrorMessage)
				}
			}
			t.Logf("%s: %d checks: %d passed, %d not testable here", name, len(r.checks), passed, untestable)
			if passed == 0 {
				t.Error("no check passed")
			}
		})
	}
}

// startServer runs the server the way the command does, on 127.0.0.1:0,
// until the test ends, and returns the endpoint's URL it printed.
func startServer(t *testing.T, cfg Config) string {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	served := make(chan error, 1)
	go func() { served <- run(ctx, "127.0.0.1:0", pw, cfg) }()
	t.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the server's URL: %v", err)
	}
	return strings.TrimSpace(line)
}
