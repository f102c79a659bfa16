package gosdk_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	gen "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/gosdk"
)

// serveEnv makes the test binary a stdio MCP server (the TypeScript client
// spawns it, as it would any stdio server).
const serveEnv = "GOSDKADAPTER_SERVE"

func TestMain(m *testing.M) {
	if os.Getenv(serveEnv) == "stdio" {
		srv, tasks := newServer(os.Stderr, nil)
		err := srv.Run(context.Background(), gosdk.StdioTransport())
		tasks.Close(context.Background())
		if err != nil {
			fmt.Fprintln(os.Stderr, "server:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if os.Getenv(serveEnv) == "ext-stdio" {
		pt := &processT{}
		srv, _ := newExtServer(pt)
		err := srv.Run(context.Background(), &sdk.StdioTransport{})
		pt.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, "server:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// ---- the TypeScript SDK client against the adapter ----

// tsSDKVersion is the TypeScript SDK the peers package pins.
const tsSDKVersion = "1.32.2"

// nodeSetup returns node and the client script, or skips (fails under CI)
// when node or the TypeScript SDK is missing.
func nodeSetup(t *testing.T) (node, script string) {
	t.Helper()
	missing := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...) + " (needs Node 20 on PATH and: cd testdata/peers && npm ci)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not found: %v", err)
	}
	pkg, err := os.ReadFile(filepath.Join("..", "testdata", "peers", "node_modules", "@modelcontextprotocol", "sdk", "package.json"))
	if err != nil {
		missing("TypeScript SDK not installed: %v", err)
	}
	var meta struct{ Version string }
	if err := json.Unmarshal(pkg, &meta); err != nil || meta.Version != tsSDKVersion {
		missing("TypeScript SDK %q installed, want %s", meta.Version, tsSDKVersion)
	}
	script, err = filepath.Abs("ts-client.mjs")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.ReadFile(script); err != nil { // read, so the test cache sees edits
		t.Fatal(err)
	}
	return node, script
}

type tsStep struct {
	Step   string          `json:"step"`
	OK     bool            `json:"ok"`
	MS     int64           `json:"ms"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    *int64 `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// runTSClient runs ts-client.mjs with args and returns its steps by name.
func runTSClient(t *testing.T, env []string, args ...string) map[string]tsStep {
	t.Helper()
	node, script := nodeSetup(t)
	return runNode(t, node, "", env, append([]string{script}, args...)...)
}

// runNode runs node with args in dir (the test's directory when empty),
// with env added, and returns the steps it printed (one JSON line each)
// by name.
func runNode(t *testing.T, node, dir string, env []string, args ...string) map[string]tsStep {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	name := strings.Join(args[:min(2, len(args))], " ")
	t.Logf("node %s: %v", name, time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("node %s: %v\nstdout:\n%s\nstderr:\n%s", name, err, stdout.String(), stderr.String())
	}
	out := stdout.String()
	steps := map[string]tsStep{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var s tsStep
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("bad line %q: %v", sc.Text(), err)
		}
		steps[s.Step] = s
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("client output:\n%s\nstderr:\n%s", out, stderr.String())
	}
	return steps
}

// checkTSRun holds the assertions common to every transport.
func checkTSRun(t *testing.T, steps map[string]tsStep) {
	t.Helper()
	ok := func(name string) any {
		t.Helper()
		s, found := steps[name]
		switch {
		case !found:
			t.Fatalf("step %s did not run", name)
		case !s.OK:
			t.Fatalf("step %s failed: %+v", name, *s.Error)
		}
		var v any
		if err := json.Unmarshal(s.Result, &v); err != nil {
			t.Fatalf("step %s: %v", name, err)
		}
		return v
	}
	fails := func(name string, code int64) {
		t.Helper()
		s, found := steps[name]
		switch {
		case !found:
			t.Errorf("step %s did not run", name)
		case s.OK:
			t.Errorf("step %s succeeded (%s), want error %d", name, s.Result, code)
		case s.Error.Code == nil || *s.Error.Code != code:
			t.Errorf("step %s: error %+v, want code %d", name, *s.Error, code)
		}
	}
	want := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}

	// The tasks capability reaches the client, requests included.
	init := ok("initialize")
	want("protocolVersion", dig(init, "protocolVersion"), "2025-11-25")
	for _, path := range [][]any{{"tasks", "list"}, {"tasks", "cancel"}, {"tasks", "requests", "tools", "call"}, {"tools"}} {
		if dig(init, append([]any{"capabilities"}, path...)...) == nil {
			t.Errorf("capabilities lack %v: %v", path, dig(init, "capabilities"))
		}
	}

	tools := ok("tools_list")
	for _, tl := range dig(tools, "tools").([]any) {
		name := dig(tl, "name").(string)
		want("taskSupport of "+name, dig(tl, "taskSupport"), string(taskSupport[name]))
	}
	want("isToolTask", dig(tools, "isToolTask"), map[string]any{"echo": false, "slow": true, "boom": true, "research": true})

	want("echo_plain text", dig(ok("echo_plain"), "content", 0, "text"), "hello from ts")

	// A task-augmented tools/call answers a CreateTaskResult, not a
	// CallToolResult.
	created := ok("slow_create")
	raw := dig(created, "raw")
	taskID, _ := dig(raw, "task", "taskId").(string)
	if taskID == "" {
		t.Fatalf("tools/call with params.task answered %v, want a CreateTaskResult", raw)
	}
	want("created status", dig(raw, "task", "status"), "working")
	want("created ttl", dig(raw, "task", "ttl"), 60000.0)
	want("created pollInterval", dig(raw, "task", "pollInterval"), float64(pollIntervalMS))
	if dig(raw, "content") != nil {
		t.Errorf("CreateTaskResult carries content: %v", raw)
	}

	// tasks/get polls to completed.
	poll := ok("slow_poll")
	want("polled status", dig(poll, "task", "status"), "completed")
	want("polled taskId", dig(poll, "task", "taskId"), taskID)

	// tasks/result is the tool's result, with the related-task _meta.
	res := ok("slow_result")
	want("result text", dig(res, "parsed", "content", 0, "text"), "slow done: as a task")
	want("related-task", dig(res, "raw", "_meta", gen.RelatedTaskMetaKey, "taskId"), taskID)

	listed := false
	for _, task := range dig(ok("tasks_list"), "tasks").([]any) {
		listed = listed || dig(task, "taskId") == taskID
	}
	if !listed {
		t.Errorf("tasks/list lacks %s", taskID)
	}

	fails("cancel_terminal", gen.CodeInvalidParams)
	fails("get_unknown", gen.CodeInvalidParams)
	fails("required_plain", gen.CodeMethodNotFound)
	fails("forbidden_task", gen.CodeMethodNotFound)

	cw := ok("cancel_working")
	want("cancel_working", []any{dig(cw, "created"), dig(cw, "cancelled"), dig(cw, "after"), dig(cw, "resultError", "code")},
		[]any{"working", "cancelled", "cancelled", float64(gen.CodeInvalidParams)})

	br := ok("blocking_result")
	want("blocked result pending at ping", dig(br, "resultPendingAtPing"), true)
	want("status while blocked", dig(br, "statusWhileBlocked"), "working")
	want("blocking result text", dig(br, "result", "content", 0, "text"), "slow done: blocking")

	st := ok("stream_required")
	types := dig(st, "types").([]any)
	if len(types) < 2 || types[0] != "taskCreated" || types[len(types)-1] != "result" {
		t.Errorf("callToolStream messages %v, want taskCreated … result", types)
	}
	want("stream structuredContent", dig(st, "last", "result", "structuredContent", "summary"), "report on tasks")

	boom := ok("boom_task")
	want("boom status", dig(boom, "final"), "failed")
	want("boom isError", dig(boom, "result", "isError"), true)

	want("client errors", dig(ok("close"), "clientErrors"), []any{})
}

func TestTypeScriptClientStdio(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	steps := runTSClient(t, []string{serveEnv + "=stdio"}, "stdio", exe)
	checkTSRun(t, steps)
}

func TestTypeScriptClientStreamableHTTP(t *testing.T) {
	srv, tasks := newServer(nil, nil)
	h := sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return srv }, nil)
	hs := httptest.NewServer(gosdk.WrapHTTPHandler(h))
	defer hs.Close()
	steps := runTSClient(t, nil, "http", hs.URL)
	checkTSRun(t, steps)
	tasks.Close(context.Background())
}

// dig walks v (decoded JSON) by object keys and array indices; nil when
// the path does not exist.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

// ---- a raw JSON-RPC client over go-sdk's in-memory transport ----

type rawClient struct {
	t    *testing.T
	conn sdk.Connection
	id   int64
}

// connectRaw connects s to a raw client, the server side through wrap (if
// not nil).
func connectRaw(t *testing.T, s *sdk.Server, wrap func(sdk.Transport) sdk.Transport) *rawClient {
	t.Helper()
	st, ct := sdk.NewInMemoryTransports()
	var server sdk.Transport = st
	if wrap != nil {
		server = wrap(st)
	}
	ss, err := s.Connect(context.Background(), server, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	conn, err := ct.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &rawClient{t: t, conn: conn}
}

func (c *rawClient) call(method string, params any) (map[string]any, *jsonrpc.Error) {
	c.t.Helper()
	c.id++
	id, _ := jsonrpc.MakeID(float64(c.id))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.conn.Write(ctx, &jsonrpc.Request{ID: id, Method: method, Params: mustJSON(c.t, params)}); err != nil {
		c.t.Fatalf("%s: write: %v", method, err)
	}
	for {
		msg, err := c.conn.Read(ctx)
		if err != nil {
			c.t.Fatalf("%s: read: %v", method, err)
		}
		resp, ok := msg.(*jsonrpc.Response)
		if !ok || resp.ID != id {
			continue
		}
		if resp.Error != nil {
			var we *jsonrpc.Error
			if !errors.As(resp.Error, &we) {
				c.t.Fatalf("%s: error %v is not a *jsonrpc.Error", method, resp.Error)
			}
			return nil, we
		}
		var res map[string]any
		if err := json.Unmarshal(resp.Result, &res); err != nil {
			c.t.Fatalf("%s: result %s: %v", method, resp.Result, err)
		}
		return res, nil
	}
}

func (c *rawClient) mustCall(method string, params any) map[string]any {
	c.t.Helper()
	res, err := c.call(method, params)
	if err != nil {
		c.t.Fatalf("%s: %d %s", method, err.Code, err.Message)
	}
	return res
}

func (c *rawClient) wantError(method string, params any, code int64) {
	c.t.Helper()
	res, err := c.call(method, params)
	if err == nil || err.Code != code {
		c.t.Errorf("%s: got result %v, error %v; want error %d", method, res, err, code)
	}
}

func (c *rawClient) initialize() map[string]any {
	c.t.Helper()
	res := c.mustCall("initialize", map[string]any{
		"protocolVersion": "2025-11-25",
		"capabilities":    map[string]any{},
		"clientInfo":      map[string]any{"name": "raw", "version": "0"},
	})
	if err := c.conn.Write(context.Background(), &jsonrpc.Request{Method: "notifications/initialized", Params: json.RawMessage(`{}`)}); err != nil {
		c.t.Fatal(err)
	}
	return res
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	if v == nil {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// ---- go-sdk v1.8.0 on its own: what the adapter works around ----

// TestGoSDKAlone pins the go-sdk behaviour that makes each part of the
// adapter necessary. If go-sdk changes, these fail first.
func TestGoSDKAlone(t *testing.T) {
	s := sdk.NewServer(&sdk.Implementation{Name: "plain", Version: "0"}, nil)
	sdk.AddTool(s, &sdk.Tool{Name: "slow"}, slowTool)
	var (
		mu   sync.Mutex
		seen = map[string]json.RawMessage{} // method -> params as middleware saw them
	)
	s.AddReceivingMiddleware(func(next sdk.MethodHandler) sdk.MethodHandler {
		return func(ctx context.Context, method string, req sdk.Request) (sdk.Result, error) {
			data, _ := json.Marshal(req.GetParams())
			mu.Lock()
			seen[method] = data
			mu.Unlock()
			return next(ctx, method, req)
		}
	})
	c := connectRaw(t, s, nil)

	// No tasks capability: go-sdk's ServerCapabilities has no field for it.
	if caps := dig(c.initialize(), "capabilities"); dig(caps, "tasks") != nil {
		t.Errorf("plain go-sdk advertises tasks: %v", caps)
	}

	// tasks/* is answered -32601 before any middleware runs
	// (mcp/shared.go:207, :236-238).
	c.wantError("tasks/get", map[string]any{"taskId": "x"}, jsonrpc.CodeMethodNotFound)

	// params.task is gone by the time middleware sees tools/call
	// (CallToolParamsRaw has no Task field), and the tool runs in the
	// request: a CallToolResult comes back, not a CreateTaskResult.
	res := c.mustCall("tools/call", map[string]any{"name": "slow", "arguments": map[string]any{"ms": 1, "text": "t"}, "task": map[string]any{"ttl": 1000}})
	if res["task"] != nil || res["content"] == nil {
		t.Errorf("plain go-sdk answered a task-augmented tools/call with %v", res)
	}

	mu.Lock()
	defer mu.Unlock()
	if _, ok := seen["tasks/get"]; ok {
		t.Errorf("middleware saw tasks/get")
	}
	if p, ok := seen["tools/call"]; !ok || bytes.Contains(p, []byte(`"task"`)) {
		t.Errorf("middleware saw tools/call params %s (present: %v), want them without task", p, ok)
	}

	// The go-sdk types have no place for the task fields.
	for _, tc := range []struct {
		typ   reflect.Type
		field string
	}{
		{reflect.TypeFor[sdk.ServerCapabilities](), "Tasks"},
		{reflect.TypeFor[sdk.ClientCapabilities](), "Tasks"},
		{reflect.TypeFor[sdk.Tool](), "Execution"},
		{reflect.TypeFor[sdk.CallToolParamsRaw](), "Task"},
		{reflect.TypeFor[sdk.CallToolParams](), "Task"}, // so a go-sdk client cannot ask for a task either
		{reflect.TypeFor[sdk.CallToolResult](), "Task"},
	} {
		if _, ok := tc.typ.FieldByName(tc.field); ok {
			t.Errorf("go-sdk %v now has a %s field: the adapter may be redundant", tc.typ, tc.field)
		}
	}

	// tools/call cannot be taken over by a custom method.
	err := sdk.AddReceivingCustomMethod(s, "tools/call", func(context.Context, *sdk.ServerSession, *sdk.CallToolParamsRaw) (*sdk.CallToolResult, error) {
		return nil, nil
	})
	if err == nil {
		t.Errorf("AddReceivingCustomMethod accepted tools/call")
	}
}

// TestSSEHandlerRejectsTaskMethods: the deprecated HTTP+SSE transport checks
// POSTed requests against go-sdk's standard methods only (mcp/sse.go:187),
// so custom methods, tasks/* among them, never reach the server there.
func TestSSEHandlerRejectsTaskMethods(t *testing.T) {
	srv, tasks := newServer(nil, nil)
	defer tasks.Close(context.Background())
	hs := httptest.NewServer(gosdk.WrapHTTPHandler(sdk.NewSSEHandler(func(*http.Request) *sdk.Server { return srv }, nil)))
	defer hs.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, hs.URL, nil)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	endpoint := ""
	sc := bufio.NewScanner(resp.Body)
	for endpoint == "" && sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			endpoint = data
		}
	}
	if endpoint == "" {
		t.Fatalf("no endpoint event: %v", sc.Err())
	}
	post := func(body string) (int, string) {
		r, err := http.Post(hs.URL+endpoint, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(r.Body)
		return r.StatusCode, b.String()
	}
	if code, body := post(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`); code != http.StatusAccepted {
		t.Errorf("POST tools/list: %d %s", code, body)
	}
	if code, body := post(`{"jsonrpc":"2.0","id":2,"method":"tasks/get","params":{"taskId":"x"}}`); code != http.StatusBadRequest || !strings.Contains(body, "unsupported") {
		t.Errorf("POST tasks/get: %d %q, want 400 … unsupported (go-sdk's SSE transport lifted its restriction?)", code, body)
	}
}

// ---- the adapter, driven raw ----

func TestAdapterInMemory(t *testing.T) {
	srv, tasks := newServer(nil, nil)
	defer tasks.Close(context.Background())
	c := connectRaw(t, srv, gosdk.WrapTransport)

	caps := dig(c.initialize(), "capabilities")
	if dig(caps, "tasks", "requests", "tools", "call") == nil || dig(caps, "tasks", "list") == nil || dig(caps, "tasks", "cancel") == nil {
		t.Errorf("capabilities %v lack tasks", caps)
	}
	for _, tool := range c.mustCall("tools/list", nil)["tools"].([]any) {
		name := dig(tool, "name").(string)
		if got := dig(tool, "execution", "taskSupport"); got != string(taskSupport[name]) {
			t.Errorf("%s: execution.taskSupport %v, want %s", name, got, taskSupport[name])
		}
	}

	created := c.mustCall("tools/call", map[string]any{
		"name": "slow", "arguments": map[string]any{"ms": 100, "text": "raw"},
		"task": map[string]any{"ttl": 30000}, "_meta": map[string]any{"progressToken": "p1"},
	})
	id, _ := dig(created, "task", "taskId").(string)
	if id == "" || dig(created, "task", "status") != "working" || created["content"] != nil {
		t.Fatalf("task-augmented tools/call: %v", created)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := c.mustCall("tasks/get", map[string]any{"taskId": id})
		if got["status"] == "completed" {
			break
		}
		if got["status"] != "working" || time.Now().After(deadline) {
			t.Fatalf("tasks/get: %v", got)
		}
		time.Sleep(pollIntervalMS * time.Millisecond)
	}
	res := c.mustCall("tasks/result", map[string]any{"taskId": id})
	if dig(res, "content", 0, "text") != "slow done: raw" || dig(res, "_meta", gen.RelatedTaskMetaKey, "taskId") != id {
		t.Errorf("tasks/result: %v", res)
	}
	if tasks := c.mustCall("tasks/list", nil)["tasks"].([]any); len(tasks) != 1 || dig(tasks[0], "taskId") != id {
		t.Errorf("tasks/list: %v", tasks)
	}
	c.wantError("tasks/cancel", map[string]any{"taskId": id}, gen.CodeInvalidParams)
	c.wantError("tasks/get", map[string]any{"taskId": "nope"}, gen.CodeInvalidParams)
	c.wantError("tasks/get", map[string]any{}, gen.CodeInvalidParams) // the generated decoder's validation
	c.wantError("tools/call", map[string]any{"name": "slow", "arguments": map[string]any{"ms": 1}, "task": map[string]any{"ttl": "soon"}}, gen.CodeInvalidParams)
	// go-sdk keeps the code of a -32601 but replaces its message
	// (internal/jsonrpc2/conn.go:695-696, wire.go:88-94).
	if _, err := c.call("tools/call", map[string]any{"name": "research", "arguments": map[string]any{"topic": "x"}}); err == nil ||
		err.Code != gen.CodeMethodNotFound || err.Message != `method not found: "tools/call"` {
		t.Errorf("plain call of a required tool: %v, want -32601 with go-sdk's message", err)
	}
	c.wantError("tools/call", map[string]any{"name": "echo", "arguments": map[string]any{"text": "x"}, "task": map[string]any{}}, gen.CodeMethodNotFound)
	c.wantError("tools/call", map[string]any{"name": "nope", "task": map[string]any{}}, gen.CodeInvalidParams)
	c.wantError("tools/call", map[string]any{"name": "nope"}, gen.CodeInvalidParams) // go-sdk's own answer
	// A plain call goes to go-sdk, which answers it as ever.
	if got := c.mustCall("tools/call", map[string]any{"name": "echo", "arguments": map[string]any{"text": "plain"}}); dig(got, "content", 0, "text") != "plain" {
		t.Errorf("plain tools/call: %v", got)
	}
	// A client-supplied tag is overwritten: the call stays plain.
	if got := c.mustCall("tools/call", map[string]any{"name": "slow", "arguments": map[string]any{"ms": 1, "text": "x"}, "_meta": map[string]any{gosdk.TagKey: `{"ttl":5}`}}); got["task"] != nil {
		t.Errorf("forged tag made a task: %v", got)
	}

	// Tasks belong to the session that made them.
	other := connectRaw(t, srv, gosdk.WrapTransport)
	other.initialize()
	other.wantError("tasks/get", map[string]any{"taskId": id}, gen.CodeInvalidParams)
	if tasks := other.mustCall("tasks/list", nil)["tasks"].([]any); len(tasks) != 0 {
		t.Errorf("another session lists %v", tasks)
	}

	tasks.Close(context.Background())
}

// TestAdapterWithoutWrapper: with the adapter installed but the transport
// not wrapped, params.task cannot reach it, so initialize leaves
// tasks.requests out and a task request runs as a plain call.
func TestAdapterWithoutWrapper(t *testing.T) {
	srv, tasks := newServer(nil, nil)
	defer tasks.Close(context.Background())
	c := connectRaw(t, srv, nil)
	caps := dig(c.initialize(), "capabilities")
	if dig(caps, "tasks", "list") == nil || dig(caps, "tasks", "requests") != nil {
		t.Errorf("capabilities.tasks = %v, want list and cancel without requests", dig(caps, "tasks"))
	}
	res := c.mustCall("tools/call", map[string]any{"name": "slow", "arguments": map[string]any{"ms": 1, "text": "x"}, "task": map[string]any{}})
	if res["task"] != nil || dig(res, "content", 0, "text") != "slow done: x" {
		t.Errorf("tools/call: %v", res)
	}
}

// TestGoSDKClient: a go-sdk client reaches the task methods through its
// custom-method API (mcp.AddSendingCustomMethod / mcp.CallCustomMethod), but
// cannot ask for a task that way (CallToolParams has no task field; see
// TestGoSDKClientRunsTask for the Peer that can).
func TestGoSDKClient(t *testing.T) {
	srv, tasks := newServer(nil, nil)
	defer tasks.Close(context.Background())
	st, ct := sdk.NewInMemoryTransports()
	ss, err := srv.Connect(context.Background(), gosdk.WrapTransport(st), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()

	client := sdk.NewClient(&sdk.Implementation{Name: "go-client", Version: "0"}, nil)
	if err := sdk.AddSendingCustomMethod[*taskIDParams, *taskResult](client, "tasks/get"); err != nil {
		t.Fatal(err)
	}
	if err := sdk.AddSendingCustomMethod[*cursorParams, *taskListResult](client, "tasks/list"); err != nil {
		t.Fatal(err)
	}
	cs, err := client.Connect(context.Background(), ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()

	list, err := sdk.CallCustomMethod[*cursorParams, *taskListResult](context.Background(), cs, "tasks/list", &cursorParams{})
	if err != nil || list.Tasks == nil || len(list.Tasks) != 0 {
		t.Errorf("tasks/list: %+v, %v", list, err)
	}
	_, err = sdk.CallCustomMethod[*taskIDParams, *taskResult](context.Background(), cs, "tasks/get", &taskIDParams{TaskID: "nope"})
	var we *jsonrpc.Error
	if !errors.As(err, &we) || we.Code != gen.CodeInvalidParams {
		t.Errorf("tasks/get of an unknown task: %v, want -32602", err)
	}
}

type taskIDParams struct {
	sdk.ParamsBase
	TaskID string `json:"taskId"`
}

type cursorParams struct {
	sdk.ParamsBase
	Cursor string `json:"cursor,omitempty"`
}

type taskResult struct {
	sdk.ResultBase
	gen.Task
}

type taskListResult struct {
	sdk.ResultBase
	Tasks      []gen.Task `json:"tasks"`
	NextCursor string     `json:"nextCursor,omitempty"`
}
