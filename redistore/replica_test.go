package redistore_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/redistore/internal/redisserver"
)

// Replicas of cmd/exttasksdemo on one Redis, behind a round-robin proxy:
// the demo built with testdata/replica/redis.go added (its -redis, -lease
// and -max-tasks flags) by the overlay and in the workspace of the
// repository's two modules that testdata/replica holds.

var (
	replicaOnce sync.Once
	replicaDir  string // holds the binary, removed by TestMain
	replicaBin  string
	replicaErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if replicaDir != "" {
		os.RemoveAll(replicaDir)
	}
	os.Exit(code)
}

// buildReplica builds the demo with the Redis flags, once per test run.
func buildReplica(t *testing.T) string {
	t.Helper()
	replicaOnce.Do(func() {
		root, err := filepath.Abs("..")
		if err != nil {
			replicaErr = err
			return
		}
		dir, err := os.MkdirTemp("", "replica")
		if err != nil {
			replicaErr = err
			return
		}
		replicaDir = dir
		bin := filepath.Join(dir, "exttasksdemo")
		// The README's command, as go build.
		cmd := exec.Command("go", "build", "-overlay", "redistore/testdata/replica/overlay.json", "-o", bin, "./cmd/exttasksdemo")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOWORK="+filepath.Join(root, "redistore", "testdata", "replica", "go.work"))
		if out, err := cmd.CombinedOutput(); err != nil {
			replicaErr = fmt.Errorf("build the replica: %v\n%s", err, out)
			return
		}
		replicaBin = bin
	})
	if replicaErr != nil {
		t.Fatal(replicaErr)
	}
	return replicaBin
}

// stateKeyHex is the requestState key all replicas share.
var stateKeyHex = strings.Repeat("5eed", 16)

// replica is one running demo process.
type replica struct {
	cmd  *exec.Cmd
	url  *url.URL
	done chan struct{}
}

func startReplica(t *testing.T, bin string, srv *redisserver.Server, lease time.Duration) *replica {
	t.Helper()
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-redis", srv.Socket, "-lease", lease.String(), "-max-tasks", "1000", "-state-key", stateKeyHex)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &replica{cmd: cmd, done: make(chan struct{})}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("replica printed no URL: %v", err)
	}
	if r.url, err = url.Parse(strings.TrimSpace(line)); err != nil {
		t.Fatal(err)
	}
	go func() {
		io.Copy(io.Discard, stdout)
		cmd.Wait()
		close(r.done)
	}()
	t.Cleanup(func() { r.kill() })
	return r
}

// kill ends the replica with SIGKILL: it writes nothing more.
func (r *replica) kill() {
	r.cmd.Process.Kill()
	<-r.done
}

// proxy is a round-robin reverse proxy: request n goes to the n-th live
// replica in turn. It records which replica served each method and task.
type proxy struct {
	mu       sync.Mutex
	replicas []*replica
	dead     map[int]bool
	next     int
	hits     []hit
}

type hit struct {
	replica int
	method  string
	taskID  string
}

func newProxy(t *testing.T, rs []*replica) *httptest.Server {
	t.Helper()
	p := &proxy{replicas: rs, dead: map[int]bool{}}
	ts := httptest.NewServer(p)
	t.Cleanup(ts.Close)
	proxies[ts] = p
	return ts
}

var proxies = map[*httptest.Server]*proxy{}

func (p *proxy) remove(i int) {
	p.mu.Lock()
	p.dead[i] = true
	p.mu.Unlock()
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var msg struct {
		Method string `json:"method"`
		Params struct {
			TaskID string `json:"taskId"`
		} `json:"params"`
	}
	json.Unmarshal(body, &msg)
	p.mu.Lock()
	i := p.next % len(p.replicas)
	for p.dead[i] {
		p.next++
		i = p.next % len(p.replicas)
	}
	p.next++
	p.hits = append(p.hits, hit{i, msg.Method, msg.Params.TaskID})
	target := p.replicas[i].url
	p.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	rp := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(&url.URL{Scheme: target.Scheme, Host: target.Host})
		pr.Out.Host = target.Host
	}}
	rp.ServeHTTP(w, r)
}

// upNext is the replica the next request goes to.
func (p *proxy) upNext() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	i := p.next % len(p.replicas)
	for p.dead[i] {
		i = (i + 1) % len(p.replicas)
	}
	return i
}

// servedBy returns the replicas that served method for task id, in order.
func (p *proxy) servedBy(method, id string) []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []int
	for _, h := range p.hits {
		if h.method == method && h.taskID == id {
			out = append(out, h.replica)
		}
	}
	return out
}

// mcpClient posts JSON-RPC requests of protocol 2026-07-28, declaring the
// tasks extension, to one URL.
type mcpClient struct {
	url  string
	hc   *http.Client
	mu   sync.Mutex
	next int64
}

type rpcError struct {
	Code    int64  `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Message) }

// call returns the result, or the JSON-RPC error as a *rpcError, or an
// error of the transport.
func (c *mcpClient) call(method string, params map[string]any) (json.RawMessage, error) {
	params["_meta"] = map[string]any{
		"io.modelcontextprotocol/protocolVersion":    "2026-07-28",
		"io.modelcontextprotocol/clientInfo":         map[string]any{"name": "redistore-test", "version": "0"},
		"io.modelcontextprotocol/clientCapabilities": map[string]any{"elicitation": map[string]any{}, "extensions": map[string]any{exttasks.ExtensionID: map[string]any{}}},
	}
	c.mu.Lock()
	c.next++
	id := c.next
	c.mu.Unlock()
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", "2026-07-28")
	req.Header.Set("Mcp-Method", method)
	if name, ok := params["name"].(string); ok && method == "tools/call" {
		req.Header.Set(exttasks.NameHeader, name)
	} else if id, ok := params["taskId"].(string); ok {
		req.Header.Set(exttasks.NameHeader, id)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var reply struct {
		Result json.RawMessage `json:"result"`
		Error  *rpcError       `json:"error"`
	}
	if err := json.Unmarshal(data, &reply); err != nil {
		return nil, fmt.Errorf("%s: HTTP %d, not JSON-RPC: %s", method, resp.StatusCode, data)
	}
	if reply.Error != nil {
		return nil, reply.Error
	}
	return reply.Result, nil
}

// taskView is what a test reads of a tasks/get or tools/call answer.
type taskView struct {
	TaskID        string         `json:"taskId"`
	Status        string         `json:"status"`
	StatusMessage string         `json:"statusMessage"`
	Result        map[string]any `json:"result"`
	Error         *rpcError      `json:"error"`
	InputRequests map[string]any `json:"inputRequests"`
}

func (v taskView) text() string {
	content, _ := v.Result["content"].([]any)
	if len(content) == 0 {
		return ""
	}
	block, _ := content[0].(map[string]any)
	s, _ := block["text"].(string)
	return s
}

func (c *mcpClient) startTask(t *testing.T, tool string, args map[string]any) string {
	t.Helper()
	raw, err := c.call("tools/call", map[string]any{"name": tool, "arguments": args})
	if err != nil {
		t.Fatalf("tools/call %s: %v", tool, err)
	}
	var v taskView
	if err := json.Unmarshal(raw, &v); err != nil || v.TaskID == "" {
		t.Fatalf("tools/call %s answered %s, want a task", tool, raw)
	}
	return v.TaskID
}

func (c *mcpClient) get(id string) (taskView, error) {
	raw, err := c.call("tasks/get", map[string]any{"taskId": id})
	if err != nil {
		return taskView{}, err
	}
	var v taskView
	err = json.Unmarshal(raw, &v)
	return v, err
}

func terminal(s string) bool { return s == "completed" || s == "failed" || s == "cancelled" }

// await polls tasks/get until done accepts the task, or fails t after d.
func (c *mcpClient) await(t *testing.T, id string, d time.Duration, done func(taskView) bool) taskView {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		v, err := c.get(id)
		if err != nil {
			t.Fatalf("tasks/get %s: %v", id, err)
		}
		if done(v) {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %s is %s after %v", id, v.Status, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func startReplicas(t *testing.T, n int, lease time.Duration) (*redisserver.Server, []*replica, *httptest.Server) {
	t.Helper()
	srv := redisserver.Start(t)
	bin := buildReplica(t)
	var rs []*replica
	for range n {
		rs = append(rs, startReplica(t, bin, srv, lease))
	}
	return srv, rs, newProxy(t, rs)
}

// TestReplicasServeEachOthersTasks: three replicas behind the proxy; the
// create, the polls, the update and the cancel of tasks land on different
// replicas, and every one of them sees what the others wrote.
func TestReplicasServeEachOthersTasks(t *testing.T) {
	_, _, ts := startReplicas(t, 3, 0)
	p := proxies[ts]
	c := &mcpClient{url: ts.URL + "/mcp", hc: ts.Client()}
	// confirm_delete: created on one replica, polled on the others until
	// it asks, answered on another, completed by whichever runs it.
	id := c.startTask(t, "confirm_delete", map[string]any{"filename": "notes.txt"})
	c.await(t, id, 5*time.Second, func(v taskView) bool { return v.Status == "input_required" })
	for range 3 { // one read on each replica, in turn
		if v, err := c.get(id); err != nil || v.Status != "input_required" || v.InputRequests["confirm"] == nil {
			t.Fatalf("tasks/get of a task waiting for input: %+v, %v", v, err)
		}
	}
	// The update goes to a replica other than the task's creator.
	for p.upNext() == p.servedBy("tools/call", "")[0] {
		c.get(id)
	}
	if _, err := c.call("tasks/update", map[string]any{"taskId": id, "inputResponses": map[string]any{
		"confirm": map[string]any{"action": "accept", "content": map[string]any{"confirm": true}},
	}}); err != nil {
		t.Fatalf("tasks/update: %v", err)
	}
	done := c.await(t, id, 5*time.Second, func(v taskView) bool { return terminal(v.Status) })
	if done.Status != "completed" || done.text() != "Deleted notes.txt." {
		t.Fatalf("confirm_delete ended %s %q", done.Status, done.text())
	}
	// slow_compute: created on one replica, cancelled through another.
	slow := c.startTask(t, "slow_compute", map[string]any{"seconds": 30, "label": "x"})
	c.get(slow)
	if _, err := c.call("tasks/cancel", map[string]any{"taskId": slow}); err != nil {
		t.Fatalf("tasks/cancel: %v", err)
	}
	cancelled := c.await(t, slow, 5*time.Second, func(v taskView) bool { return terminal(v.Status) })
	if cancelled.Status != "cancelled" {
		t.Fatalf("a cancelled slow_compute ended %s", cancelled.Status)
	}
	created := p.servedBy("tools/call", "")[:2]
	gets := p.servedBy("tasks/get", id)
	update := p.servedBy("tasks/update", id)
	cancel := p.servedBy("tasks/cancel", slow)
	t.Logf("tools/call on replicas %v; confirm_delete: tasks/get on %v, tasks/update on %v; slow_compute cancelled on %v", created, gets, update, cancel)
	seen := map[int]bool{}
	for _, r := range gets {
		seen[r] = true
	}
	if len(seen) < 3 || len(update) != 1 || update[0] == created[0] || len(cancel) != 1 || cancel[0] == created[1] {
		t.Errorf("the requests did not spread over the three replicas: tools/call on %v, gets on %v, update on %v, cancel on %v", created, gets, update, cancel)
	}
}
