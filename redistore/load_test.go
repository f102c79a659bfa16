package redistore_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// latencies collects request durations.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

func (l *latencies) quantile(q float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	slices.Sort(l.d)
	if len(l.d) == 0 {
		return 0
	}
	return l.d[min(len(l.d)-1, int(q*float64(len(l.d))))]
}

// statusOrder ranks statuses for the moves a poller may see.
var statusOrder = map[string]int{"working": 0, "input_required": 0, "completed": 1, "failed": 1, "cancelled": 1}

// TestReplicasUnderLoad: 500 tasks at once through the proxy to three
// replicas: none lost, none duplicated, no poll sees a task leave a
// terminal status or change it, and every result is the one the tool
// produced for that task's label.
func TestReplicasUnderLoad(t *testing.T) {
	_, _, ts := startReplicas(t, 3, 0)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 600}}
	c := &mcpClient{url: ts.URL + "/mcp", hc: hc}
	const tasks = 500
	var lat latencies
	var mu sync.Mutex
	ids := map[string]int{}
	var errs []string
	var wg sync.WaitGroup
	start := time.Now()
	for i := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fail := func(format string, args ...any) {
				mu.Lock()
				errs = append(errs, fmt.Sprintf("task %d: ", i)+fmt.Sprintf(format, args...))
				mu.Unlock()
			}
			label := fmt.Sprint("load-", i)
			t0 := time.Now()
			raw, err := c.call("tools/call", map[string]any{"name": "slow_compute", "arguments": map[string]any{"seconds": 0.2, "label": label}})
			lat.add(time.Since(t0))
			if err != nil {
				fail("tools/call: %v", err)
				return
			}
			id := taskID(raw)
			if id == "" {
				fail("tools/call answered %s, want a task", raw)
				return
			}
			mu.Lock()
			ids[id]++
			mu.Unlock()
			last := ""
			deadline := time.Now().Add(30 * time.Second)
			for {
				t0 := time.Now()
				v, err := c.get(id)
				lat.add(time.Since(t0))
				if err != nil {
					fail("tasks/get %s: %v", id, err)
					return
				}
				if last != "" && (statusOrder[v.Status] < statusOrder[last] || terminal(last) && v.Status != last) {
					fail("task %s moved from %s to %s", id, last, v.Status)
					return
				}
				last = v.Status
				if terminal(v.Status) {
					want := fmt.Sprintf("slow_compute %q finished after 0.2s", label)
					if v.Status != "completed" || v.text() != want {
						fail("ended %s %q, want completed %q", v.Status, v.text(), want)
					}
					return
				}
				if time.Now().After(deadline) {
					fail("still %s after 30s", v.Status)
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	for _, e := range errs[:min(len(errs), 10)] {
		t.Error(e)
	}
	dup := 0
	for _, n := range ids {
		dup += n - 1
	}
	t.Logf("%d tasks in %v: %d errors, %d task ids (%d duplicated); %d requests, p50 %v, p99 %v",
		tasks, elapsed.Round(time.Millisecond), len(errs), len(ids), dup, len(lat.d), lat.quantile(0.5), lat.quantile(0.99))
	if len(ids) != tasks || dup != 0 {
		t.Errorf("%d distinct task ids for %d tasks (%d duplicated)", len(ids), tasks, dup)
	}
}

func taskID(raw []byte) string {
	_, rest, ok := strings.Cut(string(raw), `"taskId":"`)
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, `"`)
	return id
}

// TestReplicaKilled: a replica killed with SIGKILL while tasks run on it
// leaves them to end failed, worker lost, within about one lease; the
// other replicas' tasks keep running and they keep serving.
func TestReplicaKilled(t *testing.T) {
	const lease = time.Second
	_, rs, ts := startReplicas(t, 3, lease)
	p := proxies[ts]
	c := &mcpClient{url: ts.URL + "/mcp", hc: ts.Client()}
	var ids []string
	for range 12 {
		ids = append(ids, c.startTask(t, "slow_compute", map[string]any{"seconds": 20}))
	}
	// The calls went out one at a time: the n-th tools/call hit is the
	// n-th task's creator.
	creators := p.servedBy("tools/call", "")
	onVictim := map[string]bool{}
	for i, id := range ids {
		onVictim[id] = creators[i] == 0
	}
	rs[0].kill()
	p.remove(0)
	killed := time.Now()
	var failedAt []time.Duration
	for _, id := range ids {
		if !onVictim[id] {
			continue
		}
		v := c.await(t, id, 3*lease+2*time.Second, func(v taskView) bool { return v.Status != "working" })
		failedAt = append(failedAt, time.Since(killed))
		if v.Status != "failed" || !strings.Contains(v.StatusMessage+fmt.Sprint(v.Error), "lost") {
			t.Errorf("a task of the killed replica ended %s (%q, %v), want failed: worker lost", v.Status, v.StatusMessage, v.Error)
		}
	}
	if len(failedAt) == 0 {
		t.Fatal("no task ran on the killed replica")
	}
	slices.Sort(failedAt)
	t.Logf("%d tasks of the killed replica failed %v..%v after the kill (lease %v)", len(failedAt), failedAt[0].Round(time.Millisecond), failedAt[len(failedAt)-1].Round(time.Millisecond), lease)
	if last := failedAt[len(failedAt)-1]; last > lease+500*time.Millisecond {
		t.Errorf("the last one failed %v after the kill, above one lease (%v)", last, lease)
	}
	for _, id := range ids {
		if onVictim[id] {
			continue
		}
		if v, err := c.get(id); err != nil || v.Status != "working" {
			t.Errorf("a task of a live replica: %+v, %v; want working", v, err)
		}
	}
	// The survivors take new work.
	id := c.startTask(t, "slow_compute", map[string]any{"seconds": 0.1, "label": "after"})
	if v := c.await(t, id, 5*time.Second, func(v taskView) bool { return terminal(v.Status) }); v.Status != "completed" {
		t.Errorf("a task after the kill ended %s", v.Status)
	}
}

// TestRedisRestart: Redis restarts (empty: persistence is off) while
// replicas serve. Requests while it is down get -32603; afterwards the old
// tasks are gone (unknown ids, -32602), none comes back in another state,
// and new tasks run.
func TestRedisRestart(t *testing.T) {
	srv, _, ts := startReplicas(t, 3, time.Second)
	c := &mcpClient{url: ts.URL + "/mcp", hc: ts.Client()}
	var ids []string
	for range 6 {
		ids = append(ids, c.startTask(t, "slow_compute", map[string]any{"seconds": 20}))
	}
	srv.Stop()
	for _, id := range ids[:3] {
		_, err := c.get(id)
		var rpcErr *rpcError
		if !errors.As(err, &rpcErr) || rpcErr.Code != -32603 {
			t.Errorf("tasks/get while Redis is down: %v, want -32603", err)
		} else {
			t.Logf("tasks/get while Redis is down: %v", err)
		}
	}
	if _, err := c.call("tools/call", map[string]any{"name": "slow_compute", "arguments": map[string]any{"seconds": 1}}); err == nil || !strings.Contains(err.Error(), "-32603") {
		t.Errorf("tools/call while Redis is down: %v, want -32603", err)
	}
	if err := srv.Restart(200 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	// The replicas' clients reconnect on their next command.
	deadline := time.Now().Add(10 * time.Second)
	for _, id := range ids {
		for {
			_, err := c.get(id)
			var rpcErr *rpcError
			if errors.As(err, &rpcErr) && rpcErr.Code == -32602 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("tasks/get %s after the restart: %v, want -32602 (the task is gone)", id, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	id := c.startTask(t, "slow_compute", map[string]any{"seconds": 0.1, "label": "after"})
	if v := c.await(t, id, 5*time.Second, func(v taskView) bool { return terminal(v.Status) }); v.Status != "completed" {
		t.Errorf("a task after the restart ended %s", v.Status)
	}
	// The old tasks' work, still running on the replicas, saw its record
	// go and stopped: nothing wrote them back.
	time.Sleep(1500 * time.Millisecond)
	for _, id := range ids {
		if _, err := c.get(id); err == nil || !strings.Contains(err.Error(), "-32602") {
			t.Errorf("task %s after the restart: %v, want it still gone", id, err)
		}
	}
}

// TestReplicasRaceCancelAgainstCompletion: a task's work completes on the
// replica that created it while tasks/cancel arrives through another,
// 1000 times: each task ends in one terminal status that all three
// replicas read, that never changes, and a completed one holds its
// result.
func TestReplicasRaceCancelAgainstCompletion(t *testing.T) {
	_, _, ts := startReplicas(t, 3, 0)
	c := &mcpClient{url: ts.URL + "/mcp", hc: ts.Client()}
	n := races(t)
	counts := map[string]int{}
	delay := 3 * time.Millisecond
	for i := range n {
		label := fmt.Sprint("race-", i)
		id := c.startTask(t, "slow_compute", map[string]any{"seconds": 0.003, "label": label})
		// The cancel, the request after the create, goes to the next
		// replica. It waits a moment around delay, which follows the
		// outcomes, so that each side wins a share of the races.
		time.Sleep(time.Duration(rand.Int64N(int64(2*delay) + 1)))
		if _, err := c.call("tasks/cancel", map[string]any{"taskId": id}); err != nil {
			t.Fatalf("race %d: tasks/cancel: %v", i, err)
		}
		final := c.await(t, id, 5*time.Second, func(v taskView) bool { return terminal(v.Status) })
		switch final.Status {
		case "completed":
			delay = max(0, delay-200*time.Microsecond)
			if want := fmt.Sprintf("slow_compute %q finished after 0.003s", label); final.text() != want {
				t.Fatalf("race %d: completed with %q, want %q", i, final.text(), want)
			}
		case "cancelled":
			delay += 200 * time.Microsecond
		default:
			t.Fatalf("race %d: ended %s", i, final.Status)
		}
		for range 3 { // the next three reads land on the three replicas
			if v, err := c.get(id); err != nil || v.Status != final.Status || v.text() != final.text() {
				t.Fatalf("race %d: read %s %q, %v after %s", i, v.Status, v.text(), err, final.Status)
			}
		}
		counts[final.Status]++
	}
	t.Logf("%d races across replicas: %v", n, counts)
	if min(counts["cancelled"], counts["completed"]) < n/20 {
		t.Errorf("one side won too few of %d races (%v): the race was not exercised both ways", n, counts)
	}
}
