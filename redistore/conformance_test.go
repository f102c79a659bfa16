package redistore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The conformance suite's tasks scenarios (the ones cmd/exttasksdemo's
// TestConformance runs against one process) against three replicas on one
// Redis behind the round-robin proxy, so that consecutive requests of a
// scenario land on different replicas.

var replicaScenarios = []string{
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

func TestConformanceThroughProxy(t *testing.T) {
	root, _ := filepath.Abs("..")
	modules := filepath.Join(root, "testdata", "conformance", "node_modules")
	node := filepath.Join(modules, "node", "bin", "node")
	cli := filepath.Join(modules, "@modelcontextprotocol", "conformance", "dist", "index.js")
	for _, f := range []string{node, cli} {
		if _, err := os.Stat(f); err != nil {
			msg := fmt.Sprintf("conformance suite not installed: %v (run `npm ci` in testdata/conformance)", err)
			if os.Getenv("CI") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	_, _, ts := startReplicas(t, 3, 0)
	url := ts.URL + "/mcp"
	type run struct {
		checks []struct {
			ID           string `json:"id"`
			Status       string `json:"status"`
			ErrorMessage string `json:"errorMessage"`
		}
		out []byte
		err error
	}
	runs := make([]run, len(replicaScenarios))
	slots := make(chan struct{}, 3)
	var wg sync.WaitGroup
	start := time.Now()
	for i, name := range replicaScenarios {
		outDir := t.TempDir()
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, node, cli, "server", "--url", url, "--scenario", name, "-o", outDir)
			cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(node)+string(os.PathListSeparator)+os.Getenv("PATH"), "NO_COLOR=1")
			r := &runs[i]
			r.out, r.err = cmd.CombinedOutput()
			files, _ := filepath.Glob(filepath.Join(outDir, "server-"+name+"-*", "checks.json"))
			if len(files) != 1 {
				r.err = fmt.Errorf("want one checks.json, found %d (exit: %v)", len(files), r.err)
				return
			}
			data, err := os.ReadFile(files[0])
			if err == nil {
				err = json.Unmarshal(data, &r.checks)
			}
			if err != nil {
				r.err = err
			}
		}()
	}
	wg.Wait()
	t.Logf("%d scenarios through the proxy in %v", len(replicaScenarios), time.Since(start).Round(time.Millisecond))
	for i, name := range replicaScenarios {
		t.Run(name, func(t *testing.T) {
			r := runs[i]
			if len(r.checks) == 0 {
				t.Fatalf("no checks: %v\n%s", r.err, r.out)
			}
			counts := map[string]int{}
			for _, c := range r.checks {
				counts[c.Status]++
				switch c.Status {
				case "FAILURE":
					t.Errorf("FAILURE %s: %s", c.ID, c.ErrorMessage)
				case "SUCCESS":
				default:
					t.Logf("%s %s: %s", c.Status, c.ID, strings.TrimSpace(c.ErrorMessage))
				}
			}
			t.Logf("%v", counts)
		})
	}
}
