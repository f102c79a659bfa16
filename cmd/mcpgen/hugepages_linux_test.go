package main

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
)

// anonHugeKB reads how much of the process's anonymous memory is in huge
// pages.
func anonHugeKB(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		t.Skipf("no smaps_rollup: %v", err)
	}
	for line := range bytes.Lines(data) {
		if rest, ok := bytes.CutPrefix(line, []byte("AnonHugePages:")); ok {
			kb, err := strconv.Atoi(string(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte(" kB"))))
			if err != nil {
				t.Fatalf("AnonHugePages: %v", err)
			}
			return kb
		}
	}
	t.Skip("smaps_rollup has no AnonHugePages")
	return 0
}

// touch allocates n bytes and writes to every page of them.
func touch(n int) []byte {
	b := make([]byte, n)
	for i := 0; i < n; i += 4096 {
		b[i] = 1
	}
	return b
}

// TestPreferHugePages checks that memory allocated after preferHugePages
// is backed by huge pages, and that the same allocation before it is not,
// with the collector off as in a run. It runs in a process of its own, as
// a run does: memory other tests have freed would be reused first.
func TestPreferHugePages(t *testing.T) {
	if !onAdviceOnly() {
		mode, err := os.ReadFile(thpEnabled)
		t.Skipf("transparent huge pages are not in madvise mode here (%q, %v)", bytes.TrimSpace(mode), err)
	}
	if os.Getenv(hugeProbeEnv) == "1" {
		hugePageProbe(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestPreferHugePages$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), hugeProbeEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("probe: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("--- PASS: TestPreferHugePages")) {
		t.Fatalf("probe did not pass:\n%s", out)
	}
}

// hugeProbeEnv marks the process TestPreferHugePages starts.
const hugeProbeEnv = "MCPGEN_TEST_HUGE_PAGES"

func hugePageProbe(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	const n = 16 << 20
	before := anonHugeKB(t)
	plain := touch(n)
	afterPlain := anonHugeKB(t)
	preferHugePages()
	advised := touch(n)
	afterAdvised := anonHugeKB(t)
	if got := afterPlain - before; got >= n/1024/2 {
		t.Errorf("without the advice, %d kB of %d kB touched are huge pages already; the test proves nothing here", got, n/1024)
	}
	if got := afterAdvised - afterPlain; got < n/1024/2 {
		t.Errorf("after preferHugePages, %d kB of %d kB touched are huge pages, want at least half", got, n/1024)
	}
	// Both blocks stay live, so the second is not carved out of the first.
	runtime.KeepAlive(plain)
	runtime.KeepAlive(advised)
}
