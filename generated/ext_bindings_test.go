package generated_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	ext "github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/generated/mcpdraft"
)

func TestExtLifecycleAllPairs(t *testing.T) {
	statuses := []ext.TaskStatus{"working", "input_required", "completed", "failed", "cancelled"}
	for _, from := range statuses {
		for _, to := range statuses {
			want := false
			for _, a := range allowedMoves[mcpTaskStatus(from)] {
				want = want || string(a) == string(to)
			}
			if got := from.CanTransitionTo(to); got != want {
				t.Errorf("%s → %s: %v, want %v", from, to, got, want)
			}
			if (ext.ValidateTransition(from, to) == nil) != want {
				t.Errorf("%s → %s: ValidateTransition disagrees", from, to)
			}
		}
	}
	task := ext.Task{TaskID: "t", Status: ext.TaskStatusInitial}
	if err := task.MoveTo(ext.TaskStatusFailed, testNow); err != nil || task.LastUpdatedAt != "2026-01-02T03:04:05Z" {
		t.Errorf("MoveTo: %v, %+v", err, task)
	}
}

// extServer answers the task methods from a fixed set of tasks.
type extServer struct {
	ext.UnimplementedServerHandler
	tasks map[string]ext.GetTaskResult
}

func (s *extServer) GetTask(ctx context.Context, p *ext.GetTaskRequestParams) (ext.GetTaskResult, error) {
	if r, ok := s.tasks[p.TaskID]; ok {
		return r, nil
	}
	return nil, &ext.Error{Code: -32602, Message: "unknown task " + p.TaskID}
}

func (s *extServer) CancelTask(ctx context.Context, p *ext.CancelTaskRequestParams) (*ext.CancelTaskResult, error) {
	return &ext.CancelTaskResult{}, nil
}

const declared = `"_meta":{"io.modelcontextprotocol/clientCapabilities":{"extensions":{"io.modelcontextprotocol/tasks":{}}}}`

func TestExtDispatcher(t *testing.T) {
	ttl := int64(1000)
	d := &ext.ServerDispatcher{Handler: &extServer{tasks: map[string]ext.GetTaskResult{
		"done": &ext.GetTaskResultCompleted{TaskID: "done", CreatedAt: "c", LastUpdatedAt: "u", TTLMs: &ttl, Result: map[string]any{"content": []any{}}},
	}}}
	ctx := context.Background()
	for _, c := range []struct {
		name, method, params string
		code                 int64
		msg, result          string
	}{
		{"get", "tasks/get", `{"taskId":"done",` + declared + `}`, 0, "",
			`{"resultType":"complete","taskId":"done","status":"completed","createdAt":"c","lastUpdatedAt":"u","ttlMs":1000,"result":{"content":[]}}`},
		{"unknown id", "tasks/get", `{"taskId":"nope",` + declared + `}`, -32602, "unknown task nope", ""},
		{"undeclared: -32021 before the unknown id", "tasks/get", `{"taskId":"nope"}`, -32021, "missing required client capability: io.modelcontextprotocol/tasks", ""},
		{"undeclared cancel", "tasks/cancel", `{"taskId":"done","_meta":{"io.modelcontextprotocol/clientCapabilities":{"extensions":{}}}}`, -32021, "", ""},
		{"cancel acks", "tasks/cancel", `{"taskId":"done",` + declared + `}`, 0, "", `{"resultType":"complete"}`},
		{"update not implemented", "tasks/update", `{"taskId":"done","inputResponses":{},` + declared + `}`, -32601, "tasks/update", ""},
		{"tasks/result does not exist", "tasks/result", `{"taskId":"done",` + declared + `}`, -32601, "", ""},
		{"tasks/list does not exist", "tasks/list", `{` + declared + `}`, -32601, "", ""},
		{"bad params after the capability check", "tasks/get", `{"taskId":7,` + declared + `}`, -32602, "params.taskId: expected string, got integer", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, rpcErr := d.Dispatch(ctx, c.method, json.RawMessage(c.params))
			if c.code != 0 {
				if rpcErr == nil || rpcErr.Code != c.code || !strings.Contains(rpcErr.Message, c.msg) {
					t.Fatalf("got %s, %v; want error %d %q", res, rpcErr, c.code, c.msg)
				}
				return
			}
			if rpcErr != nil {
				t.Fatal(rpcErr)
			}
			sameJSON(t, []byte(c.result), res)
		})
	}
	_, rpcErr := d.Dispatch(ctx, "tasks/get", json.RawMessage(`{"taskId":"x"}`))
	data, _ := json.Marshal(rpcErr)
	sameJSON(t, []byte(`{"code":-32021,"message":"missing required client capability: io.modelcontextprotocol/tasks","data":{"requiredCapabilities":{"extensions":{"io.modelcontextprotocol/tasks":{}}}}}`), data)
	// The error is what the core schema calls MissingRequiredClientCapabilityError.
	envelope := `{"jsonrpc":"2.0","id":1,"error":` + string(data) + `}`
	if _, err := mcpdraft.UnmarshalDefinition("MissingRequiredClientCapabilityError", []byte(envelope)); err != nil {
		t.Errorf("not a MissingRequiredClientCapabilityError: %v", err)
	}
}

func TestExtNameHeader(t *testing.T) {
	for _, c := range []struct {
		method, header, params string
		ok                     bool
	}{
		{"tasks/get", "t1", `{"taskId":"t1"}`, true},
		{"tasks/get", "t2", `{"taskId":"t1"}`, false},
		{"tasks/cancel", "", `{"taskId":"t1"}`, false},
		{"tasks/update", "t1", `{"taskId":"t1","inputResponses":{}}`, true},
		{"tools/call", "greet", `{"name":"greet"}`, true},
		{"tools/call", "greet", `{"name":"other"}`, false},
		{"server/discover", "", `{}`, true},
	} {
		err := ext.ValidateNameHeader(c.method, c.header, json.RawMessage(c.params))
		if (err == nil) != c.ok || (err != nil && err.Code != -32020) {
			t.Errorf("%s header %q params %s: %v", c.method, c.header, c.params, err)
		}
	}
}

func TestExtDecodeTaskAugmentedResult(t *testing.T) {
	var res mcpdraft.CallToolResult
	task, err := ext.DecodeTaskAugmentedResult([]byte(`{"resultType":"task","taskId":"t","status":"working","createdAt":"c","lastUpdatedAt":"c","ttlMs":null}`), &res)
	if err != nil || task == nil || task.TaskID != "t" || task.TTLMs != nil || res.Content != nil {
		t.Fatalf("task: %+v, %v", task, err)
	}
	for _, body := range []string{
		`{"resultType":"complete","content":[{"type":"text","text":"hi"}]}`,
		`{"content":[{"type":"text","text":"hi"}]}`, // an older server: no resultType
	} {
		var res mcpdraft.CallToolResult
		task, err := ext.DecodeTaskAugmentedResult([]byte(body), &res)
		if err != nil || task != nil || len(res.Content) != 1 {
			t.Errorf("%s: task %v, %v, content %v", body, task, err, res.Content)
		}
	}
	var res2 mcpdraft.CallToolResult
	if _, err := ext.DecodeTaskAugmentedResult([]byte(`{"resultType":"task","taskId":"t"}`), &res2); err == nil || !strings.Contains(err.Error(), "required property is missing") {
		t.Errorf("incomplete task: %v", err)
	}
}

func TestExtServerNotify(t *testing.T) {
	var got []string
	d := &ext.ClientDispatcher{Handler: notifyRecorder{&got}}
	ok := `{"taskId":"t","status":"input_required","createdAt":"c","lastUpdatedAt":"c","ttlMs":null,"inputRequests":{}}`
	if e := d.Notify(context.Background(), ext.MethodTaskStatusNotification, json.RawMessage(ok)); e != nil {
		t.Fatal(e)
	}
	if e := d.Notify(context.Background(), ext.MethodTaskStatusNotification, json.RawMessage(`{"taskId":"t","status":"input_required","createdAt":"c","lastUpdatedAt":"c","ttlMs":null}`)); e == nil || !strings.Contains(e.Message, "params.inputRequests: required property is missing") {
		t.Errorf("input_required without inputRequests: %v", e)
	}
	if len(got) != 1 || got[0] != "*exttasks.TaskStatusNotificationParamsInputRequired" {
		t.Errorf("notifications seen: %v", got)
	}
}

type notifyRecorder struct{ got *[]string }

func (r notifyRecorder) OnTaskStatus(ctx context.Context, p ext.TaskStatusNotificationParams) error {
	*r.got = append(*r.got, typeName(p))
	return nil
}

func TestExtNewCreateTaskResult(t *testing.T) {
	task := &ext.Task{TaskID: "t", Status: ext.TaskStatusWorking, CreatedAt: "a", LastUpdatedAt: "b"}
	data, err := json.Marshal(ext.NewCreateTaskResult(task))
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, []byte(`{"resultType":"task","taskId":"t","status":"working","createdAt":"a","lastUpdatedAt":"b","ttlMs":null}`), data)
}

func TestExtExtensionIn(t *testing.T) {
	var caps mcpdraft.ServerCapabilities
	if err := json.Unmarshal([]byte(`{"extensions":{"io.modelcontextprotocol/tasks":{}}}`), &caps); err != nil {
		t.Fatal(err)
	}
	if !ext.ExtensionIn(caps.Extensions) || ext.ExtensionIn(map[string]any{"other/ext": map[string]any{}}) || ext.ExtensionIn[any](nil) {
		t.Error("ExtensionIn disagrees with the capabilities")
	}
}
