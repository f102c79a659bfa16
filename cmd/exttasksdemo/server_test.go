package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/generated/mcpdraft"
)

// testClient speaks the stateless 2026-07-28 wire to a Server, encoding
// requests and decoding answers with the generated types.
type testClient struct {
	t      *testing.T
	url    string
	nextID int64
	// tasks says whether requests declare the tasks extension.
	tasks bool
	// token, when set, is sent as the bearer token of every request.
	token string
}

// A response is one answer: exactly one of result and rpcErr is set.
type response struct {
	status int
	id     mcpdraft.RequestId
	result json.RawMessage
	rpcErr *mcpdraft.Error
}

func newTestServer(t *testing.T, cfg Config) string {
	t.Helper()
	if cfg.Logf == nil {
		cfg.Logf = t.Logf
	}
	srv := NewServer(cfg)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(ts.Close) // runs first: no request is in flight when the tasks stop
	return ts.URL + "/mcp"
}

func (c *testClient) meta() map[string]any {
	caps := map[string]any{"elicitation": map[string]any{}}
	if c.tasks {
		caps["extensions"] = map[string]any{exttasks.ExtensionID: map[string]any{}}
	}
	return map[string]any{
		"io.modelcontextprotocol/protocolVersion":    protocolVersion,
		"io.modelcontextprotocol/clientInfo":         map[string]any{"name": "exttasksdemo-test", "version": "0"},
		"io.modelcontextprotocol/clientCapabilities": caps,
	}
}

// call sends one request. headers override the ones the client derives
// from the body (MCP-Protocol-Version, Mcp-Method, Mcp-Name); an empty value
// removes a header.
func (c *testClient) call(method string, params map[string]any, headers map[string]string) response {
	c.t.Helper()
	if params == nil {
		params = map[string]any{}
	}
	if _, ok := params["_meta"]; !ok {
		params["_meta"] = c.meta()
	}
	c.nextID++
	id := mcpdraft.RequestIdFromInteger(c.nextID)
	body, err := json.Marshal(mcpdraft.JSONRPCRequest{ID: id, Method: method, Params: params})
	if err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set(headerProtocolVersion, protocolVersion)
	req.Header.Set(headerMethod, method)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	switch method {
	case methodCallTool:
		req.Header.Set(exttasks.NameHeader, params["name"].(string))
	case exttasks.MethodGetTask, exttasks.MethodUpdateTask, exttasks.MethodCancelTask:
		if id, ok := params["taskId"].(string); ok {
			req.Header.Set(exttasks.NameHeader, id)
		}
	}
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		c.t.Fatalf("%s: Content-Type %q, body %s", method, ct, data)
	}
	msg, err := mcpdraft.UnmarshalJSONRPCResponse(data)
	if err != nil {
		c.t.Fatalf("%s: answer is not a JSON-RPC response: %v\n%s", method, err, data)
	}
	out := response{status: resp.StatusCode}
	switch m := msg.(type) {
	case *mcpdraft.JSONRPCResultResponse:
		out.id = m.ID
		if out.result, err = json.Marshal(m.Result); err != nil {
			c.t.Fatal(err)
		}
	case *mcpdraft.JSONRPCErrorResponse:
		if m.ID != nil {
			out.id = *m.ID
		}
		out.rpcErr = &m.Error
	}
	if out.id != id {
		c.t.Errorf("%s: answer id %v, want the request's %v", method, out.id, id)
	}
	return out
}

// ok returns the result of a call that must succeed.
func (c *testClient) ok(method string, params map[string]any) json.RawMessage {
	c.t.Helper()
	r := c.call(method, params, nil)
	if r.rpcErr != nil {
		c.t.Fatalf("%s: error %d %s", method, r.rpcErr.Code, r.rpcErr.Message)
	}
	return r.result
}

// fails checks that a call is answered with the JSON-RPC error code and
// the HTTP status, and returns the error.
func (c *testClient) fails(method string, params map[string]any, headers map[string]string, code int64, status int) *mcpdraft.Error {
	c.t.Helper()
	r := c.call(method, params, headers)
	if r.rpcErr == nil {
		c.t.Fatalf("%s: got result %s, want error %d", method, r.result, code)
	}
	if r.rpcErr.Code != code || r.status != status {
		c.t.Fatalf("%s: got error %d (%s) with HTTP %d, want %d with HTTP %d", method, r.rpcErr.Code, r.rpcErr.Message, r.status, code, status)
	}
	return r.rpcErr
}

// callTool calls a tool and decodes the answer as the tasks extension
// defines it: a CreateTaskResult, or the complete CallToolResult.
func (c *testClient) callTool(name string, args map[string]any) (*exttasks.CreateTaskResult, *mcpdraft.CallToolResult) {
	c.t.Helper()
	if args == nil {
		args = map[string]any{}
	}
	raw := c.ok(methodCallTool, map[string]any{"name": name, "arguments": args})
	var complete mcpdraft.CallToolResult
	task, err := exttasks.DecodeTaskAugmentedResult(raw, &complete)
	if err != nil {
		c.t.Fatalf("tools/call %s: %v\n%s", name, err, raw)
	}
	if task != nil {
		return task, nil
	}
	return nil, &complete
}

func (c *testClient) getTask(id string) exttasks.GetTaskResult {
	c.t.Helper()
	raw := c.ok(exttasks.MethodGetTask, map[string]any{"taskId": id})
	res, err := exttasks.UnmarshalGetTaskResult(raw)
	if err != nil {
		c.t.Fatalf("tasks/get: %v\n%s", err, raw)
	}
	return res
}

// waitTask polls tasks/get until done accepts the task or 5s pass.
func (c *testClient) waitTask(id string, done func(exttasks.GetTaskResult) bool) exttasks.GetTaskResult {
	c.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		res := c.getTask(id)
		if done(res) {
			return res
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("task %s: still %T after 5s", id, res)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func terminal(r exttasks.GetTaskResult) bool {
	switch r.(type) {
	case *exttasks.GetTaskResultCompleted, *exttasks.GetTaskResultFailed, *exttasks.GetTaskResultCancelled:
		return true
	}
	return false
}

func firstText(t *testing.T, result map[string]any) string {
	t.Helper()
	data, _ := json.Marshal(result)
	var r mcpdraft.CallToolResult
	if err := r.UnmarshalJSON(data); err != nil {
		t.Fatalf("inlined result is not a CallToolResult: %v\n%s", err, data)
	}
	text, ok := r.Content[0].(*mcpdraft.TextContent)
	if !ok {
		t.Fatalf("inlined result content[0] is %T", r.Content[0])
	}
	return text.Text
}

func keysOf(raw json.RawMessage) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	json.Unmarshal(raw, &m)
	return m
}

// The -32021 gate comes before anything about the task: a client without the
// extension learns that it lacks the capability, not that the task is unknown.
func TestMissingCapabilityComesBeforeUnknownTask(t *testing.T) {
	url := newTestServer(t, Config{})
	plain := &testClient{t: t, url: url}
	for _, method := range []string{exttasks.MethodGetTask, exttasks.MethodUpdateTask, exttasks.MethodCancelTask} {
		params := map[string]any{"taskId": "no-such-task"}
		if method == exttasks.MethodUpdateTask {
			params["inputResponses"] = map[string]any{}
		}
		e := plain.fails(method, params, nil, exttasks.CodeMissingCapability, http.StatusBadRequest)
		data, _ := json.Marshal(e.Data)
		var want mcpdraft.MissingRequiredClientCapabilityErrorErrorData
		if err := want.UnmarshalJSON(data); err != nil {
			t.Fatalf("%s: -32021 data: %v", method, err)
		}
		if _, ok := want.RequiredCapabilities.Extensions[exttasks.ExtensionID]; !ok {
			t.Errorf("%s: data.requiredCapabilities %s does not name the extension", method, data)
		}
	}
	declaring := &testClient{t: t, url: url, tasks: true}
	declaring.fails(exttasks.MethodGetTask, map[string]any{"taskId": "no-such-task"}, nil, exttasks.CodeInvalidParams, http.StatusOK)
}

func TestHeaderMismatch(t *testing.T) {
	c := &testClient{t: t, url: newTestServer(t, Config{}), tasks: true}
	greet := map[string]any{"name": "greet", "arguments": map[string]any{"name": "x"}}
	task, _ := c.callTool("slow_compute", map[string]any{"seconds": 30})
	get := map[string]any{"taskId": task.TaskID}
	for _, tc := range []struct {
		name    string
		method  string
		params  map[string]any
		headers map[string]string
	}{
		{"Mcp-Name is another task", exttasks.MethodGetTask, get, map[string]string{exttasks.NameHeader: "other-task"}},
		{"Mcp-Name missing on tasks/cancel", exttasks.MethodCancelTask, get, map[string]string{exttasks.NameHeader: ""}},
		{"Mcp-Name is another tool", methodCallTool, greet, map[string]string{exttasks.NameHeader: "slow_compute"}},
		{"Mcp-Method disagrees", methodCallTool, greet, map[string]string{headerMethod: exttasks.MethodGetTask}},
		{"Mcp-Method missing", methodDiscover, nil, map[string]string{headerMethod: ""}},
		{"MCP-Protocol-Version missing", methodDiscover, nil, map[string]string{headerProtocolVersion: ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.t = t
			c.fails(tc.method, tc.params, tc.headers, exttasks.CodeHeaderMismatch, http.StatusBadRequest)
		})
	}
	c.t = t
	c.fails(methodDiscover, nil, map[string]string{headerProtocolVersion: "2025-11-25"}, codeUnsupportedVersion, http.StatusBadRequest)
	// The task was not touched by the rejected cancel.
	if _, ok := c.getTask(task.TaskID).(*exttasks.GetTaskResultWorking); !ok {
		t.Error("a tasks/cancel rejected for its header changed the task")
	}
}

// A declaring client gets a flat CreateTaskResult: Result ∧ Task with
// resultType "task", nothing nested, no requestState, and a tasks/get right
// after it finds the task.
func TestCreateTaskResultIsFlat(t *testing.T) {
	c := &testClient{t: t, url: newTestServer(t, Config{}), tasks: true}
	raw := c.ok(methodCallTool, map[string]any{"name": "slow_compute", "arguments": map[string]any{"seconds": 30, "label": "flat"}})
	keys := keysOf(raw)
	if string(keys["resultType"]) != `"task"` {
		t.Errorf("resultType = %s, want \"task\"", keys["resultType"])
	}
	for _, k := range []string{"task", "result", "error", "inputRequests", "requestState", "ttl", "pollInterval"} {
		if _, ok := keys[k]; ok {
			t.Errorf("CreateTaskResult carries %q: %s", k, raw)
		}
	}
	var created exttasks.CreateTaskResult
	if err := created.UnmarshalJSON(raw); err != nil {
		t.Fatal(err)
	}
	if created.Status != exttasks.TaskStatusWorking || created.TTLMs == nil || *created.TTLMs <= 0 {
		t.Errorf("created task: status %q, ttlMs %v", created.Status, created.TTLMs)
	}
	if len(created.TaskID) < 26 { // 26 base32 characters = 130 bits
		t.Errorf("task id %q is too short to be unguessable", created.TaskID)
	}
	for _, ts := range []string{created.CreatedAt, created.LastUpdatedAt} {
		if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
			t.Errorf("timestamp %q: %v", ts, err)
		}
	}
	if got := c.getTask(created.TaskID); got == nil {
		t.Fatal("no task")
	}

	// Cancel acks with an empty result, also once the task has ended.
	for range 2 {
		ack := keysOf(c.ok(exttasks.MethodCancelTask, map[string]any{"taskId": created.TaskID}))
		delete(ack, "_meta")
		if len(ack) != 1 || string(ack["resultType"]) != `"complete"` {
			t.Errorf("cancel ack = %v, want only resultType complete", ack)
		}
	}
	if _, ok := c.getTask(created.TaskID).(*exttasks.GetTaskResultCancelled); !ok {
		t.Error("task is not cancelled after tasks/cancel")
	}
}

// Without the extension the server never answers with a task: optional tools
// run synchronously, and a tool that needs a task is refused with -32021.
func TestNonDeclaringClientGetsSyncResults(t *testing.T) {
	c := &testClient{t: t, url: newTestServer(t, Config{})}
	task, res := c.callTool("slow_compute", map[string]any{"seconds": 0, "label": "sync"})
	if task != nil || res == nil || res.ResultType != resultComplete {
		t.Fatalf("slow_compute without the extension: task %v, result %+v", task, res)
	}
	e := c.fails(methodCallTool, map[string]any{"name": "failing_job", "arguments": map[string]any{}}, nil, exttasks.CodeMissingCapability, http.StatusBadRequest)
	if !strings.Contains(string(must(json.Marshal(e.Data))), exttasks.ExtensionID) {
		t.Errorf("-32021 data %v does not name the extension", e.Data)
	}
	// A crash is a JSON-RPC error on the synchronous path.
	c.fails(methodCallTool, map[string]any{"name": "protocol_error_job", "arguments": map[string]any{}}, nil, exttasks.CodeInternalError, http.StatusOK)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A task waits in input_required until every request has its answer; a
// response to a key it never issued is acked and ignored.
func TestInputRequiredTask(t *testing.T) {
	c := &testClient{t: t, url: newTestServer(t, Config{}), tasks: true}
	task, _ := c.callTool("multi_input", map[string]any{})
	res := c.waitTask(task.TaskID, func(r exttasks.GetTaskResult) bool {
		_, ok := r.(*exttasks.GetTaskResultInputRequired)
		return ok
	}).(*exttasks.GetTaskResultInputRequired)
	if len(res.InputRequests) != 2 {
		t.Fatalf("inputRequests = %v, want 2", res.InputRequests)
	}
	accept := func(name string) map[string]any {
		return map[string]any{"action": "accept", "content": map[string]any{"name": name, "confirm": true}}
	}
	c.ok(exttasks.MethodUpdateTask, map[string]any{"taskId": task.TaskID, "inputResponses": map[string]any{
		"first":       accept("Ada"),
		"unknown-key": map[string]any{"ignored": true},
	}})
	res, ok := c.getTask(task.TaskID).(*exttasks.GetTaskResultInputRequired)
	if !ok || len(res.InputRequests) != 1 || res.InputRequests["second"] == nil {
		t.Fatalf("after a partial update: %+v", res)
	}
	c.ok(exttasks.MethodUpdateTask, map[string]any{"taskId": task.TaskID, "inputResponses": map[string]any{"second": accept("Grace")}})
	done, ok := c.waitTask(task.TaskID, terminal).(*exttasks.GetTaskResultCompleted)
	if !ok {
		t.Fatalf("task ended as %T", done)
	}
	if got := firstText(t, done.Result); got != "multi_input received first=Ada, second=Grace" {
		t.Errorf("result text %q", got)
	}
	// An answer to a finished task is acked and changes nothing.
	c.ok(exttasks.MethodUpdateTask, map[string]any{"taskId": task.TaskID, "inputResponses": map[string]any{"second": accept("late")}})
}

// test_tool_with_task gathers its input over MRTR, with a sealed
// requestState, and only then creates its task.
func TestMRTRThenTask(t *testing.T) {
	c := &testClient{t: t, url: newTestServer(t, Config{}), tasks: true}
	raw := c.ok(methodCallTool, map[string]any{"name": "test_tool_with_task", "arguments": map[string]any{}})
	var round1 mcpdraft.InputRequiredResult
	if err := round1.UnmarshalJSON(raw); err != nil || round1.ResultType != resultInputRequired {
		t.Fatalf("round 1: %v %s", err, raw)
	}
	if _, ok := keysOf(raw)["taskId"]; ok || round1.RequestState == "" || round1.InputRequests["user_name"] == nil {
		t.Fatalf("round 1 = %s", raw)
	}
	retry := func(state string) response {
		return c.call(methodCallTool, map[string]any{
			"name": "test_tool_with_task", "arguments": map[string]any{}, "requestState": state,
			"inputResponses": map[string]any{"user_name": map[string]any{"action": "accept", "content": map[string]any{"name": "Alice"}}},
		}, nil)
	}
	if r := retry(round1.RequestState + "x"); r.rpcErr == nil || r.rpcErr.Code != exttasks.CodeInvalidParams {
		t.Fatalf("a tampered requestState was not refused: %+v", r)
	}
	r := retry(round1.RequestState)
	if r.rpcErr != nil {
		t.Fatal(r.rpcErr.Message)
	}
	var created exttasks.CreateTaskResult
	if err := created.UnmarshalJSON(r.result); err != nil {
		t.Fatalf("round 2 is not a CreateTaskResult: %v\n%s", err, r.result)
	}
	done, ok := c.waitTask(created.TaskID, terminal).(*exttasks.GetTaskResultCompleted)
	if !ok {
		t.Fatalf("task ended as %T", done)
	}
	if got := firstText(t, done.Result); !strings.Contains(got, "Alice") {
		t.Errorf("result %q does not carry the gathered name", got)
	}
}

// A tool error completes the task with isError; a crash fails it with the
// JSON-RPC error inlined.
func TestToolErrorVersusProtocolError(t *testing.T) {
	c := &testClient{t: t, url: newTestServer(t, Config{timings: toolTimings{failAfter: 1, crashAfter: 1, finishAfter: 1}}), tasks: true}
	failing, _ := c.callTool("failing_job", nil)
	crashing, _ := c.callTool("protocol_error_job", nil)
	completed, ok := c.waitTask(failing.TaskID, terminal).(*exttasks.GetTaskResultCompleted)
	if !ok || completed.Result["isError"] != true {
		t.Errorf("failing_job ended as %#v", completed)
	}
	failed, ok := c.waitTask(crashing.TaskID, terminal).(*exttasks.GetTaskResultFailed)
	if !ok || failed.Error.Code != exttasks.CodeInternalError {
		t.Errorf("protocol_error_job ended as %#v", failed)
	}
}

func TestRemovedMethodsAndDiscover(t *testing.T) {
	c := &testClient{t: t, url: newTestServer(t, Config{}), tasks: true}
	// The transport spec answers a method the server does not implement
	// with 404 Not Found and -32601.
	for _, m := range []string{"tasks/result", "tasks/list", "initialize", "no/such/method"} {
		c.fails(m, map[string]any{"taskId": "x"}, nil, exttasks.CodeMethodNotFound, http.StatusNotFound)
	}
	raw := c.ok(methodDiscover, nil)
	var d mcpdraft.DiscoverResult
	if err := d.UnmarshalJSON(raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := d.Capabilities.Extensions[exttasks.ExtensionID]; !ok {
		t.Errorf("discover does not advertise the extension: %s", raw)
	}
	if _, ok := keysOf(keysOf(raw)["capabilities"])["tasks"]; ok {
		t.Errorf("discover carries a capabilities.tasks key: %s", raw)
	}
	var tools mcpdraft.ListToolsResult
	if err := tools.UnmarshalJSON(c.ok(methodListTools, nil)); err != nil {
		t.Fatal(err)
	}
	if len(tools.Tools) != 7 {
		t.Errorf("tools/list lists %d tools, want the 7 fixtures", len(tools.Tools))
	}
}

// run prints the endpoint on stdout, serves it, and stops cleanly; it
// refuses addresses beyond loopback.
func TestRunPrintsURLAndServesLoopbackOnly(t *testing.T) {
	if _, err := listenLoopback("0.0.0.0:0"); err == nil {
		t.Error("listening on 0.0.0.0 was allowed")
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, "127.0.0.1:0", pw, Config{Logf: t.Logf}) }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url := strings.TrimSpace(line)
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/mcp") {
		t.Fatalf("printed URL %q", url)
	}
	c := &testClient{t: t, url: url}
	c.ok(methodDiscover, nil)
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("run: %v", err)
	}
}

// The transport rules of 2026-07-28 Streamable HTTP that a client can get
// wrong, each answered with its HTTP status before the body is read.
func TestTransportRejections(t *testing.T) {
	url := newTestServer(t, Config{Owners: map[string]string{"good-token": "alice"}})
	discover := `{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}`
	for _, tc := range []struct {
		name    string
		headers map[string]string
		host    string
		body    string
		status  int
	}{
		{"a well-formed request", nil, "", discover, http.StatusOK},
		{"Host of another name (DNS rebinding)", nil, "evil.example:80", discover, http.StatusForbidden},
		{"Host localhost", nil, "localhost:1234", discover, http.StatusOK},
		{"Content-Type text/plain", map[string]string{"Content-Type": "text/plain"}, "", discover, http.StatusUnsupportedMediaType},
		{"Accept text/html only", map[string]string{"Accept": "text/html"}, "", discover, http.StatusNotAcceptable},
		{"unknown bearer token", map[string]string{"Authorization": "Bearer bad-token"}, "", discover, http.StatusUnauthorized},
		{"known bearer token", map[string]string{"Authorization": "Bearer good-token"}, "", discover, http.StatusOK},
		{"a body beyond the limit", nil, "", `{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"x":"` + strings.Repeat("a", maxBodyBytes) + `"}}`, http.StatusRequestEntityTooLarge},
		{"_meta without clientCapabilities", nil, "", `{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}`, http.StatusBadRequest},
		// The schema takes it as a notification; JSON-RPC, as a request
		// with an id that is no RequestId.
		{"a request whose id is true", nil, "", `{"jsonrpc":"2.0","id":true,"method":"server/discover"}`, http.StatusBadRequest},
		{"a request whose id is null", nil, "", `{"jsonrpc":"2.0","id":null,"method":"server/discover"}`, http.StatusBadRequest},
	} {
		req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set(headerProtocolVersion, protocolVersion)
		req.Header.Set(headerMethod, methodDiscover)
		for k, v := range tc.headers {
			req.Header.Set(k, v)
		}
		if tc.host != "" {
			req.Host = tc.host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: HTTP %d, want %d (%s)", tc.name, resp.StatusCode, tc.status, bytes.TrimSpace(data))
		}
	}
}

// Mcp-Name carries a value a header cannot hold as it is in the transport
// spec's Base64 form, "=?base64?...?=".
func TestEncodedNameHeader(t *testing.T) {
	c := &testClient{t: t, url: newTestServer(t, Config{}), tasks: true}
	greet := map[string]any{"name": "greet", "arguments": map[string]any{"name": "x"}}
	c.call(methodCallTool, greet, map[string]string{exttasks.NameHeader: "=?base64?Z3JlZXQ=?="}) // "greet"
	if r := c.call(methodCallTool, greet, map[string]string{exttasks.NameHeader: "=?base64?Z3JlZXQ=?="}); r.rpcErr != nil {
		t.Errorf("a Base64-encoded Mcp-Name of the right tool: %d %s", r.rpcErr.Code, r.rpcErr.Message)
	}
	for _, bad := range []string{"=?base64?c2xvdw==?=", "=?base64?!!!?=", "=?base64?Z3JlZXQ="} {
		c.fails(methodCallTool, greet, map[string]string{exttasks.NameHeader: bad}, exttasks.CodeHeaderMismatch, http.StatusBadRequest)
	}
}

// Arguments that do not fit the tool's input schema are a tool execution
// error (a result with isError), which the model can correct, and no task.
func TestInvalidArgumentsAreToolErrors(t *testing.T) {
	c := &testClient{t: t, url: newTestServer(t, Config{}), tasks: true}
	for _, args := range []map[string]any{{}, {"seconds": "soon"}, {"seconds": 1, "label": 7}} {
		task, res := c.callTool("slow_compute", args)
		if task != nil || res == nil || res.IsError == nil || !*res.IsError {
			t.Errorf("slow_compute %v: task %v, result %+v, want an isError result", args, task, res)
			continue
		}
		if text := res.Content[0].(*mcpdraft.TextContent).Text; !strings.Contains(text, "invalid arguments") {
			t.Errorf("slow_compute %v: %q", args, text)
		}
	}
}

// Tasks are bound to the owner whose bearer token created them: another
// owner's tasks/get, update and cancel answer as for an unknown id.
func TestOwnersSeeOnlyTheirTasks(t *testing.T) {
	url := newTestServer(t, Config{Owners: map[string]string{"token-a": "alice", "token-b": "bob"}})
	alice := &testClient{t: t, url: url, tasks: true}
	task, _ := alice.callToolAs("token-a", "slow_compute", map[string]any{"seconds": 30})
	for _, m := range []string{exttasks.MethodGetTask, exttasks.MethodCancelTask, exttasks.MethodUpdateTask} {
		params := map[string]any{"taskId": task.TaskID, "inputResponses": map[string]any{}}
		e := alice.fails(m, params, map[string]string{"Authorization": "Bearer token-b"}, exttasks.CodeInvalidParams, http.StatusOK)
		if e.Message != "unknown task: "+task.TaskID {
			t.Errorf("%s of alice's task by bob: %q", m, e.Message)
		}
		// Nor does a request without a token see it.
		alice.fails(m, params, nil, exttasks.CodeInvalidParams, http.StatusOK)
	}
	r := alice.call(exttasks.MethodGetTask, map[string]any{"taskId": task.TaskID}, map[string]string{"Authorization": "Bearer token-a"})
	if r.rpcErr != nil {
		t.Fatalf("alice's own tasks/get: %s", r.rpcErr.Message)
	}
	if _, ok := must(exttasks.UnmarshalGetTaskResult(r.result)).(*exttasks.GetTaskResultWorking); !ok {
		t.Errorf("bob's cancel changed alice's task: %s", r.result)
	}
}

func (c *testClient) callToolAs(token, name string, args map[string]any) (*exttasks.CreateTaskResult, *mcpdraft.CallToolResult) {
	c.t.Helper()
	r := c.call(methodCallTool, map[string]any{"name": name, "arguments": args}, map[string]string{"Authorization": "Bearer " + token})
	if r.rpcErr != nil {
		c.t.Fatalf("tools/call %s: %s", name, r.rpcErr.Message)
	}
	var complete mcpdraft.CallToolResult
	task, err := exttasks.DecodeTaskAugmentedResult(r.result, &complete)
	if err != nil {
		c.t.Fatal(err)
	}
	return task, &complete
}

// With SyncWait, the server answers a call at once when its work is done
// in time, and with a task otherwise, for the same tool and client.
func TestSyncWaitDecides(t *testing.T) {
	quick := toolTimings{failAfter: 1, crashAfter: 1, finishAfter: 1}
	c := &testClient{t: t, url: newTestServer(t, Config{SyncWait: 300 * time.Millisecond, timings: quick}), tasks: true}
	task, res := c.callTool("slow_compute", map[string]any{"seconds": 0, "label": "quick"})
	if task != nil || res == nil || res.ResultType != resultComplete {
		t.Errorf("quick slow_compute: task %v, result %+v, want the result at once", task, res)
	}
	task, _ = c.callTool("slow_compute", map[string]any{"seconds": 2, "label": "slow"})
	if task == nil {
		t.Fatal("slow slow_compute answered at once, want a task")
	}
	// A tool that needs a task gets one however quick it is.
	if task, _ := c.callTool("failing_job", nil); task == nil {
		t.Error("failing_job, which needs a task, answered at once")
	}
}
