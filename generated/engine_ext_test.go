package generated_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	ext "github.com/mcpgen-dev/mcpgen/generated/exttasks"
)

// The tests of the extension-era task engine (generated/exttasks, from
// generator/engine/ext). Every request goes through Engine.Dispatch, as a
// host would send it.

const extMeta = `{"io.modelcontextprotocol/clientCapabilities":{"extensions":{"io.modelcontextprotocol/tasks":{}}}}`

func newExtEngine(t testing.TB, cfg ext.EngineConfig) *ext.Engine {
	t.Helper()
	if cfg.Logf == nil {
		cfg.Logf = t.Logf
	}
	e := ext.NewEngine(cfg)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return e
}

// extCall runs a task-declaring tools/call of a tool that requires a task.
func extCall(t testing.TB, ctx context.Context, e *ext.Engine, work ext.TaskWork) *ext.CreateTaskResult {
	t.Helper()
	ans, err := e.CallTool(ctx, ext.ToolCall{Declared: true, Support: ext.TaskRequired, Work: work})
	if err != nil {
		t.Fatalf("CallTool: %v", err)
	}
	if ans.Task == nil {
		t.Fatalf("CallTool answered %s, want a task", ans.Result)
	}
	return ans.Task
}

// extRequest dispatches a tasks request from a client that declared the
// extension.
func extRequest(ctx context.Context, e *ext.Engine, method, taskID string, extra string) (json.RawMessage, *ext.Error) {
	params := fmt.Sprintf(`{"taskId":%q,"_meta":%s%s}`, taskID, extMeta, extra)
	return e.Dispatch(ctx, method, json.RawMessage(params))
}

func extGet(t testing.TB, ctx context.Context, e *ext.Engine, id string) ext.GetTaskResult {
	t.Helper()
	raw, rpcErr := extRequest(ctx, e, ext.MethodGetTask, id, "")
	if rpcErr != nil {
		t.Fatalf("tasks/get %s: %v", id, rpcErr)
	}
	res, err := ext.UnmarshalGetTaskResult(raw)
	if err != nil {
		t.Fatalf("tasks/get %s: decode %s: %v", id, raw, err)
	}
	return res
}

func extStatus(r ext.GetTaskResult) ext.TaskStatus {
	switch r.(type) {
	case *ext.GetTaskResultWorking:
		return ext.TaskStatusWorking
	case *ext.GetTaskResultInputRequired:
		return ext.TaskStatusInputRequired
	case *ext.GetTaskResultCompleted:
		return ext.TaskStatusCompleted
	case *ext.GetTaskResultFailed:
		return ext.TaskStatusFailed
	case *ext.GetTaskResultCancelled:
		return ext.TaskStatusCancelled
	}
	return ""
}

// extAwait polls tasks/get until the task has status want.
func extAwait(t testing.TB, ctx context.Context, e *ext.Engine, id string, want ext.TaskStatus) ext.GetTaskResult {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := extGet(t, ctx, e, id)
		if extStatus(r) == want {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %s: status %s, want %s", id, extStatus(r), want)
		}
		time.Sleep(time.Millisecond)
	}
}

func textToolResult(text string, isError bool) map[string]any {
	r := map[string]any{"content": []any{map[string]any{"type": "text", "text": text}}}
	if isError {
		r["isError"] = true
	}
	return r
}

// recordingStore is a MemoryStore that notes the statuses written to each
// key, and can play dead (every call fails), as the store of a crashed
// process would look to that process.
type recordingStore struct {
	*ext.MemoryStore
	dead atomic.Bool

	mu      sync.Mutex
	written map[string][]ext.TaskStatus
	creates int
}

func newRecordingStore() *recordingStore {
	return &recordingStore{MemoryStore: ext.NewMemoryStore(), written: map[string][]ext.TaskStatus{}}
}

var errDead = errors.New("store unreachable")

func (s *recordingStore) Get(ctx context.Context, key string) ([]byte, int64, error) {
	if s.dead.Load() {
		return nil, 0, errDead
	}
	return s.MemoryStore.Get(ctx, key)
}

func (s *recordingStore) CompareAndSwap(ctx context.Context, key string, old int64, value []byte, ttl time.Duration) (int64, bool, error) {
	if s.dead.Load() {
		return 0, false, errDead
	}
	v, ok, err := s.MemoryStore.CompareAndSwap(ctx, key, old, value, ttl)
	if ok {
		var rec struct {
			Task struct {
				Status ext.TaskStatus `json:"status"`
			} `json:"task"`
		}
		_ = json.Unmarshal(value, &rec)
		s.mu.Lock()
		s.written[key] = append(s.written[key], rec.Task.Status)
		if old == 0 {
			s.creates++
		}
		s.mu.Unlock()
	}
	return v, ok, err
}

func (s *recordingStore) Wait(ctx context.Context, key string, version int64) error {
	if s.dead.Load() {
		<-ctx.Done()
		return ctx.Err()
	}
	return s.MemoryStore.Wait(ctx, key, version)
}

func (s *recordingStore) history(id string) []ext.TaskStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ext.TaskStatus(nil), s.written["io.modelcontextprotocol/tasks/"+id]...)
}

// checkHistory fails unless every status written follows the lifecycle:
// in particular nothing after a terminal status but that same status
// unchanged is impossible, since a record is never rewritten once terminal.
func checkHistory(t testing.TB, id string, h []ext.TaskStatus) {
	t.Helper()
	for i := 1; i < len(h); i++ {
		if h[i] != h[i-1] && !h[i-1].CanTransitionTo(h[i]) {
			t.Fatalf("task %s: history %v moves %s → %s", id, h, h[i-1], h[i])
		}
		if h[i-1].IsTerminal() {
			t.Fatalf("task %s: history %v writes after the terminal %s", id, h, h[i-1])
		}
	}
}

func TestEngineExtCreateStoresBeforeAnswering(t *testing.T) {
	store := newRecordingStore()
	e := newExtEngine(t, ext.EngineConfig{Store: store, TTL: time.Minute, PollInterval: 300 * time.Millisecond})
	release := make(chan struct{})
	defer close(release)
	created := extCall(t, context.Background(), e, func(ctx context.Context, _ *ext.TaskRun) (any, error) {
		<-release
		return textToolResult("done", false), nil
	})
	store.mu.Lock()
	creates := store.creates
	store.mu.Unlock()
	if creates != 1 {
		t.Fatalf("%d records created from version 0 when CallTool returned, want 1", creates)
	}
	data, err := json.Marshal(created)
	if err != nil {
		t.Fatal(err)
	}
	var flat map[string]any
	if err := json.Unmarshal(data, &flat); err != nil {
		t.Fatal(err)
	}
	if flat["resultType"] != "task" || flat["status"] != "working" || flat["ttlMs"] != 60000.0 || flat["pollIntervalMs"] != 300.0 {
		t.Errorf("CreateTaskResult = %s, want flat, resultType task, working, ttlMs 60000, pollIntervalMs 300", data)
	}
	for _, key := range []string{"task", "result", "ttl"} {
		if _, ok := flat[key]; ok {
			t.Errorf("CreateTaskResult has %q: %s", key, data)
		}
	}
	if got := extStatus(extGet(t, context.Background(), e, created.TaskID)); got != ext.TaskStatusWorking {
		t.Errorf("tasks/get right after creation: %s, want working", got)
	}
}

func TestEngineExtTaskIDs(t *testing.T) {
	e := newExtEngine(t, ext.EngineConfig{MaxTasksPerOwner: 1000})
	seen := map[string]bool{}
	for range 200 {
		id := extCall(t, context.Background(), e, func(context.Context, *ext.TaskRun) (any, error) { return map[string]any{}, nil }).TaskID
		// 26 base32 characters carry 130 bits.
		if len(id) < 26 || strings.Trim(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" || seen[id] {
			t.Fatalf("task id %q: want 26 fresh base32 characters", id)
		}
		seen[id] = true
	}
	hooked := newExtEngine(t, ext.EngineConfig{NewTaskID: func() (string, error) { return "fixed-id", nil }})
	if id := extCall(t, context.Background(), hooked, func(context.Context, *ext.TaskRun) (any, error) { return map[string]any{}, nil }).TaskID; id != "fixed-id" {
		t.Errorf("NewTaskID hook: id %q", id)
	}
	// The same id again: the store refuses it, and the call fails.
	if _, err := hooked.CallTool(context.Background(), ext.ToolCall{Declared: true, Support: ext.TaskRequired, Work: func(context.Context, *ext.TaskRun) (any, error) { return map[string]any{}, nil }}); err == nil {
		t.Error("a second task with a taken id was created")
	}
}

func TestEngineExtTTLGrantedAndClamped(t *testing.T) {
	for _, c := range []struct {
		cfg       ext.EngineConfig
		requested time.Duration
		want      string
	}{
		{ext.EngineConfig{}, 0, `"ttlMs":3600000`},
		{ext.EngineConfig{TTL: -1}, 0, `"ttlMs":null`},
		{ext.EngineConfig{MaxTTL: time.Second}, 0, `"ttlMs":1000`},
		{ext.EngineConfig{MaxTTL: time.Second}, time.Hour, `"ttlMs":1000`},
		{ext.EngineConfig{MaxTTL: time.Second, TTL: -1}, 0, `"ttlMs":1000`},
		{ext.EngineConfig{}, 2 * time.Second, `"ttlMs":2000`},
	} {
		e := newExtEngine(t, c.cfg)
		ans, err := e.CallTool(context.Background(), ext.ToolCall{Declared: true, Support: ext.TaskRequired, TTL: c.requested,
			Work: func(context.Context, *ext.TaskRun) (any, error) { return map[string]any{}, nil }})
		if err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(ans.Task)
		if !strings.Contains(string(data), c.want) {
			t.Errorf("TTL %v, MaxTTL %v, asked %v: %s, want %s", c.cfg.TTL, c.cfg.MaxTTL, c.requested, data, c.want)
		}
	}
}

func TestEngineExtServerDecides(t *testing.T) {
	e := newExtEngine(t, ext.EngineConfig{SyncWait: 200 * time.Millisecond})
	quick := func(context.Context, *ext.TaskRun) (any, error) { return textToolResult("quick", false), nil }
	slow := func(ctx context.Context, _ *ext.TaskRun) (any, error) {
		select {
		case <-time.After(time.Second):
		case <-ctx.Done():
		}
		return textToolResult("slow", false), nil
	}
	for _, c := range []struct {
		name     string
		call     ext.ToolCall
		wantTask bool
		wantCode int64
	}{
		{"optional, quick", ext.ToolCall{Declared: true, Support: ext.TaskOptional, Work: quick}, false, 0},
		{"optional, slow", ext.ToolCall{Declared: true, Support: ext.TaskOptional, Work: slow}, true, 0},
		{"required, quick", ext.ToolCall{Declared: true, Support: ext.TaskRequired, Work: quick}, true, 0},
		{"forbidden, slow", ext.ToolCall{Declared: true, Support: ext.TaskForbidden, Work: slow}, false, 0},
		{"undeclared, optional, slow", ext.ToolCall{Support: ext.TaskOptional, Work: slow}, false, 0},
		{"undeclared, required", ext.ToolCall{Support: ext.TaskRequired, Work: quick}, false, ext.CodeMissingCapability},
	} {
		ans, err := e.CallTool(context.Background(), c.call)
		if c.wantCode != 0 {
			var rpcErr *ext.Error
			if !errors.As(err, &rpcErr) || rpcErr.Code != c.wantCode {
				t.Errorf("%s: error %v, want code %d", c.name, err, c.wantCode)
				continue
			}
			data, _ := json.Marshal(rpcErr)
			if !strings.Contains(string(data), `"requiredCapabilities":{"extensions":{"io.modelcontextprotocol/tasks":{}}}`) {
				t.Errorf("%s: %s lacks data.requiredCapabilities", c.name, data)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if (ans.Task != nil) != c.wantTask {
			t.Errorf("%s: task %v, want %v (result %s)", c.name, ans.Task != nil, c.wantTask, ans.Result)
		}
		if ans.Task == nil && !strings.Contains(string(ans.Result), `"resultType":"complete"`) {
			t.Errorf("%s: result %s lacks resultType complete", c.name, ans.Result)
		}
	}
	// Work that asks for input inside the wait becomes a task at once.
	start := time.Now()
	ans, err := newExtEngine(t, ext.EngineConfig{SyncWait: time.Minute}).CallTool(context.Background(), ext.ToolCall{Declared: true, Support: ext.TaskOptional,
		Work: func(ctx context.Context, run *ext.TaskRun) (any, error) {
			_, err := run.Ask(ctx, ext.InputRequests{"q": &ext.ListRootsRequest{}})
			return map[string]any{}, err
		}})
	if err != nil || ans.Task == nil || time.Since(start) > 10*time.Second {
		t.Errorf("work asking for input in the wait: %+v, %v after %v, want a task at once", ans, err, time.Since(start))
	}
	// Without a task there is nobody to ask.
	_, err = e.CallTool(context.Background(), ext.ToolCall{Support: ext.TaskOptional, Work: func(ctx context.Context, run *ext.TaskRun) (any, error) {
		_, err := run.Ask(ctx, ext.InputRequests{"q": &ext.ListRootsRequest{}})
		return nil, err
	}})
	// That is the work's mistake: the peer hears only of an internal
	// error, the log gets ErrInputNeedsTask.
	var rpcErr *ext.Error
	if !errors.As(err, &rpcErr) || rpcErr.Code != ext.CodeInternalError || rpcErr.Message != "internal error" {
		t.Errorf("Ask without a task: %v, want -32603 internal error", err)
	}
}

func TestEngineExtUndeclaredTasksRequests(t *testing.T) {
	e := newExtEngine(t, ext.EngineConfig{})
	for _, method := range []string{ext.MethodGetTask, ext.MethodUpdateTask, ext.MethodCancelTask} {
		_, rpcErr := e.Dispatch(context.Background(), method, json.RawMessage(`{"taskId":"nope","inputResponses":{}}`))
		if rpcErr == nil || rpcErr.Code != ext.CodeMissingCapability || rpcErr.Data == nil {
			t.Errorf("%s without the extension: %v, want -32021 with data", method, rpcErr)
		}
		_, rpcErr = extRequest(context.Background(), e, method, "nope", `,"inputResponses":{}`)
		if rpcErr == nil || rpcErr.Code != ext.CodeInvalidParams {
			t.Errorf("%s of an unknown task: %v, want -32602", method, rpcErr)
		}
	}
	for _, method := range []string{"tasks/result", "tasks/list"} {
		if _, rpcErr := extRequest(context.Background(), e, method, "x", ""); rpcErr == nil || rpcErr.Code != ext.CodeMethodNotFound {
			t.Errorf("%s: %v, want -32601", method, rpcErr)
		}
	}
}

// TestEngineExtRaceOnSharedStore races a cancel on one engine against the
// completion of the work on another, both on one store, 1000 times: exactly
// one terminal status is written, and tasks/get inlines what it says.
func TestEngineExtRaceOnSharedStore(t *testing.T) {
	store := newRecordingStore()
	runner := newExtEngine(t, ext.EngineConfig{Store: store, MaxTasks: 2000, MaxTasksPerOwner: 2000})
	canceller := newExtEngine(t, ext.EngineConfig{Store: store})
	ctx := context.Background()
	counts := map[ext.TaskStatus]int{}
	for i := range 1000 {
		release := make(chan struct{})
		id := extCall(t, ctx, runner, func(ctx context.Context, _ *ext.TaskRun) (any, error) {
			<-release
			return textToolResult(fmt.Sprint("result ", i), false), nil
		}).TaskID
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			close(release)
		}()
		go func() {
			defer wg.Done()
			raw, rpcErr := extRequest(ctx, canceller, ext.MethodCancelTask, id, "")
			if rpcErr != nil || string(raw) != `{"resultType":"complete"}` {
				t.Errorf("tasks/cancel: %s, %v, want the empty ack", raw, rpcErr)
			}
		}()
		wg.Wait()
		var final ext.GetTaskResult
		for {
			final = extGet(t, ctx, canceller, id)
			if extStatus(final).IsTerminal() {
				break
			}
			time.Sleep(100 * time.Microsecond)
		}
		// The runner may still be writing: wait for its work to be over.
		deadline := time.Now().Add(5 * time.Second)
		for len(store.history(id)) < 2 && time.Now().Before(deadline) {
			time.Sleep(100 * time.Microsecond)
		}
		time.Sleep(0)
		h := store.history(id)
		checkHistory(t, id, h)
		terminal := 0
		for _, s := range h {
			if s.IsTerminal() {
				terminal++
			}
		}
		if terminal != 1 || h[len(h)-1] != extStatus(final) {
			t.Fatalf("task %s: history %v, tasks/get says %s: want one terminal status, the one tasks/get gives", id, h, extStatus(final))
		}
		switch r := final.(type) {
		case *ext.GetTaskResultCompleted:
			if fmt.Sprint(r.Result["content"]) != fmt.Sprint([]any{map[string]any{"type": "text", "text": fmt.Sprint("result ", i)}}) {
				t.Fatalf("task %s completed with %v", id, r.Result)
			}
		case *ext.GetTaskResultCancelled:
		default:
			t.Fatalf("task %s ended %T", id, final)
		}
		counts[extStatus(final)]++
	}
	t.Logf("1000 races: %v", counts)
}

func TestEngineExtWorkOutlivesRequest(t *testing.T) {
	e := newExtEngine(t, ext.EngineConfig{})
	reqCtx, endRequest := context.WithCancel(context.WithValue(context.Background(), ctxKeyTest{}, "kept"))
	release := make(chan struct{})
	var seen atomic.Value
	id := extCall(t, reqCtx, e, func(ctx context.Context, _ *ext.TaskRun) (any, error) {
		<-release
		seen.Store(fmt.Sprint(ctx.Value(ctxKeyTest{}), " ", ctx.Err()))
		return textToolResult("done", false), nil
	}).TaskID
	endRequest()
	close(release)
	extAwait(t, context.Background(), e, id, ext.TaskStatusCompleted)
	if got := seen.Load(); got != "kept <nil>" {
		t.Errorf("the work saw %q, want the request's values and a live context", got)
	}
}

type ctxKeyTest struct{}

func TestEngineExtCancelIsCooperative(t *testing.T) {
	e := newExtEngine(t, ext.EngineConfig{})
	ctx := context.Background()
	stopped := make(chan error, 1)
	id := extCall(t, ctx, e, func(ctx context.Context, _ *ext.TaskRun) (any, error) {
		<-ctx.Done()
		stopped <- ctx.Err()
		// The work ignores the cancel and returns a result: too late.
		return textToolResult("late", false), nil
	}).TaskID
	raw, rpcErr := extRequest(ctx, e, ext.MethodCancelTask, id, "")
	if rpcErr != nil || string(raw) != `{"resultType":"complete"}` {
		t.Fatalf("tasks/cancel: %s, %v", raw, rpcErr)
	}
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the work's context did not end on tasks/cancel")
	}
	time.Sleep(20 * time.Millisecond)
	if got := extStatus(extGet(t, ctx, e, id)); got != ext.TaskStatusCancelled {
		t.Errorf("status %s after cancel, want cancelled", got)
	}
	// Cancelling an ended task changes nothing and still acks.
	done := extCall(t, ctx, e, func(context.Context, *ext.TaskRun) (any, error) { return textToolResult("ok", false), nil }).TaskID
	extAwait(t, ctx, e, done, ext.TaskStatusCompleted)
	if raw, rpcErr := extRequest(ctx, e, ext.MethodCancelTask, done, ""); rpcErr != nil || string(raw) != `{"resultType":"complete"}` {
		t.Errorf("tasks/cancel of a completed task: %s, %v", raw, rpcErr)
	}
	extAwait(t, ctx, e, done, ext.TaskStatusCompleted)
}

func TestEngineExtOutcomes(t *testing.T) {
	var logged strings.Builder
	var logMu sync.Mutex
	e := newExtEngine(t, ext.EngineConfig{Logf: func(format string, args ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		fmt.Fprintf(&logged, format+"\n", args...)
	}})
	ctx := context.Background()

	id := extCall(t, ctx, e, func(context.Context, *ext.TaskRun) (any, error) { panic("secret detail 42") }).TaskID
	failed := extAwait(t, ctx, e, id, ext.TaskStatusFailed).(*ext.GetTaskResultFailed)
	if failed.Error.Code != ext.CodeInternalError || strings.Contains(failed.Error.Message, "secret") {
		t.Errorf("a panic ended the task with %+v, want a generic -32603", failed.Error)
	}
	logMu.Lock()
	if !strings.Contains(logged.String(), "secret detail 42") {
		t.Errorf("the panic's detail is not in the log: %q", logged.String())
	}
	logMu.Unlock()

	id = extCall(t, ctx, e, func(context.Context, *ext.TaskRun) (any, error) {
		return nil, &ext.Error{Code: -32050, Message: "upstream refused", Data: map[string]any{"why": "quota"}}
	}).TaskID
	failed = extAwait(t, ctx, e, id, ext.TaskStatusFailed).(*ext.GetTaskResultFailed)
	if failed.Error.Code != -32050 || failed.Error.Message != "upstream refused" || fmt.Sprint(failed.Error.Data) != "map[why:quota]" {
		t.Errorf("a JSON-RPC error ended the task with %+v", failed.Error)
	}

	id = extCall(t, ctx, e, func(context.Context, *ext.TaskRun) (any, error) { return textToolResult("bad input", true), nil }).TaskID
	completed := extAwait(t, ctx, e, id, ext.TaskStatusCompleted).(*ext.GetTaskResultCompleted)
	if completed.Result["isError"] != true {
		t.Errorf("an isError result completed with %v", completed.Result)
	}

	id = extCall(t, ctx, e, func(context.Context, *ext.TaskRun) (any, error) { return []int{1}, nil }).TaskID
	failed = extAwait(t, ctx, e, id, ext.TaskStatusFailed).(*ext.GetTaskResultFailed)
	if failed.Error.Code != ext.CodeInternalError {
		t.Errorf("a result that is no object: %+v", failed.Error)
	}
}

func TestEngineExtTTLCountsFromCreation(t *testing.T) {
	e := newExtEngine(t, ext.EngineConfig{TTL: 400 * time.Millisecond})
	ctx := context.Background()
	stopped := make(chan struct{})
	asked := make(chan struct{})
	id := extCall(t, ctx, e, func(ctx context.Context, r *ext.TaskRun) (any, error) {
		close(asked)
		_, err := r.Ask(ctx, ext.InputRequests{"q": &ext.ListRootsRequest{}, "r": &ext.ListRootsRequest{}})
		close(stopped)
		return nil, err
	}).TaskID
	created := time.Now()
	<-asked
	// Writes to the task (input_required, an update) must not restart the TTL.
	time.Sleep(200 * time.Millisecond)
	extAwait(t, ctx, e, id, ext.TaskStatusInputRequired)
	// A partial answer: a write 200ms into the task's life.
	if _, rpcErr := extRequest(ctx, e, ext.MethodUpdateTask, id, `,"inputResponses":{"q":{"roots":[]}}`); rpcErr != nil {
		t.Fatal(rpcErr)
	}
	if r := extGet(t, ctx, e, id).(*ext.GetTaskResultInputRequired); len(r.InputRequests) != 1 {
		t.Fatalf("the partial answer was not taken: %v", r.InputRequests)
	}
	time.Sleep(time.Until(created.Add(450 * time.Millisecond)))
	_, rpcErr := extRequest(ctx, e, ext.MethodGetTask, id, "")
	if rpcErr == nil || rpcErr.Code != ext.CodeInvalidParams {
		t.Fatalf("tasks/get after the TTL: %v, want -32602", rpcErr)
	}
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the work of an expired task goes on")
	}
}

func TestEngineExtInput(t *testing.T) {
	e := newExtEngine(t, ext.EngineConfig{})
	ctx := context.Background()
	answers := make(chan ext.InputResponses, 1)
	reuse := make(chan error, 1)
	id := extCall(t, ctx, e, func(ctx context.Context, run *ext.TaskRun) (any, error) {
		got, err := run.Ask(ctx, ext.InputRequests{
			"a": &ext.ElicitRequest{Params: &ext.ElicitRequestFormParams{Message: "first?", RequestedSchema: ext.ElicitRequestFormParamsRequestedSchema{Properties: map[string]ext.PrimitiveSchemaDefinition{}}}},
			"b": &ext.ListRootsRequest{},
		})
		if err != nil {
			return nil, err
		}
		answers <- got
		_, err = run.Ask(ctx, ext.InputRequests{"a": &ext.ListRootsRequest{}})
		reuse <- err
		return textToolResult("thanks", false), nil
	}).TaskID
	r := extAwait(t, ctx, e, id, ext.TaskStatusInputRequired).(*ext.GetTaskResultInputRequired)
	if len(r.InputRequests) != 2 || r.InputRequests["a"] == nil || r.InputRequests["b"] == nil {
		t.Fatalf("inputRequests %v, want a and b", r.InputRequests)
	}
	update := func(responses string) {
		t.Helper()
		raw, rpcErr := extRequest(ctx, e, ext.MethodUpdateTask, id, `,"inputResponses":`+responses)
		if rpcErr != nil || string(raw) != `{"resultType":"complete"}` {
			t.Fatalf("tasks/update %s: %s, %v, want the empty ack", responses, raw, rpcErr)
		}
	}
	// A partial answer, and an unknown key of no known shape: ignored.
	update(`{"a":{"action":"accept","content":{"x":"1"}},"zzz":{"no":"shape"}}`)
	r = extAwait(t, ctx, e, id, ext.TaskStatusInputRequired).(*ext.GetTaskResultInputRequired)
	if len(r.InputRequests) != 1 || r.InputRequests["b"] == nil {
		t.Fatalf("after answering a: inputRequests %v, want b alone", r.InputRequests)
	}
	// a again (already answered) is ignored; b completes the round.
	update(`{"a":{"action":"decline"},"b":{"roots":[]}}`)
	got := <-answers
	if er, ok := got["a"].(*ext.ElicitResult); !ok || er.Action != ext.ElicitResultActionAccept {
		t.Errorf("answer a = %#v, want the first (accept)", got["a"])
	}
	if _, ok := got["b"].(*ext.ListRootsResult); !ok || len(got) != 2 {
		t.Errorf("answers %v", got)
	}
	if err := <-reuse; err == nil || !strings.Contains(err.Error(), `"a" was used before`) {
		t.Errorf("asking with key a again: %v", err)
	}
	extAwait(t, ctx, e, id, ext.TaskStatusCompleted)
	// An update of a task that waits on nothing acks.
	update(`{"b":{"roots":[]}}`)
}

// recordingPeer notes the notifications it is asked to send.
type recordingPeer struct {
	mu     sync.Mutex
	sent   []ext.TaskStatus
	owners []string // NotifiedOwner of each
	wakes  chan struct{}
}

func (p *recordingPeer) Call(context.Context, string, json.RawMessage) (json.RawMessage, error) {
	return nil, errors.New("no calls here")
}

func (p *recordingPeer) Notify(ctx context.Context, method string, params json.RawMessage) error {
	n, err := ext.UnmarshalTaskStatusNotificationParams(params)
	if err != nil || method != ext.MethodTaskStatusNotification {
		return fmt.Errorf("bad notification %s %s: %v", method, params, err)
	}
	var s ext.TaskStatus
	switch n.(type) {
	case *ext.TaskStatusNotificationParamsWorking:
		s = ext.TaskStatusWorking
	case *ext.TaskStatusNotificationParamsInputRequired:
		s = ext.TaskStatusInputRequired
	case *ext.TaskStatusNotificationParamsCompleted:
		s = ext.TaskStatusCompleted
	case *ext.TaskStatusNotificationParamsFailed:
		s = ext.TaskStatusFailed
	case *ext.TaskStatusNotificationParamsCancelled:
		s = ext.TaskStatusCancelled
	}
	p.mu.Lock()
	p.sent = append(p.sent, s)
	if owner, ok := ext.NotifiedOwner(ctx); ok {
		p.owners = append(p.owners, owner)
	}
	p.mu.Unlock()
	select {
	case p.wakes <- struct{}{}:
	default:
	}
	return nil
}

func (p *recordingPeer) statuses() []ext.TaskStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]ext.TaskStatus(nil), p.sent...)
}

func TestEngineExtNotificationsAfterReply(t *testing.T) {
	peer := &recordingPeer{wakes: make(chan struct{}, 1)}
	e := newExtEngine(t, ext.EngineConfig{Peer: peer, Owner: func(ctx context.Context) string { s, _ := ctx.Value(extOwnerKey{}).(string); return s }})
	ctx, replySent := ext.WithReplyGate(context.WithValue(context.Background(), extOwnerKey{}, "carol"))
	id := extCall(t, ctx, e, func(ctx context.Context, run *ext.TaskRun) (any, error) {
		if _, err := run.Ask(ctx, ext.InputRequests{"q": &ext.ListRootsRequest{}}); err != nil {
			return nil, err
		}
		return textToolResult("done", false), nil
	}).TaskID
	extAwait(t, ctx, e, id, ext.TaskStatusInputRequired)
	if _, rpcErr := extRequest(ctx, e, ext.MethodUpdateTask, id, `,"inputResponses":{"q":{"roots":[]}}`); rpcErr != nil {
		t.Fatal(rpcErr)
	}
	extAwait(t, ctx, e, id, ext.TaskStatusCompleted)
	time.Sleep(50 * time.Millisecond)
	if got := peer.statuses(); len(got) != 0 {
		t.Fatalf("notifications %v before the reply was written", got)
	}
	replySent()
	// A status shorter than the engine's look at the store may be skipped
	// (here working, between the update and the work's end), but what is
	// sent follows the lifecycle and ends with the terminal status.
	deadline := time.After(5 * time.Second)
	for got := peer.statuses(); len(got) == 0 || !got[len(got)-1].IsTerminal(); got = peer.statuses() {
		select {
		case <-peer.wakes:
		case <-deadline:
			t.Fatalf("notifications %v, want them to end completed", got)
		}
	}
	got := peer.statuses()
	prev := ext.TaskStatusWorking
	for _, s := range got {
		if !prev.CanTransitionTo(s) {
			t.Fatalf("notifications %v: %s → %s is no move of the lifecycle", got, prev, s)
		}
		prev = s
	}
	if prev != ext.TaskStatusCompleted {
		t.Errorf("notifications %v, want them to end completed", got)
	}
	peer.mu.Lock()
	defer peer.mu.Unlock()
	for _, owner := range peer.owners {
		if owner != "carol" {
			t.Errorf("a notification of carol's task names owner %q", owner)
		}
	}
	if len(peer.owners) != len(peer.sent) {
		t.Errorf("%d of %d notifications name their task's owner", len(peer.owners), len(peer.sent))
	}
}

type extOwnerKey struct{}

func TestEngineExtOwnerBinding(t *testing.T) {
	e := newExtEngine(t, ext.EngineConfig{Owner: func(ctx context.Context) string { s, _ := ctx.Value(extOwnerKey{}).(string); return s }})
	alice := context.WithValue(context.Background(), extOwnerKey{}, "alice")
	bob := context.WithValue(context.Background(), extOwnerKey{}, "bob")
	id := extCall(t, alice, e, func(ctx context.Context, run *ext.TaskRun) (any, error) {
		_, err := run.Ask(ctx, ext.InputRequests{"q": &ext.ListRootsRequest{}})
		return textToolResult("alice's", false), err
	}).TaskID
	extAwait(t, alice, e, id, ext.TaskStatusInputRequired)
	const never = "NEVERISSUEDNEVERISSUED0000"
	for _, method := range []string{ext.MethodGetTask, ext.MethodUpdateTask, ext.MethodCancelTask} {
		_, fromBob := extRequest(bob, e, method, id, `,"inputResponses":{"q":{"roots":[]}}`)
		_, unknown := extRequest(bob, e, method, never, `,"inputResponses":{"q":{"roots":[]}}`)
		a, _ := json.Marshal(fromBob)
		b, _ := json.Marshal(unknown)
		if fromBob == nil || strings.ReplaceAll(string(a), id, never) != string(b) {
			t.Errorf("%s of alice's task by bob: %s; of an unknown id: %s", method, a, b)
		}
	}
	if got := extStatus(extGet(t, alice, e, id)); got != ext.TaskStatusInputRequired {
		t.Errorf("bob changed alice's task: %s", got)
	}
}

func TestEngineExtLimits(t *testing.T) {
	e := newExtEngine(t, ext.EngineConfig{MaxTasksPerOwner: 2, MaxTasks: 3, Owner: func(ctx context.Context) string { s, _ := ctx.Value(extOwnerKey{}).(string); return s }})
	release := make(chan struct{})
	block := func(context.Context, *ext.TaskRun) (any, error) { <-release; return map[string]any{}, nil }
	alice := context.WithValue(context.Background(), extOwnerKey{}, "alice")
	bob := context.WithValue(context.Background(), extOwnerKey{}, "bob")
	call := func(ctx context.Context) error {
		_, err := e.CallTool(ctx, ext.ToolCall{Declared: true, Support: ext.TaskRequired, Work: block})
		return err
	}
	for i, c := range []struct {
		ctx  context.Context
		want string
	}{{alice, ""}, {alice, ""}, {alice, "for this requestor (limit 2)"}, {bob, ""}, {bob, "on this server (limit 3)"}} {
		err := call(c.ctx)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("call %d: %v, want %q", i, err, c.want)
		}
	}
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for call(alice) != nil {
		if time.Now().After(deadline) {
			t.Fatal("slots were not released when the tasks ended")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestEngineExtClose(t *testing.T) {
	store := ext.NewMemoryStore()
	e := ext.NewEngine(ext.EngineConfig{Store: store, Logf: t.Logf})
	other := newExtEngine(t, ext.EngineConfig{Store: store})
	ctx := context.Background()
	id := extCall(t, ctx, e, func(ctx context.Context, _ *ext.TaskRun) (any, error) {
		<-ctx.Done()
		return nil, context.Cause(ctx)
	}).TaskID
	closeCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := e.Close(closeCtx); err != nil {
		t.Fatal(err)
	}
	failed := extAwait(t, ctx, other, id, ext.TaskStatusFailed).(*ext.GetTaskResultFailed)
	if !strings.Contains(failed.Error.Message, "shut down") {
		t.Errorf("a task stopped by Close failed with %+v", failed.Error)
	}
	if _, err := e.CallTool(ctx, ext.ToolCall{Declared: true, Support: ext.TaskRequired, Work: func(context.Context, *ext.TaskRun) (any, error) { return map[string]any{}, nil }}); err == nil {
		t.Error("a closed engine took a task")
	}
}

func TestEngineExtLostWorker(t *testing.T) {
	store := newRecordingStore()
	crashing := ext.NewEngine(ext.EngineConfig{Store: store, Lease: 150 * time.Millisecond, Logf: func(string, ...any) {}})
	survivor := newExtEngine(t, ext.EngineConfig{Store: store.MemoryStore})
	ctx := context.Background()
	release := make(chan struct{})
	id := extCall(t, ctx, crashing, func(ctx context.Context, _ *ext.TaskRun) (any, error) {
		<-release
		return map[string]any{}, nil
	}).TaskID
	// While the worker lives it renews its lease, past several lease periods.
	time.Sleep(500 * time.Millisecond)
	if got := extStatus(extGet(t, ctx, survivor, id)); got != ext.TaskStatusWorking {
		t.Fatalf("a task with a live worker: %s", got)
	}
	// The worker's process loses its store: its lease lapses.
	store.dead.Store(true)
	time.Sleep(300 * time.Millisecond)
	failed := extAwait(t, ctx, survivor, id, ext.TaskStatusFailed).(*ext.GetTaskResultFailed)
	if !strings.Contains(failed.Error.Message, "worker") || !strings.Contains(failed.Error.Message, "lost") {
		t.Errorf("a lost worker's task failed with %+v", failed.Error)
	}
	close(release)
	closeCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_ = crashing.Close(closeCtx)
}

// BenchmarkEngineExtTask is the cost of one task through the engine:
// tools/call creating it, its work completing, and tasks/get reading the
// result, on a MemoryStore. Between a tasks/get that finds the task still
// working and the next, it waits on the store for the task's next write, so
// that no sleep is measured.
func BenchmarkEngineExtTask(b *testing.B) {
	store := ext.NewMemoryStore()
	e := newExtEngine(b, ext.EngineConfig{Store: store, MaxTasks: 1 << 30, MaxTasksPerOwner: 1 << 30, TTL: time.Minute, Logf: b.Logf})
	ctx := context.Background()
	work := func(context.Context, *ext.TaskRun) (any, error) { return textToolResult("done", false), nil }
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		ans, err := e.CallTool(ctx, ext.ToolCall{Declared: true, Support: ext.TaskRequired, Work: work})
		if err != nil {
			b.Fatal(err)
		}
		p := json.RawMessage(`{"taskId":"` + ans.Task.TaskID + `","_meta":` + extMeta + `}`)
		for {
			_, version, _ := store.Get(ctx, "io.modelcontextprotocol/tasks/"+ans.Task.TaskID)
			raw, rpcErr := e.Dispatch(ctx, ext.MethodGetTask, p)
			if rpcErr != nil {
				b.Fatal(rpcErr)
			}
			if strings.Contains(string(raw), `"status":"completed"`) {
				break
			}
			if err := store.Wait(ctx, "io.modelcontextprotocol/tasks/"+ans.Task.TaskID, version); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestEngineExtSyncWaitBoundary ends work right around the SyncWait bound,
// many times: each call answers exactly once, with the result at once or
// with a task that completes with that same result; none is lost.
func TestEngineExtSyncWaitBoundary(t *testing.T) {
	e := newExtEngine(t, ext.EngineConfig{SyncWait: time.Millisecond, MaxTasksPerOwner: 1000})
	ctx := context.Background()
	answered := map[string]int{}
	for i := range 300 {
		want := fmt.Sprint("result ", i)
		pause := time.Duration(i%5) * 250 * time.Microsecond
		ans, err := e.CallTool(ctx, ext.ToolCall{Declared: true, Support: ext.TaskOptional, Work: func(context.Context, *ext.TaskRun) (any, error) {
			time.Sleep(pause)
			return textToolResult(want, false), nil
		}})
		switch {
		case err != nil:
			t.Fatalf("call %d: %v", i, err)
		case (ans.Task == nil) == (ans.Result == nil):
			t.Fatalf("call %d: task %v and result %s: want exactly one", i, ans.Task, ans.Result)
		case ans.Result != nil:
			answered["at once"]++
			if !strings.Contains(string(ans.Result), want) {
				t.Fatalf("call %d: result %s, want %q", i, ans.Result, want)
			}
		default:
			answered["as a task"]++
			r := extAwait(t, ctx, e, ans.Task.TaskID, ext.TaskStatusCompleted).(*ext.GetTaskResultCompleted)
			if !strings.Contains(fmt.Sprint(r.Result), want) {
				t.Fatalf("call %d: task completed with %v, want %q", i, r.Result, want)
			}
		}
	}
	t.Logf("300 calls: %v", answered)
}

// failingStore is a MemoryStore whose Get and Wait fail at once once it is
// broken, as a store behind a dropped connection does.
type failingStore struct {
	*ext.MemoryStore
	broken atomic.Bool
	calls  atomic.Int64
}

func (s *failingStore) Get(ctx context.Context, key string) ([]byte, int64, error) {
	if s.broken.Load() {
		s.calls.Add(1)
		return nil, 0, errDead
	}
	return s.MemoryStore.Get(ctx, key)
}

// Wait fails at once when the store is broken, also a wait that began
// before: it looks every 10ms.
func (s *failingStore) Wait(ctx context.Context, key string, version int64) error {
	for {
		if s.broken.Load() {
			s.calls.Add(1)
			return errDead
		}
		short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
		err := s.MemoryStore.Wait(short, key, version)
		cancel()
		if err == nil || ctx.Err() != nil {
			return err
		}
	}
}

// A store that fails at once does not make the engine spin on it.
func TestEngineExtFailingStoreIsNotHammered(t *testing.T) {
	store := &failingStore{MemoryStore: ext.NewMemoryStore()}
	e := newExtEngine(t, ext.EngineConfig{Store: store, Lease: 300 * time.Millisecond, Logf: func(string, ...any) {}})
	release := make(chan struct{})
	extCall(t, context.Background(), e, func(ctx context.Context, _ *ext.TaskRun) (any, error) {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return map[string]any{}, nil
	})
	store.broken.Store(true)
	time.Sleep(500 * time.Millisecond)
	close(release)
	// One watcher, a look every 100ms at most, two calls a look.
	if n := store.calls.Load(); n > 40 {
		t.Errorf("%d store calls in 500ms from one task's watcher", n)
	}
}

// Work waiting for input hears of a store that fails: Ask returns the
// error, never answers that are not there.
func TestEngineExtAskReportsStoreFailure(t *testing.T) {
	store := &failingStore{MemoryStore: ext.NewMemoryStore()}
	e := newExtEngine(t, ext.EngineConfig{Store: store, Logf: func(string, ...any) {}})
	asked := make(chan struct{})
	got := make(chan error, 1)
	extCall(t, context.Background(), e, func(ctx context.Context, run *ext.TaskRun) (any, error) {
		go func() {
			<-asked
			store.broken.Store(true)
		}()
		close(asked)
		answers, err := run.Ask(ctx, ext.InputRequests{"q": &ext.ListRootsRequest{}})
		if err == nil {
			err = fmt.Errorf("Ask returned answers %v and no error", answers)
		}
		got <- err
		return nil, err
	})
	select {
	case err := <-got:
		if !errors.Is(err, errDead) && !strings.Contains(err.Error(), errDead.Error()) {
			t.Errorf("Ask on a failing store: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Ask did not return on a failing store")
	}
}
