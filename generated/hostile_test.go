package generated_test

// Hostile messages against the generated decoders and dispatchers of
// mcp20251125 and exttasks: huge strings, deep nesting, duplicate and
// case-variant keys, a wrong JSON kind in every position of a few messages,
// integers beyond 2^53 and beyond int64, null where it is not allowed, and
// unknown properties. Every case must be a clear error (a *DecodeError
// naming the path; -32602 naming it from a dispatcher, never -32603) or a
// correct decode, and never a panic. Nothing here is timed.
//
// Test names start with TestHostile, so that
//
//	go test ./generated -run Hostile -v
//
// selects them (each logs how many cases it ran). The tests whose names
// end in Bug hold three decoding faults these tests found, now fixed.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	ext "github.com/mcpgen-dev/mcpgen/generated/exttasks"
	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/generated/mcpdraft"
)

// ---------------------------------------------------------------------------
// harness

// hsServer is a core server handler that accepts everything and records,
// as JSON, the params of the last call, so that tests can see what the
// handler was given.
type hsServer struct {
	mcp.UnimplementedServerHandler
	mu   sync.Mutex
	last []byte
}

func (s *hsServer) saw(p any) {
	data, err := json.Marshal(p)
	if err != nil {
		data = []byte(fmt.Sprintf("%q", "marshal: "+err.Error()))
	}
	s.mu.Lock()
	s.last = data
	s.mu.Unlock()
}

func (s *hsServer) seen() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func hsTask(ttl *int64) mcp.Task {
	return mcp.Task{TaskID: "t", Status: mcp.TaskStatusWorking, CreatedAt: "c", LastUpdatedAt: "c", TTL: ttl}
}

func (s *hsServer) Ping(ctx context.Context, p *mcp.RequestParams) (*mcp.EmptyResult, error) {
	s.saw(p)
	return &mcp.EmptyResult{}, nil
}

func (s *hsServer) CallTool(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
	s.saw(p)
	return &mcp.CallToolResult{Content: []mcp.ContentBlock{&mcp.TextContent{Text: "ok"}}}, nil
}

func (s *hsServer) CallToolAsTask(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CreateTaskResult, error) {
	s.saw(p)
	var ttl *int64
	if p.Task != nil && p.Task.TTL != nil {
		ttl = ptr(*p.Task.TTL)
	}
	return &mcp.CreateTaskResult{Task: hsTask(ttl)}, nil
}

func (s *hsServer) GetTask(ctx context.Context, p *mcp.GetTaskRequestParams) (*mcp.GetTaskResult, error) {
	s.saw(p)
	task := hsTask(nil)
	return mcp.NewGetTaskResult(&task), nil
}

func (s *hsServer) GetTaskPayload(ctx context.Context, p *mcp.GetTaskPayloadRequestParams) (*mcp.GetTaskPayloadResult, error) {
	s.saw(p)
	return &mcp.GetTaskPayloadResult{}, nil
}

func (s *hsServer) CancelTask(ctx context.Context, p *mcp.CancelTaskRequestParams) (*mcp.CancelTaskResult, error) {
	s.saw(p)
	task := hsTask(nil)
	task.Status = mcp.TaskStatusCancelled
	return mcp.NewCancelTaskResult(&task), nil
}

func (s *hsServer) ListTasks(ctx context.Context, p *mcp.PaginatedRequestParams) (*mcp.ListTasksResult, error) {
	s.saw(p)
	return &mcp.ListTasksResult{Tasks: []mcp.Task{}}, nil
}

func (s *hsServer) OnTaskStatus(ctx context.Context, p *mcp.TaskStatusNotificationParams) error {
	s.saw(p)
	return nil
}

// hsExtServer is hsServer for the extension: a server handler and a
// client notification handler.
type hsExtServer struct {
	ext.UnimplementedServerHandler
	hsServer
}

func (s *hsExtServer) GetTask(ctx context.Context, p *ext.GetTaskRequestParams) (ext.GetTaskResult, error) {
	s.saw(p)
	return &ext.GetTaskResultWorking{TaskID: "t", CreatedAt: "c", LastUpdatedAt: "c"}, nil
}

func (s *hsExtServer) UpdateTask(ctx context.Context, p *ext.UpdateTaskRequestParams) (*ext.UpdateTaskResult, error) {
	s.saw(p)
	return &ext.UpdateTaskResult{}, nil
}

func (s *hsExtServer) CancelTask(ctx context.Context, p *ext.CancelTaskRequestParams) (*ext.CancelTaskResult, error) {
	s.saw(p)
	return &ext.CancelTaskResult{}, nil
}

type hsExtClient struct{ *hsExtServer }

func (c hsExtClient) OnTaskStatus(ctx context.Context, p ext.TaskStatusNotificationParams) error {
	c.saw(p)
	return nil
}

// hsAnswer is what a dispatcher answered: a result, or an error.
type hsAnswer struct {
	result  json.RawMessage
	isErr   bool
	code    int64
	message string
	data    any
}

func (a hsAnswer) String() string {
	if a.isErr {
		msg := a.message
		if len(msg) > 300 {
			msg = msg[:300] + fmt.Sprintf("… (%d bytes)", len(a.message))
		}
		return fmt.Sprintf("error %d %q", a.code, msg)
	}
	res := string(a.result)
	if len(res) > 300 {
		res = res[:300] + "…"
	}
	return "result " + res
}

// hostile runs the cases of one test: it counts them, turns panics into
// failures, and holds one dispatcher of each kind.
type hostile struct {
	t *testing.T
	// decodes and dispatches count the cases: decoder runs, and messages
	// sent to a dispatcher.
	decodes, dispatches int
	core                *mcp.ServerDispatcher
	coreH               *hsServer
	extSrv              *ext.ServerDispatcher
	extCli              *ext.ClientDispatcher
	extH                *hsExtServer
	context             context.Context
}

func newHostile(t *testing.T) *hostile {
	h := &hostile{t: t, coreH: &hsServer{}, extH: &hsExtServer{}, context: context.Background()}
	h.core = &mcp.ServerDispatcher{
		Handler: h.coreH,
		Capabilities: mcp.ServerCapabilities{
			Tools: &mcp.ServerCapabilitiesTools{},
			Tasks: &mcp.ServerCapabilitiesTasks{
				List:     map[string]any{},
				Cancel:   map[string]any{},
				Requests: &mcp.ServerCapabilitiesTasksRequests{Tools: &mcp.ServerCapabilitiesTasksRequestsTools{Call: map[string]any{}}},
			},
		},
		ToolTaskSupport: func(string) (mcp.ToolExecutionTaskSupport, bool) {
			return mcp.ToolExecutionTaskSupportOptional, true
		},
	}
	h.extSrv = &ext.ServerDispatcher{Handler: h.extH}
	h.extCli = &ext.ClientDispatcher{Handler: hsExtClient{h.extH}}
	t.Cleanup(func() {
		t.Logf("%d hostile cases: %d decodes, %d through a dispatcher", h.decodes+h.dispatches, h.decodes, h.dispatches)
	})
	return h
}

// guard runs f, reporting a panic as a failure.
func (h *hostile) guard(what string, f func()) (panicked bool) {
	h.t.Helper()
	defer func() {
		if r := recover(); r != nil {
			h.t.Errorf("%s: panic: %v", what, r)
			panicked = true
		}
	}()
	f()
	return false
}

// hsDecoder decodes a message with a generated decoder.
type hsDecoder func([]byte) (any, error)

// hsAs decodes data as a T with T's own UnmarshalJSON.
func hsAs[T any, P unmarshaler[T]](data []byte) (any, error) {
	return unmarshalAs[T, P](data)
}

// hsUnion adapts an UnmarshalX union function.
func hsUnion[U any](f func([]byte) (U, error)) hsDecoder {
	return func(data []byte) (any, error) { return f(data) }
}

// decodeV runs a generated decoder on input, returning what it decoded.
func (h *hostile) decodeV(what string, dec hsDecoder, input []byte) (any, error) {
	h.t.Helper()
	h.decodes++
	var v any
	var err error
	if h.guard(what, func() { v, err = dec(input) }) {
		return nil, errors.New("panicked")
	}
	return v, err
}

// decode is decodeV for the error alone.
func (h *hostile) decode(what string, dec hsDecoder, input []byte) error {
	h.t.Helper()
	_, err := h.decodeV(what, dec, input)
	return err
}

func hsFromMCP(res json.RawMessage, e *mcp.Error) hsAnswer {
	if e == nil {
		return hsAnswer{result: res}
	}
	return hsAnswer{isErr: true, code: e.Code, message: e.Message, data: e.Data}
}

func hsFromExt(res json.RawMessage, e *ext.Error) hsAnswer {
	if e == nil {
		return hsAnswer{result: res}
	}
	return hsAnswer{isErr: true, code: e.Code, message: e.Message, data: e.Data}
}

// dispatch sends a request to the core ServerDispatcher.
func (h *hostile) dispatch(what, method string, params []byte) hsAnswer {
	h.t.Helper()
	h.dispatches++
	var a hsAnswer
	h.guard(what, func() { a = hsFromMCP(h.core.Dispatch(h.context, method, params)) })
	return a
}

// notify sends a notification to the core ServerDispatcher.
func (h *hostile) notify(what, method string, params []byte) hsAnswer {
	h.t.Helper()
	h.dispatches++
	var a hsAnswer
	h.guard(what, func() { a = hsFromMCP(nil, h.core.Notify(h.context, method, params)) })
	return a
}

// extDispatch sends a request to the extension's ServerDispatcher.
func (h *hostile) extDispatch(what, method string, params []byte) hsAnswer {
	h.t.Helper()
	h.dispatches++
	var a hsAnswer
	h.guard(what, func() { a = hsFromExt(h.extSrv.Dispatch(h.context, method, params)) })
	return a
}

// extNotify sends notifications/tasks to the extension's ClientDispatcher.
func (h *hostile) extNotify(what string, params []byte) hsAnswer {
	h.t.Helper()
	h.dispatches++
	var a hsAnswer
	h.guard(what, func() { a = hsFromExt(nil, h.extCli.Notify(h.context, ext.MethodTaskStatusNotification, params)) })
	return a
}

// hsDecodeErrorPath returns the Path of a *DecodeError of either package.
func hsDecodeErrorPath(err error) (string, bool) {
	var de *mcp.DecodeError
	if errors.As(err, &de) {
		return de.Path, true
	}
	var xe *ext.DecodeError
	if errors.As(err, &xe) {
		return xe.Path, true
	}
	return "", false
}

// wantPath requires err to be a *DecodeError at path.
func (h *hostile) wantPath(what string, err error, path string) {
	h.t.Helper()
	if err == nil {
		h.t.Errorf("%s: decoded hsWithout error, want a *DecodeError at %q", what, path)
		return
	}
	got, ok := hsDecodeErrorPath(err)
	if !ok {
		h.t.Errorf("%s: error %q is a %T, want a *DecodeError", what, hsShort(err.Error()), err)
		return
	}
	if got != path {
		h.t.Errorf("%s: error %q has path %q, want %q", what, hsShort(err.Error()), got, path)
	}
}

// wantDecodeError requires err to be a *DecodeError, whatever its path.
func (h *hostile) wantDecodeError(what string, err error) {
	h.t.Helper()
	if err == nil {
		h.t.Errorf("%s: decoded hsWithout error, want a *DecodeError", what)
		return
	}
	if _, ok := hsDecodeErrorPath(err); !ok {
		h.t.Errorf("%s: error %q is a %T, want a *DecodeError", what, hsShort(err.Error()), err)
	}
}

func (h *hostile) wantOK(what string, err error) {
	h.t.Helper()
	if err != nil {
		h.t.Errorf("%s: %v", what, hsShort(err.Error()))
	}
}

// wantInvalid requires a dispatcher's -32602 naming path in its message
// and, when it has data.path, there too.
func (h *hostile) wantInvalid(what string, a hsAnswer, path string) {
	h.t.Helper()
	if !a.isErr || a.code != mcp.CodeInvalidParams {
		h.t.Errorf("%s: dispatcher answered %s, want -32602 naming %q", what, a, path)
		return
	}
	if !strings.Contains(a.message, path) {
		h.t.Errorf("%s: dispatcher answered %s, want the path %q in the message", what, a, path)
	}
	if data, ok := a.data.(map[string]any); ok {
		if data["path"] != path {
			h.t.Errorf("%s: data.path = %v, want %q", what, data["path"], path)
		}
	}
}

// wantAccepted requires a dispatcher to have passed the message on (a
// result, or no error for a notification).
func (h *hostile) wantAccepted(what string, a hsAnswer) {
	h.t.Helper()
	if a.isErr {
		h.t.Errorf("%s: dispatcher answered %s, want it accepted", what, a)
	}
}

func hsShort(s string) string {
	if len(s) > 300 {
		return s[:300] + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return s
}

// hsJSONAt parses data (numbers as json.Number) and returns the value at the
// dotted path.
func hsJSONAt(t *testing.T, data []byte, path string) any {
	t.Helper()
	v := jsonValue(t, data)
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("no %s in %s", path, hsShort(string(data)))
		}
		v = m[k]
	}
	return v
}

// hsMutate returns the JSON object valid with the value at the dotted path
// replaced by the JSON text value.
func hsMutate(t *testing.T, valid, path, value string) []byte {
	t.Helper()
	root, ok := jsonValue(t, []byte(valid)).(map[string]any)
	if !ok {
		t.Fatalf("fixture is not an object: %s", valid)
	}
	keys := strings.Split(path, ".")
	m := root
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			t.Fatalf("fixture has no object at %s: %s", k, valid)
		}
		m = next
	}
	m[keys[len(keys)-1]] = json.RawMessage(value)
	return mustMarshal(t, root)
}

// hsWithout returns the JSON object data without the named top-level keys.
func hsWithout(t *testing.T, data []byte, keys ...string) []byte {
	t.Helper()
	m, ok := jsonValue(t, data).(map[string]any)
	if !ok {
		return data
	}
	for _, k := range keys {
		delete(m, k)
	}
	return mustMarshal(t, m)
}

// hsSub returns the JSON text at the top-level key of data.
func hsSub(t *testing.T, data []byte, key string) []byte {
	t.Helper()
	return mustMarshal(t, jsonValue(t, data).(map[string]any)[key])
}

// ---------------------------------------------------------------------------
// fixtures

const (
	hsTimes = `"createdAt":"2025-11-25T10:00:00Z","lastUpdatedAt":"2025-11-25T10:00:05Z"`

	hsCallTool = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"_meta":{"progressToken":"p"},"name":"echo","arguments":{"text":"hi"},"task":{"ttl":60000}}}`
	hsTaskJSON = `{"taskId":"t1","status":"working","statusMessage":"m",` + hsTimes + `,"ttl":60000,"pollInterval":250}`
	hsCreate   = `{"_meta":{"k":"v"},"task":` + hsTaskJSON + `}`
	hsGetTask  = `{"_meta":{"k":"v"},"taskId":"t1","status":"working","statusMessage":"m",` + hsTimes + `,"ttl":60000,"pollInterval":250}`
	hsRequest  = `{"jsonrpc":"2.0","id":"r1","method":"tasks/get","params":{"taskId":"t1"}}`

	hsExtDeclared = `{"io.modelcontextprotocol/clientCapabilities":{"extensions":{"io.modelcontextprotocol/tasks":{}}}}`
	hsExtTask     = `{"taskId":"t1","status":"working","statusMessage":"m",` + hsTimes + `,"ttlMs":60000,"pollIntervalMs":250}`
	hsExtCreate   = `{"_meta":{"x":1},"resultType":"task","taskId":"t1","status":"working","statusMessage":"m",` + hsTimes + `,"ttlMs":60000,"pollIntervalMs":250}`
	hsExtGet      = `{"_meta":{"x":1},"resultType":"complete","taskId":"t1","status":"working","statusMessage":"m",` + hsTimes + `,"ttlMs":60000,"pollIntervalMs":250}`
	hsExtGetReq   = `{"taskId":"t1","_meta":` + hsExtDeclared + `}`
	hsExtUpdate   = `{"taskId":"t1","inputResponses":{},"_meta":` + hsExtDeclared + `}`
)

// ---------------------------------------------------------------------------
// 1. a wrong JSON kind in every position

// hsKinds is one JSON value of each kind. "string" is "wrong", which no
// const or enum of these messages allows.
var hsKinds = []struct{ kind, value string }{
	{"string", `"wrong"`},
	{"integer", `7`},
	{"number", `1.5`},
	{"boolean", `true`},
	{"null", `null`},
	{"array", `[]`},
	{"object", `{}`},
}

// hsField is one position of a message and the kinds it accepts.
type hsField struct {
	path    string // dotted, from the root of the message
	accepts string // space-separated kinds
	fixed   bool   // a const or an enum: "wrong" is not a value of it
	// inAny is set for a position inside an any-typed value of the
	// decoded message (the params of the JSONRPCRequest envelope): the
	// decoder takes every kind there, and only the dispatcher checks it.
	inAny bool
}

func (f hsField) accepted(kind string) bool {
	return slices.Contains(strings.Fields(f.accepts), kind) && !(f.fixed && kind == "string")
}

// hsTarget is a message, its decoder and its positions; via, when set,
// sends the mutated message (or the part of it that is params) through a
// dispatcher, returning its answer and the path it must name.
type hsTarget struct {
	name   string
	valid  string
	decode hsDecoder
	fields []hsField
	via    func(h *hostile, what string, msg []byte, f hsField) (hsAnswer, string, bool)
	// types maps the path of each typed object of the message ("" for
	// the root) to its Go type, whose JSON properties fields must all list.
	types map[string]any
}

// hsCheckComplete requires fields to list every property the Go types of
// the target have (const properties, which are no fields, are listed by
// hand), and the fixture to have every field listed.
func hsCheckComplete(t *testing.T, target hsTarget) {
	t.Helper()
	listed := map[string]bool{}
	for _, f := range target.fields {
		listed[f.path] = true
		var v any = jsonValue(t, []byte(target.valid))
		for _, k := range strings.Split(f.path, ".") {
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%s: the fixture has no %s", target.name, f.path)
			}
			if v, ok = m[k]; !ok {
				t.Fatalf("%s: the fixture has no %s", target.name, f.path)
			}
		}
	}
	for prefix, typ := range target.types {
		rt := reflect.TypeOf(typ)
		for i := range rt.NumField() {
			sf := rt.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if !sf.IsExported() || name == "" || name == "-" {
				continue
			}
			path := name
			if prefix != "" {
				path = prefix + "." + name
			}
			if !listed[path] {
				t.Errorf("%s: %s (%s.%s) is not among the positions tested", target.name, path, rt, sf.Name)
			}
		}
	}
}

var hsTaskFields = []hsField{
	{"taskId", "string", false, false},
	{"status", "string", true, false},
	{"statusMessage", "string", false, false},
	{"createdAt", "string", false, false},
	{"lastUpdatedAt", "string", false, false},
	{"ttl", "integer null", false, false},
	{"pollInterval", "integer", false, false},
}

var hsExtTaskFields = []hsField{
	{"taskId", "string", false, false},
	{"status", "string", true, false},
	{"statusMessage", "string", false, false},
	{"createdAt", "string", false, false},
	{"lastUpdatedAt", "string", false, false},
	{"ttlMs", "integer null", false, false},
	{"pollIntervalMs", "integer", false, false},
}

func hsPrefixed(prefix string, fields []hsField) []hsField {
	out := make([]hsField, len(fields))
	for i, f := range fields {
		out[i] = f
		out[i].path = prefix + f.path
	}
	return out
}

// hsViaTaskNote sends the task (at prefix in msg, or msg itself) as
// the params of notifications/tasks/status.
func hsViaTaskNote(prefix string) func(h *hostile, what string, msg []byte, f hsField) (hsAnswer, string, bool) {
	return func(h *hostile, what string, msg []byte, f hsField) (hsAnswer, string, bool) {
		rest, ok := strings.CutPrefix(f.path, prefix)
		if !ok {
			return hsAnswer{}, "", false
		}
		params := msg
		if prefix != "" {
			params = hsSub(h.t, msg, strings.TrimSuffix(prefix, "."))
		}
		if rest == "" {
			return h.notify(what, mcp.MethodTaskStatusNotification, params), "params", true
		}
		return h.notify(what, mcp.MethodTaskStatusNotification, params), "params." + rest, true
	}
}

func hsTargets() []hsTarget {
	return []hsTarget{{
		name:   "CallToolRequest",
		valid:  hsCallTool,
		decode: hsAs[mcp.CallToolRequest],
		fields: []hsField{
			{"id", "string integer", false, false},
			{"jsonrpc", "string", true, false},
			{"method", "string", true, false},
			{"params", "object", false, false},
			{"params._meta", "object", false, false},
			{"params._meta.progressToken", "string integer", false, false},
			{"params.name", "string", false, false},
			{"params.arguments", "object", false, false},
			{"params.task", "object", false, false},
			{"params.task.ttl", "integer", false, false},
		},
		types: map[string]any{"": mcp.CallToolRequest{}, "params": mcp.CallToolRequestParams{}, "params._meta": mcp.RequestParamsMeta{}, "params.task": mcp.TaskMetadata{}},
		via: func(h *hostile, what string, msg []byte, f hsField) (hsAnswer, string, bool) {
			if !strings.HasPrefix(f.path, "params") {
				return hsAnswer{}, "", false // the envelope: a server answers -32600 before any dispatcher
			}
			return h.dispatch(what, mcp.MethodCallTool, hsSub(h.t, msg, "params")), f.path, true
		},
	}, {
		name:   "CreateTaskResult",
		valid:  hsCreate,
		decode: hsAs[mcp.CreateTaskResult],
		fields: append([]hsField{{"_meta", "object", false, false}, {"task", "object", false, false}}, hsPrefixed("task.", hsTaskFields)...),
		types:  map[string]any{"": mcp.CreateTaskResult{}, "task": mcp.Task{}},
		via: func(h *hostile, what string, msg []byte, f hsField) (hsAnswer, string, bool) {
			if f.path == "task" {
				return h.notify(what, mcp.MethodTaskStatusNotification, hsSub(h.t, msg, "task")), "params", true
			}
			return hsViaTaskNote("task.")(h, what, msg, f)
		},
	}, {
		name:   "GetTaskResult",
		valid:  hsGetTask,
		decode: hsAs[mcp.GetTaskResult],
		fields: append([]hsField{{"_meta", "object", false, false}}, hsTaskFields...),
		types:  map[string]any{"": mcp.GetTaskResult{}},
		via:    hsViaTaskNote(""),
	}, {
		name:   "Task",
		valid:  hsTaskJSON,
		decode: hsAs[mcp.Task],
		fields: hsTaskFields,
		types:  map[string]any{"": mcp.Task{}},
		via:    hsViaTaskNote(""),
	}, {
		name:   "JSONRPCRequest",
		valid:  hsRequest,
		decode: hsAs[mcp.JSONRPCRequest],
		fields: []hsField{
			{"id", "string integer", false, false},
			{"jsonrpc", "string", true, false},
			{"method", "string", false, false},
			{"params", "object", false, false},
			{"params.taskId", "string", false, true},
		},
		types: map[string]any{"": mcp.JSONRPCRequest{}},
		via: func(h *hostile, what string, msg []byte, f hsField) (hsAnswer, string, bool) {
			if !strings.HasPrefix(f.path, "params") {
				return hsAnswer{}, "", false
			}
			return h.dispatch(what, mcp.MethodGetTask, hsSub(h.t, msg, "params")), f.path, true
		},
	}, {
		name:   "exttasks.CreateTaskResult",
		valid:  hsExtCreate,
		decode: hsAs[ext.CreateTaskResult],
		fields: append([]hsField{{"_meta", "object", false, false}, {"resultType", "string", true, false}}, hsExtTaskFields...),
		types:  map[string]any{"": ext.CreateTaskResult{}},
		via: func(h *hostile, what string, msg []byte, f hsField) (hsAnswer, string, bool) {
			if f.path == "_meta" || f.path == "resultType" {
				return hsAnswer{}, "", false
			}
			// The same task, as the params of notifications/tasks.
			return h.extNotify(what, hsWithout(h.t, msg, "resultType", "_meta")), "params." + f.path, true
		},
	}, {
		name:   "exttasks.GetTaskResult",
		valid:  hsExtGet,
		decode: hsUnion(ext.UnmarshalGetTaskResult),
		fields: append([]hsField{{"_meta", "object", false, false}, {"resultType", "string", true, false}}, hsExtTaskFields...),
		types:  map[string]any{"": ext.GetTaskResultWorking{}},
	}, {
		name:   "exttasks.Task (notifications/tasks params)",
		valid:  hsExtTask,
		decode: hsUnion(ext.UnmarshalTaskStatusNotificationParams),
		fields: hsExtTaskFields,
		types:  map[string]any{"": ext.Task{}},
		via: func(h *hostile, what string, msg []byte, f hsField) (hsAnswer, string, bool) {
			return h.extNotify(what, msg), "params." + f.path, true
		},
	}, {
		name:   "exttasks tasks/get params",
		valid:  hsExtGetReq,
		decode: hsAs[ext.GetTaskRequestParams],
		fields: []hsField{{"taskId", "string", false, false}},
		types:  map[string]any{"": ext.GetTaskRequestParams{}},
		via: func(h *hostile, what string, msg []byte, f hsField) (hsAnswer, string, bool) {
			return h.extDispatch(what, ext.MethodGetTask, msg), "params." + f.path, true
		},
	}, {
		name:   "exttasks tasks/update params",
		valid:  hsExtUpdate,
		decode: hsAs[ext.UpdateTaskRequestParams],
		fields: []hsField{{"taskId", "string", false, false}, {"inputResponses", "object", false, false}},
		types:  map[string]any{"": ext.UpdateTaskRequestParams{}},
		via: func(h *hostile, what string, msg []byte, f hsField) (hsAnswer, string, bool) {
			return h.extDispatch(what, ext.MethodUpdateTask, msg), "params." + f.path, true
		},
	}}
}

// TestHostileWrongKinds replaces, mechanically, the value of every field of
// each target by each JSON kind the field does not accept: the decoder must
// answer a *DecodeError whose Path is exactly that field, and the
// dispatcher the message reaches -32602 naming params.<field>. Kinds the
// field accepts (scalars only: an empty object or array may lack required
// properties) must decode.
func TestHostileWrongKinds(t *testing.T) {
	h := newHostile(t)
	for _, target := range hsTargets() {
		hsCheckComplete(t, target)
		if err := h.decode(target.name+" fixture", target.decode, []byte(target.valid)); err != nil {
			t.Fatalf("%s: the fixture does not decode: %v", target.name, err)
		}
		for _, f := range target.fields {
			for _, k := range hsKinds {
				what := fmt.Sprintf("%s %s=%s", target.name, f.path, k.value)
				msg := hsMutate(t, target.valid, f.path, k.value)
				err := h.decode(what, target.decode, msg)
				ok := f.accepted(k.kind)
				switch {
				case ok && (k.kind == "array" || k.kind == "object"):
					continue
				case ok || f.inAny:
					h.wantOK(what, err)
				default:
					h.wantPath(what, err, f.path)
				}
				if target.via == nil {
					continue
				}
				a, path, routed := target.via(h, what, msg, f)
				if !routed {
					continue
				}
				if ok {
					h.wantAccepted(what, a)
				} else {
					h.wantInvalid(what, a, path)
				}
			}
		}
	}
	// A whole message of the wrong kind: an error at the root (empty path).
	for _, target := range hsTargets() {
		for _, k := range hsKinds {
			if k.kind == "object" {
				continue
			}
			what := fmt.Sprintf("%s as %s", target.name, k.value)
			h.wantPath(what, h.decode(what, target.decode, []byte(k.value)), "")
		}
	}
	// Every core request's params, of every wrong kind: -32602 at params.
	for _, m := range mcp.Methods {
		if m.Notification {
			continue
		}
		for _, k := range hsKinds {
			if k.kind == "object" || k.kind == "null" {
				continue // {} and null are valid params of some methods
			}
			what := fmt.Sprintf("%s params=%s", m.Method, k.value)
			a := h.dispatch(what, m.Method, []byte(k.value))
			if a.isErr && a.code == mcp.CodeMethodNotFound {
				continue // not served here
			}
			h.wantInvalid(what, a, "params")
		}
	}
	// JSONRPCMessage: a request with a broken envelope is no message at
	// all; the error names the method (for jsonrpc no member matches, so
	// there is no path to name). With a broken id it is the notification
	// the schema allows.
	for _, f := range []hsField{
		{"id", "string integer", false, false},
		{"jsonrpc", "string", true, false},
		{"method", "string", false, false},
	} {
		for _, k := range hsKinds {
			if f.accepted(k.kind) {
				continue
			}
			what := fmt.Sprintf("JSONRPCMessage %s=%s", f.path, k.value)
			got, err := h.decodeV(what, hsUnion(mcp.UnmarshalJSONRPCMessage), hsMutate(t, hsRequest, f.path, k.value))
			_, isNotification := got.(*mcp.JSONRPCNotification)
			switch {
			case f.path == "id" && err == nil && isNotification:
				// The schema takes it as a notification with an extra
				// property; the transport answers it as an invalid
				// request (TestEnvelope in cmd/taskdemo).
			case err == nil:
				t.Errorf("%s: decoded as %T", what, got)
			case f.path == "jsonrpc":
				h.wantDecodeError(what, err)
			default:
				h.wantPath(what, err, f.path)
			}
		}
	}
}

// ---------------------------------------------------------------------------
// 2. integers beyond 2^53 and beyond int64

// hsIntPosition is an integer property inside a message: the message with
// %s for the number, the decoder, the path of the number, and how to send
// it through a dispatcher (the path it then has, and where the handler's
// params hold it).
type hsIntPosition struct {
	name     string
	template string
	decode   hsDecoder
	path     string
	send     func(h *hostile, what string, msg []byte) hsAnswer
	sentPath string
	seen     func(h *hostile) []byte
}

func hsIntPositions() []hsIntPosition {
	coreSeen := func(h *hostile) []byte { return h.coreH.seen() }
	extSeen := func(h *hostile) []byte { return h.extH.seen() }
	notify := func(h *hostile, what string, msg []byte) hsAnswer {
		return h.notify(what, mcp.MethodTaskStatusNotification, msg)
	}
	taskTemplate := `{"taskId":"t","status":"working",` + hsTimes + `,"ttl":%s}`
	return []hsIntPosition{{
		name: "CallToolRequestParams task.ttl", template: `{"name":"n","task":{"ttl":%s}}`,
		decode: hsAs[mcp.CallToolRequestParams], path: "task.ttl",
		send: func(h *hostile, what string, msg []byte) hsAnswer {
			return h.dispatch(what, mcp.MethodCallTool, msg)
		},
		sentPath: "params.task.ttl", seen: coreSeen,
	}, {
		name: "Task ttl", template: taskTemplate,
		decode: hsAs[mcp.Task], path: "ttl",
		send: notify, sentPath: "params.ttl", seen: coreSeen,
	}, {
		name: "Task pollInterval", template: `{"taskId":"t","status":"working",` + hsTimes + `,"ttl":null,"pollInterval":%s}`,
		decode: hsAs[mcp.Task], path: "pollInterval",
		send: notify, sentPath: "params.pollInterval", seen: coreSeen,
	}, {
		name: "GetTaskResult ttl", template: taskTemplate,
		decode: hsAs[mcp.GetTaskResult], path: "ttl",
	}, {
		name: "CreateTaskResult task.ttl", template: `{"task":` + taskTemplate + `}`,
		decode: hsAs[mcp.CreateTaskResult], path: "task.ttl",
	}, {
		name: "JSONRPCRequest id", template: `{"jsonrpc":"2.0","id":%s,"method":"ping"}`,
		decode: hsAs[mcp.JSONRPCRequest], path: "id",
	}, {
		name: "exttasks.CreateTaskResult ttlMs", template: `{"resultType":"task","taskId":"t","status":"working",` + hsTimes + `,"ttlMs":%s}`,
		decode: hsAs[ext.CreateTaskResult], path: "ttlMs",
	}, {
		name: "exttasks notifications/tasks pollIntervalMs", template: `{"taskId":"t","status":"working",` + hsTimes + `,"ttlMs":null,"pollIntervalMs":%s}`,
		decode: hsUnion(ext.UnmarshalTaskStatusNotificationParams), path: "pollIntervalMs",
		send: func(h *hostile, what string, msg []byte) hsAnswer {
			return h.extNotify(what, msg)
		},
		sentPath: "params.pollIntervalMs", seen: extSeen,
	}}
}

// TestHostileBigIntegers: integer properties are int64. 2^53+1 and the
// int64 limits decode exactly (the decoded value, re-encoded, has every
// digit); numbers beyond int64 (1e30, 99999999999999999999, 2^63,
// -2^63-1, 1E400) and fractions are a *DecodeError at the property, and
// -32602 naming it from a dispatcher: never a silent wrap. A request id,
// a multi-kind value, follows the same rule as a plain integer field.
func TestHostileBigIntegers(t *testing.T) {
	h := newHostile(t)
	exact := []struct{ in, want string }{
		{"9007199254740993", "9007199254740993"},   // 2^53 + 1: not a float64
		{"9007199254740992", "9007199254740992"},   // 2^53
		{"-9007199254740993", "-9007199254740993"}, // -(2^53 + 1)
		{"9223372036854775807", "9223372036854775807"},
		{"-9223372036854775808", "-9223372036854775808"},
		{"0", "0"},
		{"-0", "0"},
		{"1e2", "100"}, // JSON Schema: an integer may be written with an exponent
		{"1.0", "1"},   // … or a zero fraction
		{"2.5E1", "25"},
	}
	// Each is an error at the property; with outOfRange, one that says
	// "out of range" (the value is an integer, too big for int64).
	invalid := []struct {
		in         string
		outOfRange bool
	}{
		{"1e30", true}, {"99999999999999999999", true}, {"9223372036854775808", true},
		{"-9223372036854775809", true}, {"18446744073709551616", true}, {"-1e19", true},
		{"1E400", false}, {"-1E400", false}, // beyond float64: "expected integer, got number"
		{"1.5", false}, {"-0.5", false}, {"1e-2", false},
	}
	for _, pos := range hsIntPositions() {
		for _, c := range exact {
			what := fmt.Sprintf("%s = %s", pos.name, c.in)
			msg := []byte(fmt.Sprintf(pos.template, c.in))
			v, err := h.decodeV(what, pos.decode, msg)
			if err != nil {
				t.Errorf("%s: %v", what, err)
				continue
			}
			if got := hsJSONAt(t, mustMarshal(t, v), pos.path); got != json.Number(c.want) {
				t.Errorf("%s: decoded and re-encoded as %v, want exactly %s", what, got, c.want)
			}
			if pos.send != nil {
				a := pos.send(h, what, msg)
				h.wantAccepted(what, a)
				if got := hsJSONAt(t, pos.seen(h), strings.TrimPrefix(pos.sentPath, "params.")); got != json.Number(c.want) {
					t.Errorf("%s: the handler got %v, want exactly %s", what, got, c.want)
				}
			}
		}
		for _, c := range invalid {
			what := fmt.Sprintf("%s = %s", pos.name, c.in)
			msg := []byte(fmt.Sprintf(pos.template, c.in))
			err := h.decode(what, pos.decode, msg)
			h.wantPath(what, err, pos.path)
			if err != nil && c.outOfRange && !strings.Contains(err.Error(), "out of range") {
				t.Errorf("%s: %q, want it to say out of range", what, err)
			}
			if pos.send != nil {
				h.wantInvalid(what, pos.send(h, what, msg), pos.sentPath)
			}
		}
	}
	// A big id of the envelope goes back exactly as it came.
	v, err := h.decodeV("id 2^53+1", hsAs[mcp.JSONRPCRequest], []byte(`{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}`))
	if err != nil {
		t.Fatal(err)
	}
	req := v.(*mcp.JSONRPCRequest)
	if n, ok := req.ID.AsInteger(); !ok || n != 9007199254740993 {
		t.Errorf("id 2^53+1 decoded as %v, %v", n, ok)
	}
	// In any-typed positions numbers are json.Number: every digit is kept,
	// whatever its size.
	for _, in := range []string{"9007199254740993", "99999999999999999999", "1e30", "1E400", "-0.000000000000000000001"} {
		what := "arguments.n = " + in
		msg := []byte(`{"name":"n","arguments":{"n":` + in + `}}`)
		v, err := h.decodeV(what, hsAs[mcp.CallToolRequestParams], msg)
		if err != nil {
			t.Errorf("%s: %v", what, err)
			continue
		}
		p := v.(*mcp.CallToolRequestParams)
		if p.Arguments["n"] != json.Number(in) {
			t.Errorf("%s: decoded as %#v", what, p.Arguments["n"])
		}
		sameJSON(t, msg, mustMarshal(t, p))
		h.wantAccepted(what, h.dispatch(what, mcp.MethodCallTool, msg))
		sameJSON(t, msg, h.coreH.seen())
	}
}

// TestHostileIntegerPrecisionBug: an integer written with a fraction or an
// exponent goes through float64, so that digits beyond 2^53 are silently
// rounded, and a non-integer whose float64 is integral is taken for an
// integer. Expected: the exact value or a *DecodeError.
func TestHostileIntegerPrecisionBug(t *testing.T) {
	h := newHostile(t)
	for _, c := range []struct{ in, exact string }{
		{"9007199254740993.0", "9007199254740993"},
		{"9007199254740993e0", "9007199254740993"},
		{"90071992547409930e-1", "9007199254740993"},
		{"9007199254740993.5", ""}, // not an integer
		{"1.0000000000000001", ""}, // not an integer
		{"1e-400", ""},             // not an integer (not zero either)
	} {
		for _, pos := range hsIntPositions() {
			if pos.name == "JSONRPCRequest id" {
				continue // an id must be written as an integer
			}
			what := fmt.Sprintf("%s = %s", pos.name, c.in)
			msg := []byte(fmt.Sprintf(pos.template, c.in))
			v, err := h.decodeV(what, pos.decode, msg)
			if c.exact == "" {
				if err == nil {
					t.Errorf("%s: decoded as %v, want a *DecodeError (not an integer)", what, hsJSONAt(t, mustMarshal(t, v), pos.path))
				}
				continue
			}
			if err != nil {
				h.wantPath(what, err, pos.path) // an error is acceptable
				continue
			}
			if got := hsJSONAt(t, mustMarshal(t, v), pos.path); got != json.Number(c.exact) {
				t.Errorf("%s: decoded as %v, want exactly %s or an error", what, got, c.exact)
			}
		}
	}
}

// ---------------------------------------------------------------------------
// 3. huge strings

var hsHuge = sync.OnceValue(func() string { return strings.Repeat("x", 10<<20) })

// TestHostileHugeStrings: 10 MB strings decode, whole and exactly, in
// typed and any-typed positions, as keys, through the dispatchers; a huge
// string where another kind is expected is a *DecodeError whose message
// does not repeat it.
func TestHostileHugeStrings(t *testing.T) {
	h := newHostile(t)
	huge := hsHuge()
	q := `"` + huge + `"`

	// Typed string positions.
	for _, c := range []struct {
		name, msg string
		dec       hsDecoder
		get       func(any) string
	}{
		{"CallToolRequestParams.name", `{"name":` + q + `}`, hsAs[mcp.CallToolRequestParams],
			func(v any) string { return v.(*mcp.CallToolRequestParams).Name }},
		{"Task.statusMessage", `{"taskId":"t","status":"working",` + hsTimes + `,"ttl":null,"statusMessage":` + q + `}`, hsAs[mcp.Task],
			func(v any) string { return v.(*mcp.Task).StatusMessage }},
		{"Task.taskId", `{"taskId":` + q + `,"status":"working",` + hsTimes + `,"ttl":null}`, hsAs[mcp.Task],
			func(v any) string { return v.(*mcp.Task).TaskID }},
		{"JSONRPCRequest.method", `{"jsonrpc":"2.0","id":1,"method":` + q + `}`, hsAs[mcp.JSONRPCRequest],
			func(v any) string { return v.(*mcp.JSONRPCRequest).Method }},
		{"exttasks.CreateTaskResult.statusMessage", `{"resultType":"task","taskId":"t","status":"working",` + hsTimes + `,"ttlMs":null,"statusMessage":` + q + `}`, hsAs[ext.CreateTaskResult],
			func(v any) string { return v.(*ext.CreateTaskResult).StatusMessage }},
	} {
		v, err := h.decodeV(c.name, c.dec, []byte(c.msg))
		if err != nil {
			t.Errorf("%s: %v", c.name, hsShort(err.Error()))
			continue
		}
		if got := c.get(v); got != huge {
			t.Errorf("%s: decoded a %d-byte string, want the %d bytes sent", c.name, len(got), len(huge))
		}
	}

	// An escaped huge string: 2 Mi × \u00e9 (12 MB of JSON) is 2 Mi × é.
	esc := `{"name":"` + strings.Repeat(`\u00e9`, 2<<20) + `"}`
	p, err := unmarshalAs[mcp.CallToolRequestParams]([]byte(esc))
	h.decodes++
	if err != nil || p.Name != strings.Repeat("é", 2<<20) {
		t.Errorf("escaped 12 MB name: %v, %d bytes", err, len(p.Name))
	}

	// Any-typed: an argument, and a 10 MB key.
	msg := []byte(`{"name":"n","arguments":{"blob":` + q + `,` + q + `:1}}`)
	h.wantOK("10 MB argument and key", h.decode("10 MB argument and key", hsAs[mcp.CallToolRequestParams], msg))
	if p, _ := unmarshalAs[mcp.CallToolRequestParams](msg); p.Arguments["blob"] != huge || p.Arguments[huge] != json.Number("1") {
		t.Errorf("10 MB argument and key: not kept")
	}
	// An unknown property with a 10 MB name and value, kept for the round trip.
	msg = []byte(`{"taskId":"t","status":"working",` + hsTimes + `,"ttl":null,` + q + `:` + q + `}`)
	if v, err := unmarshalAs[mcp.Task](msg); err != nil {
		t.Errorf("10 MB unknown property: %v", err)
	} else if got := objectFields(t, mustMarshal(t, v))[huge]; string(got) != q {
		t.Errorf("10 MB unknown property: re-encoded as %d bytes, want the %d sent", len(got), len(q))
	}
	h.decodes++

	// Through the dispatchers.
	for _, c := range []struct {
		what, method, params string
		ext                  bool
	}{
		{"tools/call name", mcp.MethodCallTool, `{"name":` + q + `}`, false},
		{"tools/call argument", mcp.MethodCallTool, `{"name":"n","arguments":{"blob":` + q + `}}`, false},
		{"task-augmented tools/call", mcp.MethodCallTool, `{"name":"n","task":{"ttl":1},"arguments":{"blob":` + q + `}}`, false},
		{"tasks/get taskId", mcp.MethodGetTask, `{"taskId":` + q + `}`, false},
		{"tasks/cancel taskId", mcp.MethodCancelTask, `{"taskId":` + q + `}`, false},
		{"tasks/list cursor", mcp.MethodListTasks, `{"cursor":` + q + `}`, false},
		{"exttasks tasks/get taskId", ext.MethodGetTask, `{"taskId":` + q + `,"_meta":` + hsExtDeclared + `}`, true},
	} {
		var a hsAnswer
		if c.ext {
			a = h.extDispatch(c.what, c.method, []byte(c.params))
		} else {
			a = h.dispatch(c.what, c.method, []byte(c.params))
		}
		h.wantAccepted(c.what, a)
		seen := h.coreH.seen()
		if c.ext {
			seen = h.extH.seen()
		}
		if !bytes.Contains(seen, []byte(q)) {
			t.Errorf("%s: the handler did not get the 10 MB string (%d bytes of params)", c.what, len(seen))
		}
	}
	h.wantAccepted("notifications/tasks/status statusMessage", h.notify("notifications/tasks/status statusMessage", mcp.MethodTaskStatusNotification,
		[]byte(`{"taskId":"t","status":"working",`+hsTimes+`,"ttl":null,"statusMessage":`+q+`}`)))

	// A huge string where something else is expected: a short error. (An
	// enum value that is not one of the enum's is quoted in full: the
	// error is as long as the input, no longer; logged, not an error.)
	for _, c := range []struct {
		what, msg, path string
		dec             hsDecoder
		quoted          bool
	}{
		{"ttl", `{"name":"n","task":{"ttl":` + q + `}}`, "task.ttl", hsAs[mcp.CallToolRequestParams], false},
		{"arguments", `{"name":"n","arguments":` + q + `}`, "arguments", hsAs[mcp.CallToolRequestParams], false},
		{"jsonrpc", `{"jsonrpc":` + q + `,"id":1,"method":"m"}`, "jsonrpc", hsAs[mcp.JSONRPCRequest], false},
		{"id", `{"jsonrpc":"2.0","id":` + strings.Repeat("9", 10<<20) + `,"method":"m"}`, "id", hsAs[mcp.JSONRPCRequest], true},
		{"status", `{"taskId":"t","status":` + q + `,` + hsTimes + `,"ttl":null}`, "status", hsAs[mcp.Task], true},
		{"ext resultType", `{"resultType":` + q + `,"taskId":"t","status":"working",` + hsTimes + `,"ttlMs":null}`, "resultType", hsAs[ext.CreateTaskResult], false},
	} {
		err := h.decode(c.what, c.dec, []byte(c.msg))
		h.wantPath("huge "+c.what, err, c.path)
		if err == nil {
			continue
		}
		if n := len(err.Error()); n > 1024 {
			if !c.quoted {
				t.Errorf("huge %s: a %d-byte error message", c.what, n)
			} else {
				t.Logf("huge %s: the error quotes the value (%d bytes)", c.what, n)
			}
		}
	}
	h.wantInvalid("tools/call huge ttl", h.dispatch("tools/call huge ttl", mcp.MethodCallTool, []byte(`{"name":"n","task":{"ttl":`+q+`}}`)), "params.task.ttl")
}

// ---------------------------------------------------------------------------
// 4. deep nesting

// TestHostileDeepNesting: 100 000 levels of [ or {"a": in an any-typed
// field (arguments), in typed fields (task, ttl) and at the root are a
// *DecodeError (encoding/json stops at depth 10 000), and -32602 from the
// dispatchers; 5 000 levels in an any-typed field decode and re-encode
// unchanged.
func TestHostileDeepNesting(t *testing.T) {
	h := newHostile(t)
	const deep = 100000
	arrays := strings.Repeat("[", deep) + strings.Repeat("]", deep)
	objects := strings.Repeat(`{"a":`, deep) + "1" + strings.Repeat("}", deep)
	for _, n := range []struct{ name, v string }{{"[", arrays}, {`{"a":`, objects}} {
		for _, c := range []struct {
			what, msg string
			dec       hsDecoder
			method    string
			notify    bool
		}{
			{"arguments (any)", `{"name":"n","arguments":{"x":` + n.v + `}}`, hsAs[mcp.CallToolRequestParams], mcp.MethodCallTool, false},
			{"_meta (any)", `{"name":"n","_meta":{"x":` + n.v + `}}`, hsAs[mcp.CallToolRequestParams], mcp.MethodCallTool, false},
			{"task (typed object)", `{"name":"n","task":` + n.v + `}`, hsAs[mcp.CallToolRequestParams], mcp.MethodCallTool, false},
			{"task.ttl (typed integer)", `{"name":"n","task":{"ttl":` + n.v + `}}`, hsAs[mcp.CallToolRequestParams], mcp.MethodCallTool, false},
			{"Task.ttl (typed integer)", `{"taskId":"t","status":"working",` + hsTimes + `,"ttl":` + n.v + `}`, hsAs[mcp.Task], mcp.MethodTaskStatusNotification, true},
			{"tasks/get taskId (typed string)", `{"taskId":` + n.v + `}`, hsAs[mcp.GetTaskRequestParams], mcp.MethodGetTask, false},
			{"params (root)", n.v, hsAs[mcp.CallToolRequestParams], mcp.MethodCallTool, false},
		} {
			what := fmt.Sprintf("%d × %s in %s", deep, n.name, c.what)
			h.wantDecodeError(what, h.decode(what, c.dec, []byte(c.msg)))
			var a hsAnswer
			if c.notify {
				a = h.notify(what, c.method, []byte(c.msg))
			} else {
				a = h.dispatch(what, c.method, []byte(c.msg))
			}
			h.wantInvalid(what, a, "params")
		}
		// The envelope and the unions.
		for _, c := range []struct {
			what string
			dec  hsDecoder
			msg  string
		}{
			{"JSONRPCMessage params", hsUnion(mcp.UnmarshalJSONRPCMessage), `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{"x":` + n.v + `}}}`},
			{"JSONRPCMessage root", hsUnion(mcp.UnmarshalJSONRPCMessage), n.v},
			{"ContentBlock", hsUnion(mcp.UnmarshalContentBlock), `{"type":"text","text":` + n.v + `}`},
			{"exttasks GetTaskResult", hsUnion(ext.UnmarshalGetTaskResult), `{"resultType":"complete","status":"completed","taskId":"t",` + hsTimes + `,"ttlMs":null,"result":{"x":` + n.v + `}}`},
			{"exttasks JSONValue", func(b []byte) (any, error) { return ext.UnmarshalDefinition("JSONValue", b) }, n.v},
		} {
			what := fmt.Sprintf("%d × %s in %s", deep, n.name, c.what)
			h.wantDecodeError(what, h.decode(what, c.dec, []byte(c.msg)))
		}
		// The extension's capability gate reads params._meta before the
		// params are decoded; params it cannot read count as undeclared
		// (-32021; see TestHostileExtMetaGateBug), else -32602.
		what := fmt.Sprintf("%d × %s in exttasks tasks/get", deep, n.name)
		a := h.extDispatch(what, ext.MethodGetTask, []byte(`{"taskId":"t","x":`+n.v+`,"_meta":`+hsExtDeclared+`}`))
		if !a.isErr || a.code != ext.CodeMissingCapability {
			h.wantInvalid(what, a, "params")
		}
	}

	// Deep, but within encoding/json's limit: an exact decode.
	const ok = 5000
	for _, v := range []string{
		strings.Repeat("[", ok) + strings.Repeat("]", ok),
		strings.Repeat(`{"a":`, ok) + "null" + strings.Repeat("}", ok),
	} {
		msg := []byte(`{"arguments":{"x":` + v + `},"name":"n"}`) // in the encoder's key order
		what := fmt.Sprintf("%d levels in arguments", ok)
		v, err := h.decodeV(what, hsAs[mcp.CallToolRequestParams], msg)
		h.wantOK(what, err)
		hsSameDeepJSON(t, what, msg, mustMarshal(t, v))
		h.wantAccepted(what, h.dispatch(what, mcp.MethodCallTool, msg))
		hsSameDeepJSON(t, what+" (the handler's params)", msg, h.coreH.seen())
	}
	// The extension's JSONValue is a recursive union, decoded in place:
	// 9000 levels decode exactly (read again at every level, as they
	// were, they took seconds).
	for _, v := range []string{
		strings.Repeat("[", 9000) + strings.Repeat("]", 9000),
		strings.Repeat(`{"a":`, 9000) + `"x"` + strings.Repeat("}", 9000),
	} {
		got, err := h.decodeV("9000 levels of JSONValue", func(b []byte) (any, error) { return ext.UnmarshalDefinition("JSONValue", b) }, []byte(v))
		if err != nil {
			t.Errorf("9000 levels of JSONValue: %v", err)
			continue
		}
		hsSameDeepJSON(t, "9000 levels of JSONValue", []byte(v), mustMarshal(t, got))
	}
}

// hsSameDeepJSON is sameJSON for deeply nested values (go-cmp's diff is
// too slow for them): both are compacted and compared as bytes; the keys
// of the fixtures are already in encoding/json's order.
func hsSameDeepJSON(t *testing.T, what string, want, got []byte) {
	t.Helper()
	var w, g bytes.Buffer
	if err := json.Compact(&w, want); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := json.Compact(&g, got); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !bytes.Equal(w.Bytes(), g.Bytes()) {
		t.Errorf("%s: re-encoded JSON differs (%d bytes, want %d)", what, g.Len(), w.Len())
	}
}

// ---------------------------------------------------------------------------
// 5. duplicate keys

// TestHostileDuplicateKeys documents what a repeated key means: as in
// encoding/json, the last one wins, wholly (objects are not merged, and an
// invalid earlier value is not looked at), and the answer is the same on
// every decode; dispatchers give the handler the same value.
func TestHostileDuplicateKeys(t *testing.T) {
	h := newHostile(t)
	for _, c := range []struct {
		what  string
		dec   hsDecoder
		msg   string
		want  string // the decoded value, re-encoded; "" for an error
		path  string // the error's path
		param string // when set, the method to dispatch msg (as params) to
	}{
		{"name", hsAs[mcp.CallToolRequestParams], `{"name":"first","name":"last"}`, `{"name":"last"}`, "", mcp.MethodCallTool},
		{"task objects are not merged", hsAs[mcp.CallToolRequestParams], `{"name":"n","task":{"ttl":1,"x":1},"task":{"ttl":2}}`, `{"name":"n","task":{"ttl":2}}`, "", mcp.MethodCallTool},
		{"an invalid earlier value is ignored", hsAs[mcp.CallToolRequestParams], `{"name":"n","task":{"ttl":"bad"},"task":{"ttl":5}}`, `{"name":"n","task":{"ttl":5}}`, "", mcp.MethodCallTool},
		{"an invalid last value is an error", hsAs[mcp.CallToolRequestParams], `{"name":"n","task":{"ttl":5},"task":{"ttl":"bad"}}`, "", "task.ttl", mcp.MethodCallTool},
		{"nested ttl", hsAs[mcp.CallToolRequestParams], `{"name":"n","task":{"ttl":1,"ttl":9007199254740993}}`, `{"name":"n","task":{"ttl":9007199254740993}}`, "", mcp.MethodCallTool},
		{"arguments (any)", hsAs[mcp.CallToolRequestParams], `{"name":"n","arguments":{"k":1,"k":{"deep":[1,2]}}}`, `{"name":"n","arguments":{"k":{"deep":[1,2]}}}`, "", mcp.MethodCallTool},
		{"a required name given twice, null last", hsAs[mcp.CallToolRequestParams], `{"name":"n","name":null}`, "", "name", mcp.MethodCallTool},
		{"status", hsAs[mcp.Task], `{"taskId":"t","status":"completed","status":"working",` + hsTimes + `,"ttl":null}`, `{"taskId":"t","status":"working",` + hsTimes + `,"ttl":null}`, "", mcp.MethodTaskStatusNotification},
		{"ttl null then number", hsAs[mcp.Task], `{"taskId":"t","status":"working",` + hsTimes + `,"ttl":null,"ttl":5}`, `{"taskId":"t","status":"working",` + hsTimes + `,"ttl":5}`, "", mcp.MethodTaskStatusNotification},
		{"ttl number then null", hsAs[mcp.Task], `{"taskId":"t","status":"working",` + hsTimes + `,"ttl":5,"ttl":null}`, `{"taskId":"t","status":"working",` + hsTimes + `,"ttl":null}`, "", mcp.MethodTaskStatusNotification},
		{"taskId", hsAs[mcp.GetTaskRequestParams], `{"taskId":"a","taskId":"b"}`, `{"taskId":"b"}`, "", mcp.MethodGetTask},
		{"jsonrpc 1.0 then 2.0", hsAs[mcp.JSONRPCRequest], `{"jsonrpc":"1.0","jsonrpc":"2.0","id":1,"method":"ping"}`, `{"jsonrpc":"2.0","id":1,"method":"ping"}`, "", ""},
		{"jsonrpc 2.0 then 1.0", hsAs[mcp.JSONRPCRequest], `{"jsonrpc":"2.0","jsonrpc":"1.0","id":1,"method":"ping"}`, "", "jsonrpc", ""},
		{"id", hsAs[mcp.JSONRPCRequest], `{"jsonrpc":"2.0","id":1,"id":"two","method":"ping"}`, `{"jsonrpc":"2.0","id":"two","method":"ping"}`, "", ""},
		{"method", hsUnion(mcp.UnmarshalClientRequest), `{"jsonrpc":"2.0","id":1,"method":"tools/call","method":"ping"}`, `{"jsonrpc":"2.0","id":1,"method":"ping"}`, "", ""},
		{"ext status (the discriminator)", hsUnion(ext.UnmarshalGetTaskResult), `{"resultType":"complete","status":"working","status":"completed","taskId":"t",` + hsTimes + `,"ttlMs":null,"result":{}}`, `{"resultType":"complete","status":"completed","taskId":"t",` + hsTimes + `,"ttlMs":null,"result":{}}`, "", ""},
		{"ext resultType", hsAs[ext.CreateTaskResult], `{"resultType":"complete","resultType":"task","taskId":"t","status":"working",` + hsTimes + `,"ttlMs":null}`, `{"resultType":"task","taskId":"t","status":"working",` + hsTimes + `,"ttlMs":null}`, "", ""},
		{"ext taskId", hsAs[ext.GetTaskRequestParams], `{"taskId":"a","taskId":"b"}`, `{"taskId":"b"}`, "", ""},
	} {
		var first []byte
		for i := range 20 { // the same answer every time
			what := fmt.Sprintf("duplicate %s (decode %d)", c.what, i)
			v, err := h.decodeV(what, c.dec, []byte(c.msg))
			if c.want == "" {
				h.wantPath(what, err, c.path)
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", what, err)
				break
			}
			out := mustMarshal(t, v)
			if first == nil {
				first = out
				sameJSON(t, []byte(c.want), out)
			} else if !bytes.Equal(first, out) {
				t.Errorf("%s: %s, then %s", what, first, out)
			}
		}
		if c.param == "" {
			continue
		}
		what := "duplicate " + c.what + " via " + c.param
		var a hsAnswer
		if c.param == mcp.MethodTaskStatusNotification {
			a = h.notify(what, c.param, []byte(c.msg))
		} else {
			a = h.dispatch(what, c.param, []byte(c.msg))
		}
		if c.want == "" {
			h.wantInvalid(what, a, "params."+c.path)
			continue
		}
		h.wantAccepted(what, a)
		sameJSON(t, []byte(c.want), h.coreH.seen())
	}
	// The extension's capability gate reads params._meta itself: a
	// repeated _meta whose last value declares the extension passes, one
	// whose last value does not is -32021.
	what := "exttasks: _meta given twice, declaring last"
	h.wantAccepted(what, h.extDispatch(what, ext.MethodGetTask, []byte(`{"taskId":"t","_meta":{},"_meta":`+hsExtDeclared+`}`)))
	what = "exttasks: _meta given twice, declaring first, null last"
	if a := h.extDispatch(what, ext.MethodGetTask, []byte(`{"taskId":"t","_meta":`+hsExtDeclared+`,"_meta":null}`)); !a.isErr || a.code != ext.CodeMissingCapability {
		t.Errorf("%s: %s, want -32021", what, a)
	}
}

// TestHostileExtMetaGateBug: the extension's dispatcher decides whether the
// client declared the extension by decoding params._meta into a Go struct
// (paramsMeta), which encoding/json matches case-insensitively and, for a
// repeated key, merges into the map already read. Everywhere else a key is
// exact and the last one wins wholly, so the gate and the decoded params
// disagree.
func TestHostileExtMetaGateBug(t *testing.T) {
	h := newHostile(t)
	for _, c := range []struct {
		what, params string
		declared     bool
	}{
		{"_META declares nothing", `{"taskId":"t","_META":` + hsExtDeclared + `}`, false},
		{"_Meta declares nothing", `{"taskId":"t","_Meta":` + hsExtDeclared + `}`, false},
		{"the last _meta is empty", `{"taskId":"t","_meta":` + hsExtDeclared + `,"_meta":{}}`, false},
		{"the last _meta declares nothing", `{"taskId":"t","_meta":` + hsExtDeclared + `,"_meta":{"io.modelcontextprotocol/clientCapabilities":{}}}`, false},
		{"an unknown _Meta does not undo _meta", `{"taskId":"t","_meta":` + hsExtDeclared + `,"_Meta":null}`, true},
		// Declared, but params too deep to read: the answer is -32602
		// (invalid params), not -32021.
		{"declared, 100 000 levels deep", `{"taskId":"t","_meta":` + hsExtDeclared + `,"x":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`, true},
	} {
		a := h.extDispatch(c.what, ext.MethodGetTask, []byte(c.params))
		switch {
		case c.declared && strings.Contains(c.what, "deep"):
			h.wantInvalid(c.what, a, "params")
		case c.declared:
			h.wantAccepted(c.what, a)
		case !a.isErr || a.code != ext.CodeMissingCapability:
			t.Errorf("%s: %s, want -32021", c.what, a)
		}
	}
}

// TestHostileExtResultTypeBug: DecodeTaskAugmentedResult reads resultType
// through a Go struct, case-insensitively and last-wins over case
// variants, so an unknown property spelled like resultType in another case
// decides the result's kind; unknown properties must be kept, not decide
// anything.
func TestHostileExtResultTypeBug(t *testing.T) {
	for _, body := range []string{
		`{"resultType":"complete","content":[],"ResultType":"task"}`,
		`{"content":[],"ResultType":"complete"}`,
		`{"content":[],"RESULTTYPE":"x"}`,
	} {
		var res mcpdraft.CallToolResult
		task, err := ext.DecodeTaskAugmentedResult([]byte(body), &res)
		if err != nil || task != nil {
			t.Errorf("%s: task %v, error %v; want a complete result", body, task, err)
		}
	}
}

// ---------------------------------------------------------------------------
// 6. null where it is not allowed, and absent versus null

// TestHostileNulls: null is an error wherever the schema does not allow
// it, with the path; Task.ttl allows it (unlimited), and there null and
// absent differ (absent is an error: ttl is required). Null inside any
// (arguments, _meta) is a value, and kept.
func TestHostileNulls(t *testing.T) {
	h := newHostile(t)
	for _, c := range []struct {
		what string
		dec  hsDecoder
		msg  string
		path string // "" = decodes
	}{
		{"Task.ttl null", hsAs[mcp.Task], `{"taskId":"t","status":"working",` + hsTimes + `,"ttl":null}`, ""},
		{"Task.ttl absent", hsAs[mcp.Task], `{"taskId":"t","status":"working",` + hsTimes + `}`, "ttl"},
		{"Task.taskId null", hsAs[mcp.Task], `{"taskId":null,"status":"working",` + hsTimes + `,"ttl":null}`, "taskId"},
		{"Task.pollInterval null", hsAs[mcp.Task], `{"taskId":"t","status":"working",` + hsTimes + `,"ttl":null,"pollInterval":null}`, "pollInterval"},
		{"CreateTaskResult.task null", hsAs[mcp.CreateTaskResult], `{"task":null}`, "task"},
		{"CreateTaskResult._meta null", hsAs[mcp.CreateTaskResult], `{"_meta":null,"task":` + hsTaskJSON + `}`, "_meta"},
		{"CallToolRequestParams.task null", hsAs[mcp.CallToolRequestParams], `{"name":"n","task":null}`, "task"},
		{"CallToolRequestParams.task.ttl null", hsAs[mcp.CallToolRequestParams], `{"name":"n","task":{"ttl":null}}`, "task.ttl"},
		{"CallToolRequestParams.arguments null", hsAs[mcp.CallToolRequestParams], `{"name":"n","arguments":null}`, "arguments"},
		{"an argument null", hsAs[mcp.CallToolRequestParams], `{"name":"n","arguments":{"a":null,"b":[null]}}`, ""},
		{"_meta entry null", hsAs[mcp.CallToolRequestParams], `{"name":"n","_meta":{"k":null}}`, ""},
		{"CallToolRequest.params null", hsAs[mcp.CallToolRequest], `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":null}`, "params"},
		{"JSONRPCRequest.id null", hsAs[mcp.JSONRPCRequest], `{"jsonrpc":"2.0","id":null,"method":"ping"}`, "id"},
		{"JSONRPCRequest.params null", hsAs[mcp.JSONRPCRequest], `{"jsonrpc":"2.0","id":1,"method":"ping","params":null}`, "params"},
		{"GetTaskResult.status null", hsAs[mcp.GetTaskResult], `{"taskId":"t","status":null,` + hsTimes + `,"ttl":null}`, "status"},
		{"ext ttlMs null", hsAs[ext.CreateTaskResult], `{"resultType":"task","taskId":"t","status":"working",` + hsTimes + `,"ttlMs":null}`, ""},
		{"ext ttlMs absent", hsAs[ext.CreateTaskResult], `{"resultType":"task","taskId":"t","status":"working",` + hsTimes + `}`, "ttlMs"},
		{"ext resultType null", hsAs[ext.CreateTaskResult], `{"resultType":null,"taskId":"t","status":"working",` + hsTimes + `,"ttlMs":null}`, "resultType"},
		{"ext status null", hsUnion(ext.UnmarshalGetTaskResult), `{"resultType":"complete","taskId":"t","status":null,` + hsTimes + `,"ttlMs":null}`, "status"},
		{"ext completed result null", hsUnion(ext.UnmarshalGetTaskResult), `{"resultType":"complete","taskId":"t","status":"completed",` + hsTimes + `,"ttlMs":null,"result":null}`, "result"},
	} {
		err := h.decode(c.what, c.dec, []byte(c.msg))
		if c.path == "" {
			h.wantOK(c.what, err)
		} else {
			h.wantPath(c.what, err, c.path)
		}
	}
	// Through the dispatcher.
	for _, c := range []struct{ what, method, params, path string }{
		{"tools/call params null", mcp.MethodCallTool, `null`, "params"},
		{"tools/call task null", mcp.MethodCallTool, `{"name":"n","task":null}`, "params.task"},
		{"tools/call name null", mcp.MethodCallTool, `{"name":null}`, "params.name"},
		{"tasks/get taskId null", mcp.MethodGetTask, `{"taskId":null}`, "params.taskId"},
		{"tasks/result taskId null", mcp.MethodGetTaskPayload, `{"taskId":null}`, "params.taskId"},
		{"tasks/cancel taskId null", mcp.MethodCancelTask, `{"taskId":null}`, "params.taskId"},
		{"tasks/list cursor null", mcp.MethodListTasks, `{"cursor":null}`, "params.cursor"},
	} {
		h.wantInvalid(c.what, h.dispatch(c.what, c.method, []byte(c.params)), c.path)
	}
	h.wantInvalid("notifications/tasks/status ttl absent", h.notify("notifications/tasks/status ttl absent", mcp.MethodTaskStatusNotification,
		[]byte(`{"taskId":"t","status":"working",`+hsTimes+`}`)), "params.ttl")
	h.wantAccepted("notifications/tasks/status ttl null", h.notify("notifications/tasks/status ttl null", mcp.MethodTaskStatusNotification,
		[]byte(`{"taskId":"t","status":"working",`+hsTimes+`,"ttl":null}`)))
	h.wantAccepted("ping params null", h.dispatch("ping params null", mcp.MethodPing, []byte(`null`)))
	h.wantInvalid("exttasks tasks/get taskId null", h.extDispatch("exttasks tasks/get taskId null", ext.MethodGetTask,
		[]byte(`{"taskId":null,"_meta":`+hsExtDeclared+`}`)), "params.taskId")
	h.wantInvalid("exttasks notifications/tasks status null", h.extNotify("exttasks notifications/tasks status null",
		[]byte(`{"taskId":"t","status":null,`+hsTimes+`,"ttlMs":null}`)), "params.status")
}

// ---------------------------------------------------------------------------
// 7. unknown properties

// TestHostileUnknownFields: properties the schema does not name, at every
// level, are kept (and written back), not an error; a key that differs
// from a known one only in case is such an unknown property, not the
// known one.
func TestHostileUnknownFields(t *testing.T) {
	h := newHostile(t)
	extra := `"zz_unknown":{"nested":[1,"two",null,{"x":9007199254740993}]},"Name":"case","TTL":5`
	for _, c := range []struct {
		what string
		msg  string
		dec  hsDecoder
		rt   func(*testing.T, string)
	}{
		{"CallToolRequest", `{"jsonrpc":"2.0","id":1,"method":"tools/call",` + extra + `,"params":{"name":"n",` + extra + `,"_meta":{` + extra + `},"task":{"ttl":5,` + extra + `}}}`,
			hsAs[mcp.CallToolRequest], func(t *testing.T, s string) { roundTrip[mcp.CallToolRequest](t, s) }},
		{"CreateTaskResult", `{` + extra + `,"task":{"taskId":"t","status":"working",` + hsTimes + `,"ttl":null,` + extra + `}}`,
			hsAs[mcp.CreateTaskResult], func(t *testing.T, s string) { roundTrip[mcp.CreateTaskResult](t, s) }},
		{"GetTaskResult", `{"taskId":"t","status":"working",` + hsTimes + `,"ttl":null,` + extra + `}`,
			hsAs[mcp.GetTaskResult], func(t *testing.T, s string) { roundTrip[mcp.GetTaskResult](t, s) }},
		{"Task", `{"taskId":"t","status":"working",` + hsTimes + `,"ttl":null,` + extra + `}`,
			hsAs[mcp.Task], func(t *testing.T, s string) { roundTrip[mcp.Task](t, s) }},
		{"JSONRPCRequest", `{"jsonrpc":"2.0","id":1,"method":"m",` + extra + `,"params":{` + extra + `}}`,
			hsAs[mcp.JSONRPCRequest], func(t *testing.T, s string) { roundTrip[mcp.JSONRPCRequest](t, s) }},
		{"exttasks.CreateTaskResult", `{"resultType":"task","taskId":"t","status":"working",` + hsTimes + `,"ttlMs":null,` + extra + `}`,
			hsAs[ext.CreateTaskResult], func(t *testing.T, s string) { roundTrip[ext.CreateTaskResult](t, s) }},
		{"exttasks.Task", `{"taskId":"t","status":"working",` + hsTimes + `,"ttlMs":null,` + extra + `}`,
			hsAs[ext.Task], func(t *testing.T, s string) { roundTrip[ext.Task](t, s) }},
	} {
		h.wantOK(c.what, h.decode(c.what, c.dec, []byte(c.msg)))
		c.rt(t, c.msg)
	}
	// "Name" and "TTL" are not name and ttl.
	p, err := unmarshalAs[mcp.CallToolRequestParams]([]byte(`{"Name":"x","name":"n","task":{"TTL":5}}`))
	h.decodes++
	if err != nil || p.Name != "n" || p.Task == nil || p.Task.TTL != nil {
		t.Errorf(`case-variant keys: %+v, %v; want name "n" and no ttl`, p, err)
	}
	_, err = unmarshalAs[mcp.CallToolRequestParams]([]byte(`{"Name":"x"}`))
	h.decodes++
	h.wantPath(`"Name" hsWithout "name"`, err, "name")

	// Through the dispatchers: accepted, and the handler gets them.
	for _, c := range []struct{ what, method, params string }{
		{"tools/call", mcp.MethodCallTool, `{"name":"n",` + extra + `,"task":{"ttl":5,` + extra + `}}`},
		{"tasks/get", mcp.MethodGetTask, `{"taskId":"t",` + extra + `}`},
		{"tasks/cancel", mcp.MethodCancelTask, `{"taskId":"t",` + extra + `}`},
		{"tasks/list", mcp.MethodListTasks, `{` + extra + `}`},
	} {
		h.wantAccepted(c.what, h.dispatch(c.what, c.method, []byte(c.params)))
		sameJSON(t, []byte(c.params), h.coreH.seen())
	}
	note := `{"taskId":"t","status":"working",` + hsTimes + `,"ttl":null,` + extra + `}`
	h.wantAccepted("notifications/tasks/status", h.notify("notifications/tasks/status", mcp.MethodTaskStatusNotification, []byte(note)))
	sameJSON(t, []byte(note), h.coreH.seen())
	extGet := `{"taskId":"t","_meta":` + hsExtDeclared + `,` + extra + `}`
	h.wantAccepted("exttasks tasks/get", h.extDispatch("exttasks tasks/get", ext.MethodGetTask, []byte(extGet)))
	sameJSON(t, []byte(`{"taskId":"t","_meta":`+hsExtDeclared+`,`+extra+`}`), h.extH.seen())
}

// ---------------------------------------------------------------------------
// 8. other malformed input

// TestHostileMalformed: truncated, trailing, non-UTF-8 and otherwise broken
// JSON is a *DecodeError (or, for bytes encoding/json accepts, a decode
// that replaces what is invalid by U+FFFD), and -32602 from the dispatcher.
func TestHostileMalformed(t *testing.T) {
	h := newHostile(t)
	for _, in := range []string{
		``, ` `, `{`, `{"name":`, `{"name":"n"`, `{"name":"n"}}`, `{"name":"n"} {"name":"m"}`, `{"name":"n",}`,
		`{'name':'n'}`, `{"name":"n\x"}`, `{"name":"\ud800` + "\x00" + `"}`, "\xef\xbb\xbf{\"name\":\"n\"}", `{"name":NaN}`,
		`{"name":"n","task":{"ttl":0x10}}`, `{"name":"n","task":{"ttl":+1}}`, `{"name":"n","task":{"ttl":01}}`, `{"name":"n","task":{"ttl":.5}}`,
		`{"name":"n","task":{"ttl":1.}}`, `{"name":"n","task":{"ttl":Infinity}}`, `{"name":"n","task":{"ttl":-}}`,
	} {
		what := fmt.Sprintf("malformed %q", in)
		h.wantDecodeError(what, h.decode(what, hsAs[mcp.CallToolRequestParams], []byte(in)))
		// (Empty params are absent ones: "params: required property is
		// missing".)
		h.wantInvalid(what, h.dispatch(what, mcp.MethodCallTool, []byte(in)), "params")
	}
	// Bytes encoding/json takes: invalid UTF-8 and lone surrogates become
	// U+FFFD; NUL is a character like another.
	for _, c := range []struct{ in, want string }{
		{"{\"name\":\"a\xffb\"}", "a\ufffdb"},
		{`{"name":"a\ud800b"}`, "a\ufffdb"},
		{`{"name":"a\u0000b"}`, "a\x00b"},
		{`{"name":"\ud83d\ude00"}`, "😀"},
	} {
		p, err := unmarshalAs[mcp.CallToolRequestParams]([]byte(c.in))
		h.decodes++
		if err != nil || p.Name != c.want {
			t.Errorf("%q: name %q, %v; want %q", c.in, p.Name, err, c.want)
		}
	}
}
