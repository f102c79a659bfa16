package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// testConn is an in-process client of a Server over io.Pipe. Every line the
// server writes is decoded with the generated UnmarshalJSONRPCMessage (so an
// off-schema envelope fails the test) and routed by its raw id.
type testConn struct {
	t   *testing.T
	srv *Server
	in  *io.PipeWriter

	wmu    sync.Mutex
	mu     sync.Mutex
	nextID int64
	// waiting maps the raw JSON of an id to the channel its response goes to.
	waiting map[string]chan reply
	// unrouted gets responses whose id is absent or was not waited for.
	unrouted chan reply
	notes    chan mcp.TaskStatusNotificationParams

	served chan error
	read   chan struct{}
	logw   *testLogWriter
}

// reply is one response as the server wrote it.
type reply struct {
	rawID  string // "" when absent
	result json.RawMessage
	err    *mcp.Error
	line   string
}

// testLogWriter sends the server's log to t.Log until the test ends, and
// counts the moves the engine's lifecycle refused, which would be bugs of
// the engine (tests require zero).
type testLogWriter struct {
	mu      sync.Mutex
	t       *testing.T
	done    bool
	refused int
	text    strings.Builder
}

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if strings.Contains(string(p), refusedMove) {
		w.refused++
	}
	w.text.Write(p)
	if !w.done {
		w.t.Log(strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}

// refusedMove is what the engine logs when its lifecycle refuses a move.
const refusedMove = "the lifecycle refused a move"

// logged returns the server's log so far.
func (w *testLogWriter) logged() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.text.String()
}

// startServer runs a Server over pipes with test-friendly defaults (status
// notifications on, 20 ms poll interval); edit adjusts the Config.
func startServer(t *testing.T, edit func(*Config)) *testConn {
	t.Helper()
	logw := &testLogWriter{t: t}
	cfg := Config{Notify: true, PollInterval: 20 * time.Millisecond, Log: log.New(logw, "server: ", log.Lmicroseconds)}
	if edit != nil {
		edit(&cfg)
	}
	srv := NewServer(cfg)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	c := &testConn{
		t: t, srv: srv, in: inW,
		waiting:  map[string]chan reply{},
		unrouted: make(chan reply, 100),
		notes:    make(chan mcp.TaskStatusNotificationParams, 100),
		served:   make(chan error, 1),
		read:     make(chan struct{}),
		logw:     logw,
	}
	go func() {
		c.served <- srv.Serve(context.Background(), inR, outW)
		outW.Close()
	}()
	go c.readLoop(outR)
	t.Cleanup(c.close)
	return c
}

func (c *testConn) close() {
	c.in.Close()
	select {
	case err := <-c.served:
		if err != nil {
			c.t.Errorf("Serve returned %v, want nil at end of input", err)
		}
	case <-time.After(5 * time.Second):
		c.t.Errorf("Serve did not return within 5s of the end of its input")
	}
	<-c.read
	c.logw.mu.Lock()
	if n := c.logw.refused; n != 0 {
		c.t.Errorf("the engine attempted %d illegal status moves", n)
	}
	c.logw.mu.Unlock()
	select {
	case r := <-c.unrouted:
		c.t.Errorf("unexpected message from the server: %s", r.line)
	default:
	}
	c.logw.mu.Lock()
	c.logw.done = true
	c.logw.mu.Unlock()
}

func (c *testConn) readLoop(r io.Reader) {
	defer close(c.read)
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		line := sc.Text()
		msg, err := mcp.UnmarshalJSONRPCMessage([]byte(line))
		if err != nil {
			c.t.Errorf("server wrote a line that is not a JSON-RPC message (%v): %s", err, line)
			continue
		}
		var raw struct {
			ID     json.RawMessage `json:"id"`
			Result json.RawMessage `json:"result"`
		}
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			c.t.Errorf("server line: %v", err)
			continue
		}
		switch m := msg.(type) {
		case *mcp.JSONRPCResultResponse:
			c.route(reply{rawID: string(raw.ID), result: raw.Result, line: line})
		case *mcp.JSONRPCErrorResponse:
			e := m.Error
			c.route(reply{rawID: string(raw.ID), err: &e, line: line})
		case *mcp.JSONRPCNotification:
			if m.Method != mcp.MethodTaskStatusNotification {
				c.t.Errorf("unexpected notification %s", line)
				continue
			}
			var n mcp.TaskStatusNotification
			if err := n.UnmarshalJSON([]byte(line)); err != nil {
				c.t.Errorf("notifications/tasks/status does not decode as TaskStatusNotification: %v: %s", err, line)
				continue
			}
			select {
			case c.notes <- n.Params:
			default:
				c.t.Errorf("too many notifications")
			}
		default:
			c.t.Errorf("server sent a request: %s", line)
		}
	}
	if err := sc.Err(); err != nil {
		c.t.Errorf("reading the server: %v", err)
	}
}

func (c *testConn) route(r reply) {
	c.mu.Lock()
	ch, ok := c.waiting[r.rawID]
	delete(c.waiting, r.rawID)
	c.mu.Unlock()
	if !ok {
		ch = c.unrouted
	}
	ch <- r
}

// send writes one raw line.
func (c *testConn) send(line string) {
	c.t.Helper()
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := io.WriteString(c.in, line+"\n"); err != nil {
		c.t.Fatalf("write to server: %v", err)
	}
}

// expect registers interest in the response whose id is rawID (as JSON).
func (c *testConn) expect(rawID string) chan reply {
	ch := make(chan reply, 1)
	c.mu.Lock()
	c.waiting[rawID] = ch
	c.mu.Unlock()
	return ch
}

// start sends a request with a fresh integer id and returns where its
// response will arrive.
func (c *testConn) start(method string, params any) (string, chan reply) {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := strconv.FormatInt(c.nextID, 10)
	c.mu.Unlock()
	ch := c.expect(id)
	line := `{"jsonrpc":"2.0","id":` + id + `,"method":` + strconv.Quote(method)
	if params != nil {
		p, ok := params.(string)
		if !ok {
			data, err := json.Marshal(params)
			if err != nil {
				c.t.Fatal(err)
			}
			p = string(data)
		}
		line += `,"params":` + p
	}
	c.send(line + "}")
	return id, ch
}

func (c *testConn) wait(ch chan reply, what string) reply {
	c.t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(5 * time.Second):
		c.t.Fatalf("%s: no response within 5s", what)
	}
	return reply{}
}

// call sends a request and waits for its response. params is JSON text (a
// string) or a value to marshal.
func (c *testConn) call(method string, params any) (json.RawMessage, *mcp.Error) {
	c.t.Helper()
	_, ch := c.start(method, params)
	r := c.wait(ch, method)
	return r.result, r.err
}

// mustCall is call for a request that must succeed.
func (c *testConn) mustCall(method string, params any) json.RawMessage {
	c.t.Helper()
	res, err := c.call(method, params)
	if err != nil {
		c.t.Fatalf("%s %v: error %d %q", method, params, err.Code, err.Message)
	}
	return res
}

// callErr is call for a request that must fail with code; it returns the
// error.
func (c *testConn) callErr(method string, params any, code int64) *mcp.Error {
	c.t.Helper()
	res, err := c.call(method, params)
	if err == nil {
		c.t.Fatalf("%s %v: got result %s, want error %d", method, params, res, code)
	}
	if err.Code != code {
		c.t.Fatalf("%s %v: error %d %q, want code %d", method, params, err.Code, err.Message, code)
	}
	return err
}

// decode decodes JSON with the generated type's validating UnmarshalJSON.
func decode[T any, PT interface {
	*T
	json.Unmarshaler
}](t *testing.T, data []byte) *T {
	t.Helper()
	v := PT(new(T))
	if err := v.UnmarshalJSON(data); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, data)
	}
	return (*T)(v)
}

// startTask calls a tool as a task and returns the task.
func (c *testConn) startTask(tool string, args map[string]any, ttl *int64) mcp.Task {
	c.t.Helper()
	params := map[string]any{"name": tool, "task": map[string]any{}}
	if args != nil {
		params["arguments"] = args
	}
	if ttl != nil {
		params["task"] = map[string]any{"ttl": *ttl}
	}
	return decode[mcp.CreateTaskResult](c.t, c.mustCall(mcp.MethodCallTool, params)).Task
}

func (c *testConn) getTask(id string) *mcp.GetTaskResult {
	c.t.Helper()
	return decode[mcp.GetTaskResult](c.t, c.mustCall(mcp.MethodGetTask, map[string]any{"taskId": id}))
}

// pollUntil polls tasks/get until the task is terminal, returning the
// statuses seen.
func (c *testConn) pollUntilTerminal(id string) ([]mcp.TaskStatus, *mcp.GetTaskResult) {
	c.t.Helper()
	var seen []mcp.TaskStatus
	deadline := time.Now().Add(5 * time.Second)
	for {
		g := c.getTask(id)
		seen = append(seen, g.Status)
		if g.Status.IsTerminal() {
			return seen, g
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("task %s still %s after 5s", id, g.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// note waits for a status notification about task id with status s.
func (c *testConn) note(id string, s mcp.TaskStatus) mcp.TaskStatusNotificationParams {
	c.t.Helper()
	timeout := time.After(2 * time.Second)
	for {
		select {
		case n := <-c.notes:
			if n.TaskID == id && n.Status == s {
				return n
			}
		case <-timeout:
			c.t.Fatalf("no notifications/tasks/status for %s → %s", id, s)
		}
	}
}

func int64p(v int64) *int64 { return &v }

func textOf(t *testing.T, res *mcp.CallToolResult) string {
	t.Helper()
	if len(res.Content) != 1 {
		t.Fatalf("content has %d blocks, want 1", len(res.Content))
	}
	tc, ok := res.Content[0].(*mcp.TextContent)
	if !ok {
		t.Fatalf("content[0] is %T, want *TextContent", res.Content[0])
	}
	return tc.Text
}

// testTools adds hidden tools to the default table: "panic" panics, and
// "block" runs until its context ends, reporting start and stop.
type blockProbe struct {
	started chan struct{}
	stopped chan error
}

func withTestTools(p *blockProbe) func(*Config) {
	return func(cfg *Config) {
		cfg.Tools = append(DefaultTools(), Tool{
			Def: mcp.Tool{
				Name:      "panic",
				Execution: &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportOptional},
			},
			Hidden: true,
			Run: func(ctx context.Context, args map[string]any) (*mcp.CallToolResult, error) {
				panic("boom")
			},
		}, Tool{
			Def: mcp.Tool{
				Name:      "block",
				Execution: &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportOptional},
			},
			Hidden: true,
			Run: func(ctx context.Context, args map[string]any) (*mcp.CallToolResult, error) {
				if p != nil {
					p.started <- struct{}{}
				}
				<-ctx.Done()
				if p != nil {
					p.stopped <- ctx.Err()
				}
				return nil, fmt.Errorf("block: %w", ctx.Err())
			},
		})
	}
}

func newProbe() *blockProbe {
	return &blockProbe{started: make(chan struct{}, 10), stopped: make(chan error, 10)}
}

func (p *blockProbe) waitStarted(t *testing.T) {
	t.Helper()
	select {
	case <-p.started:
	case <-time.After(2 * time.Second):
		t.Fatal("the block tool did not start")
	}
}

// waitStopped waits for the work to see its context end, cancelled (want
// context.Canceled) or at the end of the task's ttl, its deadline (want
// context.DeadlineExceeded).
func (p *blockProbe) waitStopped(t *testing.T, want error) {
	t.Helper()
	select {
	case err := <-p.stopped:
		if err != want {
			t.Errorf("work stopped with %v, want %v", err, want)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the task's work was not stopped")
	}
}
