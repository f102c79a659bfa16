package generated_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/internal/testenv"
)

// allowedMoves is the lifecycle as ../shared/TASKS.md states it, typed in
// by hand: the generated table must agree with it on all 25 pairs.
var allowedMoves = map[mcp.TaskStatus][]mcp.TaskStatus{
	"working":        {"input_required", "completed", "failed", "cancelled"},
	"input_required": {"working", "completed", "failed", "cancelled"},
	"completed":      nil,
	"failed":         nil,
	"cancelled":      nil,
}

func TestLifecycleAllPairs(t *testing.T) {
	statuses := []mcp.TaskStatus{"working", "input_required", "completed", "failed", "cancelled"}
	pairs := 0
	for _, from := range statuses {
		wantTerminal := len(allowedMoves[from]) == 0
		if from.IsTerminal() != wantTerminal {
			t.Errorf("%s.IsTerminal() = %v, want %v", from, from.IsTerminal(), wantTerminal)
		}
		for _, to := range statuses {
			pairs++
			want := false
			for _, a := range allowedMoves[from] {
				want = want || a == to
			}
			if got := from.CanTransitionTo(to); got != want {
				t.Errorf("%s → %s: CanTransitionTo = %v, want %v", from, to, got, want)
			}
			err := mcp.ValidateTransition(from, to)
			if (err == nil) != want {
				t.Errorf("%s → %s: ValidateTransition = %v, want allowed=%v", from, to, err, want)
			}
			if err != nil {
				var te *mcp.TransitionError
				if !errors.As(err, &te) || te.From != from || te.To != to {
					t.Fatalf("%s → %s: error %#v does not name both states", from, to, err)
				}
				if diff := cmp.Diff(allowedMoves[from], te.Allowed); diff != "" {
					t.Errorf("%s → %s: Allowed (-want +got):\n%s", from, to, diff)
				}
				if !strings.Contains(err.Error(), string(from)) || !strings.Contains(err.Error(), string(to)) {
					t.Errorf("message %q does not name both states", err)
				}
			}
		}
	}
	if pairs != 25 {
		t.Fatalf("checked %d pairs, want 25", pairs)
	}
	if mcp.TaskStatusInitial != mcp.TaskStatusWorking {
		t.Errorf("initial status %q", mcp.TaskStatusInitial)
	}
	if len(mcp.TaskStatusLifecycle) != 5 {
		t.Errorf("table has %d entries", len(mcp.TaskStatusLifecycle))
	}
}

func TestTransitionErrorMessages(t *testing.T) {
	for _, c := range []struct {
		from, to mcp.TaskStatus
		want     string
	}{
		{"completed", "working", `task status cannot move from "completed" to "working": "completed" is terminal`},
		{"working", "working", `task status cannot move from "working" to "working": allowed moves from "working" are to "input_required", "completed", "failed", "cancelled"`},
		{"paused", "working", `task status cannot move from "paused" to "working": "paused" is not a task status`},
	} {
		if err := mcp.ValidateTransition(c.from, c.to); err == nil || err.Error() != c.want {
			t.Errorf("ValidateTransition(%s, %s) = %v\nwant %s", c.from, c.to, err, c.want)
		}
	}
}

func TestTaskMoveTo(t *testing.T) {
	task := mcp.Task{TaskID: "t", Status: mcp.TaskStatusWorking, CreatedAt: "2025-11-25T10:00:00Z", LastUpdatedAt: "2025-11-25T10:00:00Z"}
	now := time.Date(2025, 11, 25, 12, 30, 0, 5000, time.FixedZone("X", 3600))
	if err := task.MoveTo(mcp.TaskStatusInputRequired, now); err != nil {
		t.Fatal(err)
	}
	if task.Status != mcp.TaskStatusInputRequired || task.LastUpdatedAt != "2025-11-25T11:30:00.000005Z" {
		t.Errorf("after MoveTo: %+v", task)
	}
	if _, err := time.Parse(time.RFC3339, task.LastUpdatedAt); err != nil {
		t.Errorf("lastUpdatedAt is not RFC 3339: %v", err)
	}
	if err := task.MoveTo(mcp.TaskStatusCompleted, now); err != nil {
		t.Fatal(err)
	}
	before := task
	err := task.MoveTo(mcp.TaskStatusWorking, now.Add(time.Hour))
	var te *mcp.TransitionError
	if !errors.As(err, &te) || te.From != mcp.TaskStatusCompleted || te.To != mcp.TaskStatusWorking {
		t.Fatalf("illegal move: %v", err)
	}
	if diff := cmp.Diff(before, task, cmp.AllowUnexported(mcp.Task{})); diff != "" {
		t.Errorf("a refused move changed the task:\n%s", diff)
	}
}

func TestLifecycleValidPathAllocatesNothing(t *testing.T) {
	from, to := mcp.TaskStatusWorking, mcp.TaskStatusCompleted
	if n := testing.AllocsPerRun(1000, func() {
		if !from.CanTransitionTo(to) || mcp.ValidateTransition(from, to) != nil || from.IsTerminal() {
			t.Fatal("valid move refused")
		}
	}); n != 0 {
		t.Errorf("valid path allocates %.1f times per run", n)
	}
}

var sink bool

// The lifecycle benchmarks read their statuses from variables, so that
// the compiler cannot work out the answer while it compiles the loop: with
// constant arguments CanTransitionTo is inlined and folded away, and the
// benchmark times an empty loop.
var (
	benchStatuses = []mcp.TaskStatus{"working", "input_required", "completed", "failed", "cancelled"}
	// benchMoves are the legal moves of the 2025-11-25 lifecycle.
	benchMoves = [][2]mcp.TaskStatus{
		{"working", "input_required"}, {"working", "completed"}, {"working", "failed"}, {"working", "cancelled"},
		{"input_required", "working"}, {"input_required", "completed"}, {"input_required", "failed"}, {"input_required", "cancelled"},
	}
	benchFrom, benchTo mcp.TaskStatus = "working", "completed"
)

// BenchmarkCanTransitionTo asks about all 25 pairs of statuses in turn,
// legal and not.
func BenchmarkCanTransitionTo(b *testing.B) {
	b.ReportAllocs()
	statuses := benchStatuses
	for i := 0; b.Loop(); i++ {
		sink = statuses[i%5].CanTransitionTo(statuses[(i/5)%5])
	}
}

// BenchmarkCanTransitionToValid asks about the eight legal moves in turn:
// the valid path.
func BenchmarkCanTransitionToValid(b *testing.B) {
	b.ReportAllocs()
	moves, k := benchMoves, 0
	for b.Loop() {
		m := &moves[k]
		sink = m[0].CanTransitionTo(m[1])
		if k++; k == len(moves) {
			k = 0
		}
	}
}

// BenchmarkValidMovesPerCall asks CanTransitionTo and ValidateTransition
// about all eight legal moves in each iteration, so that the benchmark
// loop's own cost, which on a slow machine is as much as the call's, is
// shared by sixteen calls; it reports the time per call as ns/call.
func BenchmarkValidMovesPerCall(b *testing.B) {
	b.ReportAllocs()
	moves := benchMoves
	ok := true
	for b.Loop() {
		for i := range moves {
			m := &moves[i]
			ok = ok && m[0].CanTransitionTo(m[1]) && mcp.ValidateTransition(m[0], m[1]) == nil
		}
	}
	sink = ok
	if !ok {
		b.Fatal("a legal move was refused")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*len(moves)), "ns/call")
}

// BenchmarkValidateTransitionValid is one legal move, asked again and
// again.
func BenchmarkValidateTransitionValid(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = mcp.ValidateTransition(benchFrom, benchTo) == nil
	}
}

// BenchmarkLifecycleLoop is BenchmarkCanTransitionToValid's loop with a
// comparison of the two statuses' lengths for the call: what the loop
// itself costs.
func BenchmarkLifecycleLoop(b *testing.B) {
	moves, k := benchMoves, 0
	for b.Loop() {
		m := &moves[k]
		sink = len(m[0]) == len(m[1])
		if k++; k == len(moves) {
			k = 0
		}
	}
}

func TestValidateCancel(t *testing.T) {
	for _, s := range []mcp.TaskStatus{"working", "input_required"} {
		if err := mcp.ValidateCancel(s); err != nil {
			t.Errorf("cancel of %s refused: %v", s, err)
		}
	}
	for _, s := range []mcp.TaskStatus{"completed", "failed", "cancelled"} {
		var e *mcp.Error
		if err := mcp.ValidateCancel(s); !errors.As(err, &e) || e.Code != -32602 || !strings.Contains(e.Message, string(s)) {
			t.Errorf("cancel of %s: %v, want -32602 naming the status", s, err)
		}
	}
}

func TestRelatedTaskMeta(t *testing.T) {
	meta := mcp.SetRelatedTask(nil, "task-1")
	r, ok := mcp.RelatedTaskOf(meta)
	if !ok || r.TaskID != "task-1" {
		t.Fatalf("set then read: %+v, %v", r, ok)
	}
	// As decoded from the wire, inside a CallToolResult.
	var res mcp.CallToolResult
	if err := json.Unmarshal([]byte(`{"content":[],"_meta":{"io.modelcontextprotocol/related-task":{"taskId":"t-9"}}}`), &res); err != nil {
		t.Fatal(err)
	}
	if r, ok := mcp.RelatedTaskOf(res.Meta); !ok || r.TaskID != "t-9" {
		t.Errorf("decoded: %+v, %v", r, ok)
	}
	data, _ := json.Marshal(mcp.CallToolResult{Content: []mcp.ContentBlock{}, Meta: mcp.SetRelatedTask(nil, "t-2")})
	if want := `{"_meta":{"io.modelcontextprotocol/related-task":{"taskId":"t-2"}},"content":[]}`; string(data) != want {
		t.Errorf("encoded %s\nwant    %s", data, want)
	}
	for _, bad := range []map[string]any{nil, {}, {mcp.RelatedTaskMetaKey: "x"}, {mcp.RelatedTaskMetaKey: map[string]any{}}} {
		if _, ok := mcp.RelatedTaskOf(bad); ok {
			t.Errorf("RelatedTaskOf(%v) reported a task", bad)
		}
	}
}

func TestTaskResultConstructors(t *testing.T) {
	ttl := int64(5)
	task := &mcp.Task{TaskID: "t", Status: mcp.TaskStatusWorking, CreatedAt: "a", LastUpdatedAt: "b", TTL: &ttl, StatusMessage: "m"}
	for name, v := range map[string]any{"get": mcp.NewGetTaskResult(task), "cancel": mcp.NewCancelTaskResult(task)} {
		data, _ := json.Marshal(v)
		sameJSON(t, []byte(`{"taskId":"t","status":"working","createdAt":"a","lastUpdatedAt":"b","ttl":5,"statusMessage":"m"}`), data)
		_ = name
	}
	payload, err := mcp.NewGetTaskPayloadResult(&mcp.CallToolResult{Content: []mcp.ContentBlock{&mcp.TextContent{Text: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(payload)
	sameJSON(t, []byte(`{"content":[{"type":"text","text":"x"}]}`), data)
}

func TestTaskStatusNotification(t *testing.T) {
	ttl := int64(60000)
	task := &mcp.Task{TaskID: "t", Status: mcp.TaskStatusFailed, StatusMessage: "boom", CreatedAt: "a", LastUpdatedAt: "b", TTL: &ttl}
	n := mcp.NewTaskStatusNotification(task)
	data, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"jsonrpc":"2.0","method":"notifications/tasks/status","params":{"createdAt":"a","lastUpdatedAt":"b","status":"failed","statusMessage":"boom","taskId":"t","ttl":60000}}`
	sameJSON(t, []byte(want), data)
	if _, err := mcp.UnmarshalServerNotification(data); err != nil {
		t.Errorf("the notification does not decode as a ServerNotification: %v", err)
	}
}

func TestCapabilityHelpers(t *testing.T) {
	var caps mcp.ServerCapabilities
	if err := json.Unmarshal([]byte(`{"tasks":{"list":{},"requests":{"tools":{"call":{}}}}}`), &caps); err != nil {
		t.Fatal(err)
	}
	if !caps.TaskAugmentable(mcp.MethodCallTool) || caps.TaskAugmentable("sampling/createMessage") || !caps.SupportsTaskList() || caps.SupportsTaskCancel() {
		t.Errorf("server helpers disagree with %+v", caps.Tasks)
	}
	var nilCaps *mcp.ServerCapabilities
	if nilCaps.TaskAugmentable(mcp.MethodCallTool) || nilCaps.SupportsTaskList() {
		t.Error("nil capabilities declare something")
	}
	var client mcp.ClientCapabilities
	if err := json.Unmarshal([]byte(`{"tasks":{"cancel":{},"requests":{"sampling":{"createMessage":{}},"elicitation":{"create":{}}}}}`), &client); err != nil {
		t.Fatal(err)
	}
	if !client.TaskAugmentable(mcp.MethodCreateMessage) || !client.TaskAugmentable(mcp.MethodElicit) || client.TaskAugmentable(mcp.MethodCallTool) || !client.SupportsTaskCancel() || client.SupportsTaskList() {
		t.Errorf("client helpers disagree with %+v", client.Tasks)
	}
}

// toolServer is a handler that implements only tools and tasks/get.
type toolServer struct {
	mcp.UnimplementedServerHandler
	calls, taskCalls atomic.Int32
}

func (s *toolServer) CallTool(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
	s.calls.Add(1)
	switch p.Name {
	case "panic":
		panic("handler bug")
	case "coded":
		return nil, &mcp.Error{Code: -32042, Message: "needs elicitation"}
	case "plain-error":
		return nil, errors.New("disk on fire")
	case "nil":
		return nil, nil
	}
	return &mcp.CallToolResult{Content: []mcp.ContentBlock{&mcp.TextContent{Text: "ran " + p.Name}}}, nil
}

func (s *toolServer) CallToolAsTask(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CreateTaskResult, error) {
	s.taskCalls.Add(1)
	ttl := *p.Task.TTL
	return &mcp.CreateTaskResult{Task: mcp.Task{TaskID: "task-" + p.Name, Status: mcp.TaskStatusWorking, CreatedAt: "c", LastUpdatedAt: "c", TTL: &ttl}}, nil
}

func (s *toolServer) GetTask(ctx context.Context, p *mcp.GetTaskRequestParams) (*mcp.GetTaskResult, error) {
	return nil, &mcp.Error{Code: mcp.CodeInvalidParams, Message: "unknown task " + p.TaskID}
}

func newDispatcher(h mcp.ServerHandler, caps string) *mcp.ServerDispatcher {
	d := &mcp.ServerDispatcher{Handler: h}
	if err := json.Unmarshal([]byte(caps), &d.Capabilities); err != nil {
		panic(err)
	}
	d.ToolTaskSupport = func(tool string) (mcp.ToolExecutionTaskSupport, bool) {
		switch tool {
		case "required":
			return mcp.ToolExecutionTaskSupportRequired, true
		case "optional":
			return mcp.ToolExecutionTaskSupportOptional, true
		case "unknown":
			return "", false
		}
		return "", true
	}
	return d
}

const taskCaps = `{"tools":{},"tasks":{"list":{},"requests":{"tools":{"call":{}}}}}`

func TestDispatcher(t *testing.T) {
	ctx := context.Background()
	type want struct {
		result string // JSON, compared as values
		code   int64
		msg    string // substring of the error message
	}
	for _, c := range []struct {
		name, caps, method, params string
		want                       want
	}{
		{"plain call", taskCaps, "tools/call", `{"name":"optional"}`, want{result: `{"content":[{"type":"text","text":"ran optional"}]}`}},
		{"task call", taskCaps, "tools/call", `{"name":"optional","task":{"ttl":5000}}`, want{result: `{"task":{"taskId":"task-optional","status":"working","createdAt":"c","lastUpdatedAt":"c","ttl":5000}}`}},
		{"required tool without task", taskCaps, "tools/call", `{"name":"required"}`, want{code: -32601, msg: `tool "required" requires task-augmented execution`}},
		{"required tool with task", taskCaps, "tools/call", `{"name":"required","task":{"ttl":1}}`, want{result: `{"task":{"taskId":"task-required","status":"working","createdAt":"c","lastUpdatedAt":"c","ttl":1}}`}},
		{"forbidden (default) tool with task", taskCaps, "tools/call", `{"name":"other","task":{"ttl":1}}`, want{code: -32601, msg: `tool "other" does not support task-augmented execution`}},
		{"unknown tool with task goes to the handler", taskCaps, "tools/call", `{"name":"unknown","task":{"ttl":2}}`, want{result: `{"task":{"taskId":"task-unknown","status":"working","createdAt":"c","lastUpdatedAt":"c","ttl":2}}`}},
		{"task call without the capability", `{"tools":{}}`, "tools/call", `{"name":"optional","task":{}}`, want{code: -32601, msg: "capabilities do not declare it"}},
		{"taskSupport ignored without the capability", `{"tools":{}}`, "tools/call", `{"name":"required"}`, want{result: `{"content":[{"type":"text","text":"ran required"}]}`}},
		{"invalid params names the path", taskCaps, "tools/call", `{"name":"x","task":{"ttl":"soon"}}`, want{code: -32602, msg: "invalid params: params.task.ttl: expected integer, got string"}},
		{"missing params", taskCaps, "tools/call", ``, want{code: -32602, msg: "params: required property is missing"}},
		{"params of the wrong kind", taskCaps, "tools/call", `[1]`, want{code: -32602, msg: "params: expected object, got array"}},
		{"unknown method", taskCaps, "tools/frobnicate", `{}`, want{code: -32601, msg: "method not found: tools/frobnicate"}},
		{"unimplemented method", taskCaps, "prompts/list", `{}`, want{code: -32601, msg: "prompts/list"}},
		{"handler error with its own code", taskCaps, "tools/call", `{"name":"coded"}`, want{code: -32042, msg: "needs elicitation"}},
		{"handler error without a code", taskCaps, "tools/call", `{"name":"plain-error"}`, want{code: -32603, msg: "internal error"}},
		{"handler returns nothing", taskCaps, "tools/call", `{"name":"nil"}`, want{code: -32603, msg: "neither a result nor an error"}},
		{"handler panics", taskCaps, "tools/call", `{"name":"panic"}`, want{code: -32603, msg: "internal error"}},
		{"tasks/list not declared", `{"tasks":{"requests":{"tools":{"call":{}}}}}`, "tasks/list", `{}`, want{code: -32601}},
		{"tasks/list declared, not implemented", taskCaps, "tasks/list", `{}`, want{code: -32601, msg: "tasks/list"}},
		{"tasks/cancel not declared", taskCaps, "tasks/cancel", `{"taskId":"x"}`, want{code: -32601}},
		{"tasks/get unknown id", taskCaps, "tasks/get", `{"taskId":"nope"}`, want{code: -32602, msg: "unknown task nope"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := newDispatcher(&toolServer{}, c.caps)
			res, rpcErr := d.Dispatch(ctx, c.method, json.RawMessage(c.params))
			if c.want.code != 0 {
				if rpcErr == nil {
					t.Fatalf("got result %s, want error %d", res, c.want.code)
				}
				if rpcErr.Code != c.want.code || !strings.Contains(rpcErr.Message, c.want.msg) {
					t.Errorf("got error %d %q, want %d containing %q", rpcErr.Code, rpcErr.Message, c.want.code, c.want.msg)
				}
				return
			}
			if rpcErr != nil {
				t.Fatalf("got error %v", rpcErr)
			}
			sameJSON(t, []byte(c.want.result), res)
		})
	}
}

// TestDispatcherHidesInternalErrors: the text of a plain error and the
// value of a panic reach OnInternalError, never the peer.
func TestDispatcherHidesInternalErrors(t *testing.T) {
	type report struct{ method, err string }
	var got []report
	d := newDispatcher(&toolServer{}, taskCaps)
	d.OnInternalError = func(ctx context.Context, method string, err error) {
		got = append(got, report{method, err.Error()})
	}
	for _, name := range []string{"plain-error", "panic", "coded"} {
		_, rpcErr := d.Dispatch(context.Background(), "tools/call", json.RawMessage(`{"name":"`+name+`"}`))
		data, _ := json.Marshal(rpcErr)
		if name == "coded" {
			if rpcErr == nil || rpcErr.Code != -32042 {
				t.Errorf("%s: got %s, want the handler's own error", name, data)
			}
			continue
		}
		sameJSON(t, []byte(`{"code":-32603,"message":"internal error"}`), data)
	}
	want := []report{{"tools/call", "disk on fire"}, {"tools/call", "handler panicked: handler bug"}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(report{})); diff != "" {
		t.Errorf("OnInternalError saw (-want +got):\n%s", diff)
	}
}

func TestDispatcherInvalidParamsData(t *testing.T) {
	d := newDispatcher(&toolServer{}, taskCaps)
	_, rpcErr := d.Dispatch(context.Background(), "tools/call", json.RawMessage(`{"name":3}`))
	if rpcErr == nil || rpcErr.Code != -32602 {
		t.Fatalf("got %v", rpcErr)
	}
	data, _ := json.Marshal(rpcErr)
	sameJSON(t, []byte(`{"code":-32602,"message":"invalid params: params.name: expected string, got integer","data":{"path":"params.name"}}`), data)
}

func TestDispatcherSurvivesPanics(t *testing.T) {
	h := &toolServer{}
	d := newDispatcher(h, taskCaps)
	for i := 0; i < 3; i++ {
		if _, e := d.Dispatch(context.Background(), "tools/call", json.RawMessage(`{"name":"panic"}`)); e == nil || e.Code != -32603 {
			t.Fatalf("panic %d: %v", i, e)
		}
		if res, e := d.Dispatch(context.Background(), "tools/call", json.RawMessage(`{"name":"ok"}`)); e != nil || !strings.Contains(string(res), "ran ok") {
			t.Fatalf("request after panic %d: %s, %v", i, res, e)
		}
	}
	if h.calls.Load() != 6 {
		t.Errorf("handler saw %d calls, want 6", h.calls.Load())
	}
}

type progressServer struct {
	mcp.UnimplementedServerHandler
	got []string
}

func (s *progressServer) OnProgress(ctx context.Context, p *mcp.ProgressNotificationParams) error {
	tok, _ := p.ProgressToken.AsString()
	s.got = append(s.got, tok)
	if tok == "bad" {
		return errors.New("rejected")
	}
	return nil
}

func TestDispatcherNotify(t *testing.T) {
	h := &progressServer{}
	d := &mcp.ServerDispatcher{Handler: h}
	ctx := context.Background()
	if e := d.Notify(ctx, mcp.MethodProgressNotification, json.RawMessage(`{"progressToken":"a","progress":1}`)); e != nil {
		t.Fatal(e)
	}
	if e := d.Notify(ctx, mcp.MethodProgressNotification, json.RawMessage(`{"progress":1}`)); e == nil || e.Code != -32602 || !strings.Contains(e.Message, "params.progressToken") {
		t.Errorf("bad notification params: %v", e)
	}
	if e := d.Notify(ctx, mcp.MethodProgressNotification, json.RawMessage(`{"progressToken":"bad","progress":1}`)); e == nil || e.Message != "internal error" {
		t.Errorf("handler error: %v", e)
	}
	if e := d.Notify(ctx, "notifications/unknown", nil); e != nil {
		t.Errorf("unknown notification: %v", e)
	}
	if e := d.Notify(ctx, mcp.MethodInitializedNotification, nil); e != nil {
		t.Errorf("unimplemented notification: %v", e)
	}
	if diff := cmp.Diff([]string{"a", "bad"}, h.got); diff != "" {
		t.Errorf("notifications seen (-want +got):\n%s", diff)
	}
}

// clientHandler checks the client side's union params and task rules.
type clientHandler struct {
	mcp.UnimplementedClientHandler
}

func (clientHandler) Elicit(ctx context.Context, p mcp.ElicitRequestParams) (*mcp.ElicitResult, error) {
	if _, ok := p.(*mcp.ElicitRequestFormParams); !ok {
		return nil, errors.New("not a form")
	}
	return &mcp.ElicitResult{Action: mcp.ElicitResultActionAccept}, nil
}

func (clientHandler) ElicitAsTask(ctx context.Context, p mcp.ElicitRequestParams) (*mcp.CreateTaskResult, error) {
	return &mcp.CreateTaskResult{Task: mcp.Task{TaskID: "e1", Status: mcp.TaskStatusInputRequired, CreatedAt: "c", LastUpdatedAt: "c"}}, nil
}

func TestClientDispatcher(t *testing.T) {
	d := &mcp.ClientDispatcher{Handler: clientHandler{}}
	json.Unmarshal([]byte(`{"tasks":{"requests":{"elicitation":{"create":{}}}}}`), &d.Capabilities)
	ctx := context.Background()
	form := `{"message":"name?","requestedSchema":{"type":"object","properties":{"n":{"type":"string"}}}`
	res, e := d.Dispatch(ctx, mcp.MethodElicit, json.RawMessage(form+`}`))
	if e != nil {
		t.Fatal(e)
	}
	sameJSON(t, []byte(`{"action":"accept"}`), res)
	res, e = d.Dispatch(ctx, mcp.MethodElicit, json.RawMessage(form+`,"task":{"ttl":10}}`))
	if e != nil {
		t.Fatal(e)
	}
	sameJSON(t, []byte(`{"task":{"taskId":"e1","status":"input_required","createdAt":"c","lastUpdatedAt":"c","ttl":null}}`), res)
	if _, e := d.Dispatch(ctx, mcp.MethodCreateMessage, json.RawMessage(`{"messages":[],"maxTokens":1,"task":{}}`)); e == nil || e.Code != -32601 {
		t.Errorf("sampling task without the capability: %v", e)
	}
	if _, e := d.Dispatch(ctx, mcp.MethodElicit, json.RawMessage(`{"mode":"url"}`)); e == nil || e.Code != -32602 {
		t.Errorf("bad union params: %v", e)
	}
}

// TestMethodTable checks the generated method table against the schema
// itself, read as plain JSON: every member of the request and notification
// unions has an entry with the right receiving side, and the decoders
// decode real params and results.
func TestMethodTable(t *testing.T) {
	defs := rawDefinitions(t, filepath.Join(testenv.SchemaDir(t), "core/2025-11-25/schema.json"))
	want := map[string][]string{}
	for union, side := range map[string]string{"ClientRequest": "server", "ClientNotification": "server", "ServerRequest": "client", "ServerNotification": "client"} {
		for _, member := range defs[union]["anyOf"].([]any) {
			def := strings.TrimPrefix(member.(map[string]any)["$ref"].(string), "#/$defs/")
			method := defs[def]["properties"].(map[string]any)["method"].(map[string]any)["const"].(string)
			want[method] = append(want[method], side)
		}
	}
	if len(mcp.Methods) != len(want) {
		t.Errorf("table has %d methods, the schema %d", len(mcp.Methods), len(want))
	}
	for method, sides := range want {
		info, ok := mcp.LookupMethod(method)
		if !ok {
			t.Errorf("%s: not in the table", method)
			continue
		}
		slices.Sort(sides)
		got := slices.Sorted(slices.Values(info.ReceivedBy))
		if !slices.Equal(got, sides) {
			t.Errorf("%s: received by %v, schema says %v", method, got, sides)
		}
		if info.Notification != (info.DecodeResult == nil) {
			t.Errorf("%s: notification=%v but DecodeResult set=%v", method, info.Notification, info.DecodeResult != nil)
		}
	}
	call, _ := mcp.LookupMethod(mcp.MethodCallTool)
	p, err := call.DecodeParams([]byte(`{"name":"x","task":{"ttl":1}}`))
	if cp, ok := p.(*mcp.CallToolRequestParams); err != nil || !ok || cp.Name != "x" || !call.TaskAugmentable {
		t.Errorf("tools/call params: %#v, %v", p, err)
	}
	r, err := call.DecodeResult([]byte(`{"content":[{"type":"text","text":"hi"}]}`))
	if cr, ok := r.(*mcp.CallToolResult); err != nil || !ok || len(cr.Content) != 1 {
		t.Errorf("tools/call result: %#v, %v", r, err)
	}
	if _, err := call.DecodeParams([]byte(`{}`)); err == nil || err.Error() != "name: required property is missing" {
		t.Errorf("bad params: %v", err)
	}
	elicit, _ := mcp.LookupMethod(mcp.MethodElicit)
	if v, err := elicit.DecodeParams([]byte(`{"mode":"url","message":"m","url":"u","elicitationId":"e"}`)); err != nil {
		t.Errorf("elicitation params: %v", err)
	} else if _, ok := v.(*mcp.ElicitRequestURLParams); !ok {
		t.Errorf("elicitation params decoded as %T", v)
	}
	ping, _ := mcp.LookupMethod(mcp.MethodPing)
	if v, err := ping.DecodeResult([]byte(`{}`)); err != nil || reflect.TypeOf(v).String() != "*mcp20251125.Result" {
		t.Errorf("ping result: %T, %v", v, err)
	}
	if _, ok := mcp.LookupMethod("tools/frobnicate"); ok {
		t.Error("an unknown method is in the table")
	}
}

var testNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func mcpTaskStatus[S ~string](s S) mcp.TaskStatus { return mcp.TaskStatus(s) }

// payloadServer answers tasks/result, sometimes with its own _meta.
type payloadServer struct {
	mcp.UnimplementedServerHandler
	cancelled []string
}

func (s *payloadServer) GetTaskPayload(ctx context.Context, p *mcp.GetTaskPayloadRequestParams) (*mcp.GetTaskPayloadResult, error) {
	res := &mcp.GetTaskPayloadResult{AdditionalProperties: map[string]any{"content": []any{}}}
	if p.TaskID == "own-meta" {
		res.Meta = map[string]any{"other": 1, mcp.RelatedTaskMetaKey: map[string]any{"taskId": "own-meta"}}
	}
	return res, nil
}

func (s *payloadServer) CancelTask(ctx context.Context, p *mcp.CancelTaskRequestParams) (*mcp.CancelTaskResult, error) {
	s.cancelled = append(s.cancelled, p.TaskID)
	return &mcp.CancelTaskResult{TaskID: p.TaskID, Status: mcp.TaskStatusCancelled}, nil
}

func TestDispatcherTaskRules(t *testing.T) {
	h := &payloadServer{}
	d := newDispatcher(h, `{"tasks":{"cancel":{}}}`)
	ctx := context.Background()
	// Without a lookup, the handler decides everything.
	res, e := d.Dispatch(ctx, mcp.MethodGetTaskPayload, json.RawMessage(`{"taskId":"t1"}`))
	if e != nil {
		t.Fatal(e)
	}
	sameJSON(t, []byte(`{"content":[],"_meta":{"io.modelcontextprotocol/related-task":{"taskId":"t1"}}}`), res)
	res, _ = d.Dispatch(ctx, mcp.MethodGetTaskPayload, json.RawMessage(`{"taskId":"own-meta"}`))
	sameJSON(t, []byte(`{"content":[],"_meta":{"other":1,"io.modelcontextprotocol/related-task":{"taskId":"own-meta"}}}`), res)

	d.TaskStatusOf = func(ctx context.Context, id string) (mcp.TaskStatus, bool) {
		s, ok := map[string]mcp.TaskStatus{"run": "working", "done": "completed"}[id]
		return s, ok
	}
	for _, c := range []struct {
		method, id string
		code       int64
		msg        string
	}{
		{mcp.MethodGetTask, "ghost", -32602, "unknown task: ghost"},
		{mcp.MethodGetTaskPayload, "ghost", -32602, "unknown task: ghost"},
		{mcp.MethodCancelTask, "ghost", -32602, "unknown task: ghost"},
		{mcp.MethodCancelTask, "done", -32602, "cannot cancel a task that is already completed"},
		{mcp.MethodCancelTask, "run", 0, ""},
	} {
		_, e := d.Dispatch(ctx, c.method, json.RawMessage(`{"taskId":"`+c.id+`"}`))
		if c.code == 0 {
			if e != nil {
				t.Errorf("%s %s: %v", c.method, c.id, e)
			}
			continue
		}
		if e == nil || e.Code != c.code || e.Message != c.msg {
			t.Errorf("%s %s: %v, want %d %q", c.method, c.id, e, c.code, c.msg)
		}
	}
	if diff := cmp.Diff([]string{"run"}, h.cancelled); diff != "" {
		t.Errorf("the handler was asked to cancel (-want +got):\n%s", diff)
	}
}
