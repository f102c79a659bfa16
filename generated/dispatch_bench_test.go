package generated_test

import (
	"context"
	"encoding/json"
	"testing"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// The dispatcher's cost over decoding the params and encoding the result
// by hand: a tasks/get served by a handler that returns a task it holds.

const getTaskParams = `{"taskId":"786512e2-9e0d-44bd-8f29-789f320fe840"}`

// taskHolder serves tasks/get from one task.
type taskHolder struct {
	mcp.UnimplementedServerHandler
	result *mcp.GetTaskResult
}

func (h *taskHolder) GetTask(ctx context.Context, p *mcp.GetTaskRequestParams) (*mcp.GetTaskResult, error) {
	if p.TaskID != h.result.TaskID {
		return nil, &mcp.Error{Code: mcp.CodeInvalidParams, Message: "unknown task"}
	}
	return h.result, nil
}

func newTaskHolder(tb testing.TB) *taskHolder {
	var res mcp.GetTaskResult
	err := json.Unmarshal([]byte(`{"taskId":"786512e2-9e0d-44bd-8f29-789f320fe840","status":"working","statusMessage":"The operation is now in progress.","createdAt":"2025-11-25T10:30:00Z","lastUpdatedAt":"2025-11-25T10:40:00Z","ttl":60000,"pollInterval":5000}`), &res)
	if err != nil {
		tb.Fatal(err)
	}
	return &taskHolder{result: &res}
}

// byHand is the limit the dispatcher is measured against: the params
// decoded, the handler called directly, the result encoded.
func byHand(ctx context.Context, h *taskHolder, params []byte) ([]byte, error) {
	var p mcp.GetTaskRequestParams
	if err := p.UnmarshalJSON(params); err != nil {
		return nil, err
	}
	res, err := h.GetTask(ctx, &p)
	if err != nil {
		return nil, err
	}
	return res.MarshalJSON()
}

func dispatchGetTask(ctx context.Context, d *mcp.ServerDispatcher, params []byte) ([]byte, error) {
	res, rpcErr := d.Dispatch(ctx, mcp.MethodGetTask, params)
	if rpcErr != nil {
		return nil, rpcErr
	}
	return res, nil
}

func newTaskDispatcher(h *taskHolder) *mcp.ServerDispatcher {
	return &mcp.ServerDispatcher{
		Handler:      h,
		Capabilities: mcp.ServerCapabilities{Tasks: &mcp.ServerCapabilitiesTasks{List: map[string]any{}, Cancel: map[string]any{}}},
		TaskStatusOf: func(ctx context.Context, id string) (mcp.TaskStatus, bool) {
			return mcp.TaskStatusWorking, id == h.result.TaskID
		},
	}
}

// TestDispatcherAllocations: a tasks/get round trip through the
// dispatcher allocates at most one object more than decoding the params
// and encoding the result by hand, and answers the same bytes.
func TestDispatcherAllocations(t *testing.T) {
	ctx := context.Background()
	h := newTaskHolder(t)
	d := newTaskDispatcher(h)
	params := []byte(getTaskParams)
	want, err := byHand(ctx, h, params)
	if err != nil {
		t.Fatal(err)
	}
	got, err := dispatchGetTask(ctx, d, params)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("dispatcher answered %s, by hand %s", got, want)
	}
	hand := testing.AllocsPerRun(200, func() { byHand(ctx, h, params) })
	through := testing.AllocsPerRun(200, func() { dispatchGetTask(ctx, d, params) })
	t.Logf("allocations: by hand %.0f, through the dispatcher %.0f", hand, through)
	if through > hand+1 {
		t.Errorf("the dispatcher adds %.0f allocations to a tasks/get round trip, want at most 1", through-hand)
	}
}

func BenchmarkGetTaskByHand(b *testing.B) {
	ctx := context.Background()
	h := newTaskHolder(b)
	params := []byte(getTaskParams)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := byHand(ctx, h, params); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetTaskDispatch(b *testing.B) {
	ctx := context.Background()
	h := newTaskHolder(b)
	d := newTaskDispatcher(h)
	params := []byte(getTaskParams)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dispatchGetTask(ctx, d, params); err != nil {
			b.Fatal(err)
		}
	}
}
