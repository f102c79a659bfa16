package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// The load test drives one demo server over pipes with loadRequests
// concurrent requests and audits the whole exchange afterwards: how many
// answers each id got, whether each answer fits its request, every status
// sequence each task showed, the store's refused moves, the tools' work and
// the goroutines left behind.

// loadCounters count what the load tools did.
type loadCounters struct {
	panics       atomic.Int64 // load_panic runs (each one panics)
	blockStarted atomic.Int64 // load_block runs started
	blockStopped atomic.Int64 // load_block runs that saw their context end
}

// withLoadTools is withTestTools plus two hidden tools that count their
// runs: load_panic panics with its "tag" argument in the message (so that
// the answer can be matched to its request), and load_block runs until its
// context ends.
func withLoadTools(lc *loadCounters) func(*Config) {
	return func(cfg *Config) {
		withTestTools(nil)(cfg)
		optional := &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportOptional}
		cfg.Tools = append(cfg.Tools, Tool{
			Def:    mcp.Tool{Name: "load_panic", Execution: optional},
			Hidden: true,
			Run: func(ctx context.Context, args map[string]any) (*mcp.CallToolResult, error) {
				lc.panics.Add(1)
				panic(fmt.Sprintf("boom %v", args["tag"]))
			},
		}, Tool{
			Def:    mcp.Tool{Name: "load_block", Execution: optional},
			Hidden: true,
			Run: func(ctx context.Context, args map[string]any) (*mcp.CallToolResult, error) {
				lc.blockStarted.Add(1)
				<-ctx.Done()
				lc.blockStopped.Add(1)
				return nil, fmt.Errorf("load_block: %w", ctx.Err())
			},
		})
	}
}

// statusSeen is one observation of a task's status.
type statusSeen struct {
	status  mcp.TaskStatus
	updated string // lastUpdatedAt
	src     string // create, get, cancel, list or notification
}

// loadConn is a client of a Server over io.Pipe that counts every message
// the server writes: answers per request id, and status notifications per
// task. Unlike testConn it never drops or reroutes an answer, and it can be
// closed in the middle of a test (to count goroutines afterwards).
type loadConn struct {
	t   *testing.T
	srv *Server
	in  *io.PipeWriter

	wmu    sync.Mutex
	nextID atomic.Int64

	mu sync.Mutex
	// sent maps the raw JSON id of every request sent to its method.
	sent map[string]string
	// noAnswer holds the ids of requests the client cancelled
	// (notifications/cancelled): MCP sends no response for them.
	noAnswer map[string]bool
	// answers counts the responses per raw id; waiting holds the channel of
	// a request whose first response has not arrived.
	answers map[string]int
	waiting map[string]chan reply
	// stray holds responses whose id is absent or was never sent.
	stray []string
	// client holds, per task, what the request/response exchanges about it
	// showed, in the order the one goroutine handling the task saw them
	// (each request sent after the previous answer arrived).
	client map[string][]statusSeen
	// notes holds, per task, the status notifications in arrival order.
	notes map[string][]statusSeen
	// listed holds, per task, what tasks/list showed of it.
	listed map[string][]statusSeen
	lines  int
	nNotes int
	// peakGoroutines is the most goroutines seen when an answer arrived.
	peakGoroutines atomic.Int64

	served chan error
	read   chan struct{}
	logw   *testLogWriter
}

// refusedMoves counts the moves the engine's lifecycle refused.
func (c *loadConn) refusedMoves() int {
	c.logw.mu.Lock()
	defer c.logw.mu.Unlock()
	return c.logw.refused
}

// startLoadServer runs a Server over pipes; its log is discarded (a load
// run logs every status change).
func startLoadServer(t *testing.T, edit func(*Config)) *loadConn {
	logw := &testLogWriter{t: t, done: true} // counted, not shown
	cfg := Config{Notify: true, PollInterval: 20 * time.Millisecond, Log: log.New(logw, "", 0)}
	edit(&cfg)
	srv := NewServer(cfg)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	c := &loadConn{
		t: t, srv: srv, in: inW,
		sent:     map[string]string{},
		noAnswer: map[string]bool{},
		answers:  map[string]int{},
		waiting:  map[string]chan reply{},
		client:   map[string][]statusSeen{},
		notes:    map[string][]statusSeen{},
		listed:   map[string][]statusSeen{},
		served:   make(chan error, 1),
		read:     make(chan struct{}),
		logw:     logw,
	}
	go func() {
		c.served <- srv.Serve(context.Background(), inR, outW)
		outW.Close()
	}()
	go c.readLoop(outR)
	return c
}

// close ends the input and waits until Serve has returned and every line it
// wrote has been read.
func (c *loadConn) close() {
	c.in.Close()
	select {
	case err := <-c.served:
		if err != nil {
			c.t.Errorf("Serve returned %v, want nil at end of input", err)
		}
	case <-time.After(30 * time.Second):
		c.t.Fatalf("Serve did not return within 30s of the end of its input")
	}
	<-c.read
}

func (c *loadConn) readLoop(r io.Reader) {
	defer close(c.read)
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		msg, err := mcp.UnmarshalJSONRPCMessage(line)
		if err != nil {
			c.t.Errorf("server wrote a line that is not a JSON-RPC message (%v): %s", err, line)
			continue
		}
		var raw struct {
			ID     json.RawMessage `json:"id"`
			Result json.RawMessage `json:"result"`
		}
		if err := json.Unmarshal(line, &raw); err != nil {
			c.t.Errorf("server line: %v", err)
			continue
		}
		r := reply{rawID: string(raw.ID), line: string(line)}
		switch m := msg.(type) {
		case *mcp.JSONRPCResultResponse:
			r.result = slices.Clone(raw.Result)
		case *mcp.JSONRPCErrorResponse:
			e := m.Error
			r.err = &e
		case *mcp.JSONRPCNotification:
			c.notification(m.Method, line)
			continue
		default:
			c.t.Errorf("server sent a request: %s", line)
			continue
		}
		c.mu.Lock()
		c.lines++
		c.answers[r.rawID]++
		if _, ok := c.sent[r.rawID]; !ok {
			c.stray = append(c.stray, r.line)
		}
		ch := c.waiting[r.rawID]
		delete(c.waiting, r.rawID)
		c.mu.Unlock()
		if ch != nil {
			ch <- r // buffered: never blocks
		}
	}
	if err := sc.Err(); err != nil {
		c.t.Errorf("reading the server: %v", err)
	}
}

func (c *loadConn) notification(method string, line []byte) {
	if method != mcp.MethodTaskStatusNotification {
		c.t.Errorf("unexpected notification %s", line)
		return
	}
	var n mcp.TaskStatusNotification
	if err := n.UnmarshalJSON(line); err != nil {
		c.t.Errorf("notifications/tasks/status does not decode: %v: %s", err, line)
		return
	}
	c.mu.Lock()
	c.nNotes++
	c.notes[n.Params.TaskID] = append(c.notes[n.Params.TaskID], statusSeen{n.Params.Status, n.Params.LastUpdatedAt, "notification"})
	c.mu.Unlock()
}

// newID returns a fresh raw JSON id, alternately an integer and a string.
func (c *loadConn) newID() string {
	n := c.nextID.Add(1)
	if n%2 == 0 {
		return strconv.FormatInt(n, 10)
	}
	return strconv.Quote("load-" + strconv.FormatInt(n, 10))
}

func (c *loadConn) writeLine(line string) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := io.WriteString(c.in, line+"\n"); err != nil {
		c.t.Errorf("write to server: %v", err)
	}
}

// start sends a request and returns its raw id and where its (first)
// response will arrive. params is a value to marshal, or nil.
func (c *loadConn) start(method string, params any) (string, chan reply) {
	id := c.newID()
	ch := make(chan reply, 1)
	c.mu.Lock()
	c.sent[id] = method
	c.waiting[id] = ch
	c.mu.Unlock()
	line := `{"jsonrpc":"2.0","id":` + id + `,"method":` + strconv.Quote(method)
	if params != nil {
		data, err := json.Marshal(params)
		if err != nil {
			c.t.Errorf("marshal params: %v", err)
		}
		line += `,"params":` + string(data)
	}
	c.writeLine(line + "}")
	return id, ch
}

// wait returns the response on ch; ok is false (and the test failed) when
// none came within 20s.
func (c *loadConn) wait(ch chan reply, what string) (reply, bool) {
	select {
	case r := <-ch:
		for n := int64(runtime.NumGoroutine()); ; {
			peak := c.peakGoroutines.Load()
			if n <= peak || c.peakGoroutines.CompareAndSwap(peak, n) {
				break
			}
		}
		return r, true
	case <-time.After(20 * time.Second):
		c.t.Errorf("%s: no response within 20s", what)
		return reply{}, false
	}
}

// call sends a request and waits for its response.
func (c *loadConn) call(method string, params any) (reply, bool) {
	_, ch := c.start(method, params)
	return c.wait(ch, method)
}

// result requires r to be a result and decodes it into v.
func (c *loadConn) result(r reply, ok bool, what string, v json.Unmarshaler) bool {
	if !ok {
		return false
	}
	if r.err != nil {
		c.t.Errorf("%s: error %d %q, want a result", what, r.err.Code, r.err.Message)
		return false
	}
	if err := v.UnmarshalJSON(r.result); err != nil {
		c.t.Errorf("%s: result does not decode as %T: %v\n%s", what, v, err, r.result)
		return false
	}
	return true
}

// rpcErr requires r to be an error with code whose message contains every
// one of substrs.
func (c *loadConn) rpcErr(r reply, ok bool, what string, code int64, substrs ...string) bool {
	if !ok {
		return false
	}
	if r.err == nil {
		c.t.Errorf("%s: result %s, want error %d", what, r.result, code)
		return false
	}
	if r.err.Code != code {
		c.t.Errorf("%s: error %d %q, want code %d", what, r.err.Code, r.err.Message, code)
		return false
	}
	for _, s := range substrs {
		if !strings.Contains(r.err.Message, s) {
			c.t.Errorf("%s: error %q, want it to contain %q", what, r.err.Message, s)
			return false
		}
	}
	return true
}

// observe records a status the exchanges about task id showed.
func (c *loadConn) observe(id, src string, status mcp.TaskStatus, updated string) {
	c.mu.Lock()
	c.client[id] = append(c.client[id], statusSeen{status, updated, src})
	c.mu.Unlock()
}

// getTask sends tasks/get for id, checks the answer is about id, records
// the status and returns it ("" on failure).
func (c *loadConn) getTask(id, what string) *mcp.GetTaskResult {
	var g mcp.GetTaskResult
	r, ok := c.call(mcp.MethodGetTask, map[string]any{"taskId": id})
	if !c.result(r, ok, what+": tasks/get", &g) {
		return nil
	}
	if g.TaskID != id {
		c.t.Errorf("%s: tasks/get of %s answered about task %s", what, id, g.TaskID)
	}
	c.observe(id, "get", g.Status, g.LastUpdatedAt)
	return &g
}

// createTask calls tool as a task and records the task it answers.
func (c *loadConn) createTask(tool string, args map[string]any, what string) (string, bool) {
	var cr mcp.CreateTaskResult
	r, ok := c.call(mcp.MethodCallTool, map[string]any{"name": tool, "arguments": args, "task": map[string]any{}})
	if !c.result(r, ok, what+": task-augmented tools/call", &cr) {
		return "", false
	}
	if cr.Task.Status != mcp.TaskStatusWorking || cr.Task.TaskID == "" {
		c.t.Errorf("%s: CreateTaskResult %+v, want a working task", what, cr.Task)
	}
	c.observe(cr.Task.TaskID, "create", cr.Task.Status, cr.Task.LastUpdatedAt)
	return cr.Task.TaskID, true
}

// payloadText requires a tasks/result answer to be the CallToolResult with
// text want, tied to task id by the related-task _meta.
func (c *loadConn) payloadText(r reply, ok bool, id, want, what string) {
	var res mcp.CallToolResult
	if !c.result(r, ok, what+": tasks/result", &res) {
		return
	}
	if rel, ok := mcp.RelatedTaskOf(res.Meta); !ok || rel.TaskID != id {
		c.t.Errorf("%s: tasks/result _meta %v, want related-task %s", what, res.Meta, id)
	}
	c.text(&res, want, what+": tasks/result")
}

func (c *loadConn) text(res *mcp.CallToolResult, want, what string) {
	if len(res.Content) != 1 {
		c.t.Errorf("%s: %d content blocks, want 1", what, len(res.Content))
		return
	}
	if tc, ok := res.Content[0].(*mcp.TextContent); !ok || tc.Text != want {
		c.t.Errorf("%s: content %#v, want the text %q", what, res.Content[0], want)
	}
}

// loadStats are the figures the test logs.
type loadStats struct {
	concurrent           atomic.Int64 // requests of the concurrent phase
	panicAnswers         atomic.Int64 // -32603 answers naming a panic
	panickedTasks        atomic.Int64 // tasks ended failed by a panic
	cancelsSent          atomic.Int64
	cancelsOK            atomic.Int64
	cancelsRefused       atomic.Int64
	raceCancelWon        atomic.Int64 // race: the cancel came first
	raceCompletionWon    atomic.Int64 // race: the work finished first
	tasksLeftWorking     atomic.Int64
	clientCancelRequests atomic.Int64 // requests ended by notifications/cancelled
}

const loadRequests = 1000

// A loadScenario is one client's sequence of requests about one thing;
// requests is how many it sends, so that the mix adds up to loadRequests.
type loadScenario struct {
	name     string
	count    int // how many clients run it
	requests int // requests each sends
	run      func(c *loadConn, st *loadStats, i int, tag string)
}

func loadScenarios() []loadScenario {
	return []loadScenario{{
		// A task that completes at once: get, result, get.
		name: "echoTask", count: 60, requests: 4,
		run: func(c *loadConn, st *loadStats, i int, tag string) {
			id, ok := c.createTask("echo", map[string]any{"text": tag}, tag)
			if !ok {
				return
			}
			c.getTask(id, tag)
			r, ok := c.call(mcp.MethodGetTaskPayload, map[string]any{"taskId": id})
			c.payloadText(r, ok, id, tag, tag)
			if g := c.getTask(id, tag); g != nil && g.Status != mcp.TaskStatusCompleted {
				c.t.Errorf("%s: after tasks/result the task is %s, want completed", tag, g.Status)
			}
		},
	}, {
		// A task that works a few tens of ms, polled while it works.
		name: "slowTask", count: 30, requests: 5,
		run: func(c *loadConn, st *loadStats, i int, tag string) {
			secs := 0.02 + float64(i)/10000
			id, ok := c.createTask("slow_compute", map[string]any{"seconds": secs}, tag)
			if !ok {
				return
			}
			c.getTask(id, tag)
			time.Sleep(5 * time.Millisecond)
			c.getTask(id, tag)
			r, ok := c.call(mcp.MethodGetTaskPayload, map[string]any{"taskId": id})
			c.payloadText(r, ok, id, "slow_compute: computed for "+strconv.FormatFloat(secs, 'f', -1, 64)+"s", tag)
			if g := c.getTask(id, tag); g != nil && g.Status != mcp.TaskStatusCompleted {
				c.t.Errorf("%s: after tasks/result the task is %s, want completed", tag, g.Status)
			}
		},
	}, {
		// tasks/cancel racing the task's own completion: either wins, and
		// everything after agrees with the winner.
		name: "raceCancel", count: 30, requests: 5,
		run: func(c *loadConn, st *loadStats, i int, tag string) {
			secs := float64(i%10) * 0.005
			id, ok := c.createTask("slow_compute", map[string]any{"seconds": secs}, tag)
			if !ok {
				return
			}
			st.cancelsSent.Add(1)
			r, ok := c.call(mcp.MethodCancelTask, map[string]any{"taskId": id})
			if !ok {
				return
			}
			want := mcp.TaskStatusCancelled
			if r.err != nil {
				// The work finished first: the cancel is refused.
				if !c.rpcErr(r, ok, tag+": tasks/cancel", mcp.CodeInvalidParams, "already completed") {
					return
				}
				st.cancelsRefused.Add(1)
				st.raceCompletionWon.Add(1)
				want = mcp.TaskStatusCompleted
			} else {
				var cr mcp.CancelTaskResult
				if !c.result(r, ok, tag+": tasks/cancel", &cr) {
					return
				}
				if cr.TaskID != id || cr.Status != mcp.TaskStatusCancelled {
					c.t.Errorf("%s: tasks/cancel answered %+v, want task %s cancelled", tag, cr, id)
				}
				c.observe(id, "cancel", cr.Status, cr.LastUpdatedAt)
				st.cancelsOK.Add(1)
				st.raceCancelWon.Add(1)
			}
			if g := c.getTask(id, tag); g != nil && g.Status != want {
				c.t.Errorf("%s: tasks/get after the race: %s, want %s", tag, g.Status, want)
			}
			r, ok = c.call(mcp.MethodGetTaskPayload, map[string]any{"taskId": id})
			if want == mcp.TaskStatusCancelled {
				c.rpcErr(r, ok, tag+": tasks/result of a cancelled task", mcp.CodeInvalidParams, "cancelled")
			} else {
				c.payloadText(r, ok, id, "slow_compute: computed for "+strconv.FormatFloat(secs, 'f', -1, 64)+"s", tag)
			}
			if g := c.getTask(id, tag); g != nil && g.Status != want {
				c.t.Errorf("%s: tasks/get at the end: %s, want %s", tag, g.Status, want)
			}
		},
	}, {
		// A handler that panics in the request, then a ping: the server
		// answers -32603 and goes on.
		name: "panicPlain", count: 40, requests: 2,
		run: func(c *loadConn, st *loadStats, i int, tag string) {
			r, ok := c.call(mcp.MethodCallTool, map[string]any{"name": "load_panic", "arguments": map[string]any{"tag": tag}})
			if c.rpcErr(r, ok, tag+": panicking tools/call", mcp.CodeInternalError, "internal error") {
				st.panicAnswers.Add(1)
			}
			var empty mcp.EmptyResult
			r, ok = c.call(mcp.MethodPing, nil)
			c.result(r, ok, tag+": ping after a panic", &empty)
		},
	}, {
		// A task whose work panics: it ends failed, and tasks/result is
		// the -32603 the plain call would have answered.
		name: "panicTask", count: 40, requests: 3,
		run: func(c *loadConn, st *loadStats, i int, tag string) {
			id, ok := c.createTask("load_panic", map[string]any{"tag": tag}, tag)
			if !ok {
				return
			}
			r, ok := c.call(mcp.MethodGetTaskPayload, map[string]any{"taskId": id})
			if c.rpcErr(r, ok, tag+": tasks/result of a panicked task", mcp.CodeInternalError, "panicked") {
				st.panicAnswers.Add(1)
				if strings.Contains(r.err.Message, "boom") {
					c.t.Errorf("%s: tasks/result of a panicked task tells the panic's value: %q", tag, r.err.Message)
				}
			}
			if g := c.getTask(id, tag); g != nil {
				if g.Status != mcp.TaskStatusFailed || !strings.Contains(g.StatusMessage, "panicked") || strings.Contains(g.StatusMessage, "boom") {
					c.t.Errorf("%s: panicked task is %s %q, want failed, saying it panicked without the panic's value", tag, g.Status, g.StatusMessage)
				} else {
					st.panickedTasks.Add(1)
				}
			}
		},
	}, {
		// A task that blocks until cancelled, with a tasks/result waiting
		// on it: cancel answers cancelled, the waiting tasks/result gets
		// -32602, a second cancel is refused, the task stays cancelled, and
		// a later tasks/result is -32602 too.
		name: "blockCancel", count: 20, requests: 7,
		run: func(c *loadConn, st *loadStats, i int, tag string) {
			id, ok := c.createTask("load_block", map[string]any{"tag": tag}, tag)
			if !ok {
				return
			}
			_, waiting := c.start(mcp.MethodGetTaskPayload, map[string]any{"taskId": id})
			if g := c.getTask(id, tag); g != nil && g.Status != mcp.TaskStatusWorking {
				c.t.Errorf("%s: a blocked task is %s, want working", tag, g.Status)
			}
			st.cancelsSent.Add(1)
			var cr mcp.CancelTaskResult
			r, ok := c.call(mcp.MethodCancelTask, map[string]any{"taskId": id})
			if c.result(r, ok, tag+": tasks/cancel", &cr) {
				st.cancelsOK.Add(1)
				if cr.TaskID != id || cr.Status != mcp.TaskStatusCancelled {
					c.t.Errorf("%s: tasks/cancel answered %+v, want task %s cancelled", tag, cr, id)
				}
				c.observe(id, "cancel", cr.Status, cr.LastUpdatedAt)
			}
			r, ok = c.wait(waiting, tag+": tasks/result waiting on a cancelled task")
			c.rpcErr(r, ok, tag+": tasks/result waiting on a cancelled task", mcp.CodeInvalidParams, "cancelled")
			st.cancelsSent.Add(1)
			r, ok = c.call(mcp.MethodCancelTask, map[string]any{"taskId": id})
			if c.rpcErr(r, ok, tag+": second tasks/cancel", mcp.CodeInvalidParams, "already cancelled") {
				st.cancelsRefused.Add(1)
			}
			if g := c.getTask(id, tag); g != nil && g.Status != mcp.TaskStatusCancelled {
				c.t.Errorf("%s: a cancelled task is now %s", tag, g.Status)
			}
			r, ok = c.call(mcp.MethodGetTaskPayload, map[string]any{"taskId": id})
			c.rpcErr(r, ok, tag+": tasks/result of a cancelled task", mcp.CodeInvalidParams, "cancelled")
		},
	}, {
		// A blocked task left working: the end of the connection stops it.
		name: "blockLeft", count: 10, requests: 2,
		run: func(c *loadConn, st *loadStats, i int, tag string) {
			id, ok := c.createTask("load_block", map[string]any{"tag": tag}, tag)
			if !ok {
				return
			}
			if g := c.getTask(id, tag); g != nil && g.Status == mcp.TaskStatusWorking {
				st.tasksLeftWorking.Add(1)
			} else if g != nil {
				c.t.Errorf("%s: a blocked task is %s, want working", tag, g.Status)
			}
		},
	}, {
		// Plain requests: echo, greet, ping, tasks/list.
		name: "plain", count: 25, requests: 4,
		run: func(c *loadConn, st *loadStats, i int, tag string) {
			var res mcp.CallToolResult
			r, ok := c.call(mcp.MethodCallTool, map[string]any{"name": "echo", "arguments": map[string]any{"text": tag}})
			if c.result(r, ok, tag+": echo", &res) {
				c.text(&res, tag, tag+": echo")
			}
			r, ok = c.call(mcp.MethodCallTool, map[string]any{"name": "greet", "arguments": map[string]any{"name": tag}})
			if c.result(r, ok, tag+": greet", &res) {
				c.text(&res, "Hello, "+tag+"!", tag+": greet")
			}
			var empty mcp.EmptyResult
			r, ok = c.call(mcp.MethodPing, nil)
			c.result(r, ok, tag+": ping", &empty)
			var list mcp.ListTasksResult
			r, ok = c.call(mcp.MethodListTasks, nil)
			if c.result(r, ok, tag+": tasks/list", &list) {
				c.mu.Lock()
				for _, task := range list.Tasks {
					c.listed[task.TaskID] = append(c.listed[task.TaskID], statusSeen{task.Status, task.LastUpdatedAt, "list"})
				}
				c.mu.Unlock()
			}
		},
	}}
}

// checkSteps validates every move of a status sequence with
// ValidateTransition; with collapse, repeated observations of one status
// are one state, not a move.
func checkSteps(seq []statusSeen, collapse bool) error {
	for i := 1; i < len(seq); i++ {
		prev, next := seq[i-1].status, seq[i].status
		if collapse && prev == next {
			continue
		}
		if err := mcp.ValidateTransition(prev, next); err != nil {
			return fmt.Errorf("step %d (%s → %s): %w", i, seq[i-1].src, seq[i].src, err)
		}
	}
	return nil
}

func describe(seq []statusSeen) string {
	parts := make([]string, len(seq))
	for i, s := range seq {
		parts[i] = fmt.Sprintf("%s:%s@%s", s.src, s.status, s.updated)
	}
	return strings.Join(parts, " ")
}

// TestDispatcherUnderLoad sends loadRequests requests at once through the
// demo server: task-augmented calls that complete, handlers that panic
// (plainly and as tasks), tasks that block until cancelled, tasks/cancel
// racing completion, tasks/get polling, tasks/result waiting, plain calls,
// and a few requests the client cancels (which get no answer). Then it
// closes the connection and checks that every request got exactly one
// answer, the right one; that no task status ever moved illegally, as the
// store saw it (refused moves) and as the client saw it (every status
// sequence from create/get/cancel answers and from notifications, each
// step checked with ValidateTransition); that cancelled tasks stayed
// cancelled; that every blocked work stopped; and that no goroutine was
// left behind.
func TestDispatcherUnderLoad(t *testing.T) {
	began := time.Now()
	goroutinesBefore := runtime.NumGoroutine()

	var lc loadCounters
	var st loadStats
	c := startLoadServer(t, withLoadTools(&lc))

	// The plan: every scenario instance, shuffled (fixed seed), all
	// released at once.
	type job struct {
		sc  loadScenario
		i   int
		tag string
	}
	var jobs []job
	planned := 0
	for _, sc := range loadScenarios() {
		for i := range sc.count {
			jobs = append(jobs, job{sc, i, fmt.Sprintf("%s-%d", sc.name, i)})
			planned += sc.requests
		}
	}
	if planned != loadRequests {
		t.Fatalf("the scenario mix sends %d requests, want %d", planned, loadRequests)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })

	// Count the concurrent phase's requests as they are sent.
	c.mu.Lock()
	sentBefore := len(c.sent)
	c.mu.Unlock()

	release := make(chan struct{})
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-release
			j.sc.run(c, &st, j.i, j.tag)
		}()
	}
	// Requests the client cancels while their handler blocks: they must get
	// no answer at all.
	const clientCancelled = 10
	var awg sync.WaitGroup
	for range clientCancelled {
		awg.Add(1)
		go func() {
			defer awg.Done()
			<-release
			id, _ := c.start(mcp.MethodCallTool, map[string]any{"name": "load_block"})
			c.mu.Lock()
			c.noAnswer[id] = true
			c.mu.Unlock()
			c.writeLine(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":` + id + `,"reason":"load test"}}`)
			st.clientCancelRequests.Add(1)
		}()
	}
	close(release)
	wg.Wait()
	awg.Wait()
	c.mu.Lock()
	concurrent := len(c.sent) - sentBefore - clientCancelled
	c.mu.Unlock()
	if concurrent != loadRequests {
		t.Errorf("the concurrent phase sent %d answered requests, want %d", concurrent, loadRequests)
	}

	// The server still serves after all that.
	var res mcp.CallToolResult
	r, ok := c.call(mcp.MethodCallTool, map[string]any{"name": "echo", "arguments": map[string]any{"text": "after the load"}})
	if c.result(r, ok, "echo after the load", &res) {
		c.text(&res, "after the load", "echo after the load")
	}
	var empty mcp.EmptyResult
	r, ok = c.call(mcp.MethodPing, nil)
	c.result(r, ok, "ping after the load", &empty)

	// Let the load_block runs that were cancelled (20 blockCancel tasks and
	// the client-cancelled requests) return before the connection ends: a
	// client-cancelled request still running then would be ended by the
	// close instead, and answered, which the audit below would report.
	deadline := time.Now().Add(10 * time.Second)
	for lc.blockStopped.Load() < 20+clientCancelled && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}

	c.close()
	elapsed := time.Since(began)

	// Goroutines: back to (at most) the count before the server started.
	goroutinesAfter := runtime.NumGoroutine()
	settle := time.Now().Add(5 * time.Second)
	for goroutinesAfter > goroutinesBefore && time.Now().Before(settle) {
		time.Sleep(10 * time.Millisecond)
		goroutinesAfter = runtime.NumGoroutine()
	}
	if goroutinesAfter > goroutinesBefore {
		var buf bytes.Buffer
		pprof.Lookup("goroutine").WriteTo(&buf, 1)
		t.Errorf("%d goroutines before the server, %d after it closed: leaked\n%s", goroutinesBefore, goroutinesAfter, buf.String())
	}

	// Audit: answers.
	c.mu.Lock()
	defer c.mu.Unlock()
	responses, lost, dup := 0, 0, 0
	for id, method := range c.sent {
		n := c.answers[id]
		responses += n
		switch {
		case c.noAnswer[id]:
			if n != 0 {
				t.Errorf("request %s (%s) was cancelled by the client but answered %d times", id, method, n)
			}
		case n == 0:
			lost++
			t.Errorf("request %s (%s) got no answer", id, method)
		case n > 1:
			dup++
			t.Errorf("request %s (%s) got %d answers", id, method, n)
		}
	}
	for _, line := range c.stray {
		t.Errorf("answer to no request sent: %s", line)
	}
	if responses != c.lines || responses != len(c.sent)-clientCancelled {
		t.Errorf("%d responses counted, %d response lines, %d requests sent (%d cancelled by the client)", responses, c.lines, len(c.sent), clientCancelled)
	}

	// Audit: the store and the tools.
	if n := c.refusedMoves(); n != 0 {
		t.Errorf("the engine attempted %d illegal status moves", n)
	}
	if started, stopped := lc.blockStarted.Load(), lc.blockStopped.Load(); started != stopped {
		t.Errorf("load_block: %d runs started, %d stopped", started, stopped)
	}
	wantBlocks := int64(20 + 10 + clientCancelled)
	if got := lc.blockStarted.Load(); got != wantBlocks {
		t.Errorf("load_block ran %d times, want %d", got, wantBlocks)
	}
	if got := lc.panics.Load(); got != 80 {
		t.Errorf("load_panic ran %d times, want 80", got)
	}

	// Audit: statuses, per task.
	taskIDs := 0
	moves := 0
	for id, seen := range c.client {
		taskIDs++
		if seen[0].src != "create" || seen[0].status != mcp.TaskStatusInitial {
			t.Errorf("task %s: first seen %s %s, want created %s", id, seen[0].src, seen[0].status, mcp.TaskStatusInitial)
		}
		// As the client saw it, in order.
		if err := checkSteps(seen, true); err != nil {
			t.Errorf("task %s: illegal sequence in the answers: %v\n%s", id, err, describe(seen))
		}
		// As the notifications told it: each one is a move from the
		// previous state, starting from the initial status.
		notes := append([]statusSeen{{mcp.TaskStatusInitial, seen[0].updated, "create"}}, c.notes[id]...)
		moves += len(notes) - 1
		if err := checkSteps(notes, false); err != nil {
			t.Errorf("task %s: illegal sequence in the notifications: %v\n%s", id, err, describe(notes))
		}
		final := seen[len(seen)-1].status
		switch {
		case final.IsTerminal() && (len(notes) != 2 || notes[1].status != final):
			t.Errorf("task %s ended %s; notifications: %s", id, final, describe(notes[1:]))
		case !final.IsTerminal() && len(notes) != 1 && (len(notes) != 2 || notes[1].status != mcp.TaskStatusFailed):
			// The end of the connection closes the engine, which fails the
			// tasks it still runs: one notification may tell so.
			t.Errorf("task %s is still %s, yet notifications say %s", id, final, describe(notes[1:]))
		}
		// All sources together, by lastUpdatedAt: each status change
		// stamps it, so this is the order the states followed each other.
		all := slices.Concat(seen, c.notes[id], c.listed[id])
		slices.SortStableFunc(all, func(a, b statusSeen) int {
			ta, ea := time.Parse(time.RFC3339Nano, a.updated)
			tb, eb := time.Parse(time.RFC3339Nano, b.updated)
			if ea != nil || eb != nil {
				return strings.Compare(a.updated, b.updated)
			}
			if d := ta.Compare(tb); d != 0 {
				return d
			}
			// One timestamp, two statuses: only non-terminal before
			// terminal can be right.
			switch {
			case !a.status.IsTerminal() && b.status.IsTerminal():
				return -1
			case a.status.IsTerminal() && !b.status.IsTerminal():
				return 1
			}
			return 0
		})
		if err := checkSteps(all, true); err != nil {
			t.Errorf("task %s: illegal sequence by lastUpdatedAt: %v\n%s", id, err, describe(all))
		}
		// A cancelled task stays cancelled: nothing after the cancel.
		if i := slices.IndexFunc(seen, func(s statusSeen) bool { return s.status == mcp.TaskStatusCancelled }); i >= 0 {
			for _, s := range seen[i:] {
				if s.status != mcp.TaskStatusCancelled {
					t.Errorf("task %s: %s after cancelled\n%s", id, s.status, describe(seen))
				}
			}
		}
	}
	for id := range c.notes {
		if _, ok := c.client[id]; !ok {
			t.Errorf("notification about task %s, which no answer created", id)
		}
	}
	wantTasks := 60 + 30 + 30 + 40 + 20 + 10
	if taskIDs != wantTasks {
		t.Errorf("%d tasks seen, want %d", taskIDs, wantTasks)
	}
	if st.tasksLeftWorking.Load() != 10 {
		t.Errorf("%d blocked tasks left working, want 10", st.tasksLeftWorking.Load())
	}

	t.Logf("requests: %d concurrent + 2 after (all answered), %d cancelled by the client (no answer); responses %d, lost %d, duplicated %d, stray %d",
		concurrent, st.clientCancelRequests.Load(), responses, lost, dup, len(c.stray))
	t.Logf("tasks %d (%d left working at close), status notifications %d (%d moves), illegal moves refused by the lifecycle %d",
		taskIDs, st.tasksLeftWorking.Load(), c.nNotes, moves, c.refusedMoves())
	t.Logf("panics: %d tool runs, %d answered -32603, %d tasks failed by a panic",
		lc.panics.Load(), st.panicAnswers.Load(), st.panickedTasks.Load())
	t.Logf("tasks/cancel: %d sent, %d cancelled, %d refused (terminal); cancel-vs-completion races: cancel won %d, completion won %d",
		st.cancelsSent.Load(), st.cancelsOK.Load(), st.cancelsRefused.Load(), st.raceCancelWon.Load(), st.raceCompletionWon.Load())
	t.Logf("load_block: %d started, %d stopped", lc.blockStarted.Load(), lc.blockStopped.Load())
	t.Logf("goroutines: %d before the server, %d at the busiest answer, %d after it closed; %v in all",
		goroutinesBefore, c.peakGoroutines.Load(), goroutinesAfter, elapsed.Round(time.Millisecond))
}
