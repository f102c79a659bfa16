// How the adapter carries tasks through go-sdk (v1.8.0; file:line are
// go-sdk's).
//
// go-sdk v1.8.0 knows nothing of tasks. Four of its extension points are
// enough to add them without forking it:
//
//   - tasks/get, tasks/result, tasks/list and tasks/cancel are registered
//     with mcp.AddReceivingCustomMethod (go-sdk mcp/server.go:2286). go-sdk
//     answers a method it has no entry for with -32601 before any
//     middleware runs (mcp/shared.go:207 and :236-238, and, on Streamable
//     HTTP, mcp/streamable.go:1480), so middleware alone cannot serve them.
//     Their params are kept raw (rawParams) and handed, with the method, to
//     the generated ServerDispatcher; its raw answer goes back verbatim
//     (rawResult).
//   - A receiving middleware (mcp.Server.AddReceivingMiddleware,
//     mcp/server.go:1860) adds the tasks capability to the initialize
//     result (go-sdk's ServerCapabilities has no tasks field,
//     mcp/protocol.go:2262), adds execution.taskSupport to each tool of
//     tools/list (go-sdk's Tool has no execution field, mcp/protocol.go:1895),
//     and routes a task-augmented tools/call to the dispatcher, which
//     answers with a CreateTaskResult instead of a CallToolResult.
//   - go-sdk decodes tools/call params into CallToolParamsRaw
//     (mcp/protocol.go:241), which has no task field: params.task is gone
//     before middleware sees the request (mcp/shared.go:211, :335-338).
//     So a wrapper in front of go-sdk's JSON decoding copies params.task
//     into params._meta under TagKey, which go-sdk keeps: WrapHTTPHandler
//     (Streamable HTTP), WrapReader/StdioTransport (stdio) or WrapTransport
//     (any mcp.Transport). The middleware takes the key out again before
//     go-sdk's tool handler sees the request.
//   - The tool itself stays a go-sdk tool (mcp.AddTool). The generated
//     handler's CallToolAsTask gets, through sdkTool(ctx), a function that
//     runs that tool through the rest of go-sdk's chain (the next
//     MethodHandler) whenever the task's work runs.
//
// A tools/call without params.task is left to go-sdk, except that a tool
// whose taskSupport is "required" is answered -32601 as the spec asks.
//
// Limits, all go-sdk's: a -32601 keeps its code but go-sdk replaces its
// message with `method not found: "<method>"` (internal/jsonrpc2/conn.go:695);
// the deprecated HTTP+SSE transport refuses custom methods, tasks/* among
// them, with HTTP 400 (mcp/sse.go:187); a server cannot send
// notifications/tasks/status through a ServerSession, whose sendable methods
// are fixed (mcp/server.go:1911, mcp/shared.go:140-143); a session whose
// transport is not wrapped is offered tasks/list and tasks/cancel but not
// task-augmented tools/call. The tasks extension of 2026-07-28 is in ext.go.

package gosdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	gen "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// TagKey is the params._meta key that carries what go-sdk's decoding would
// drop from a request, from the wrappers (WrapHTTPHandler, WrapReader,
// WrapTransport) to the middleware. On tools/call its value is the JSON text
// of params.task, or "" when the request has none; on initialize it is ""
// and only says that the session's transport is wrapped. The wrappers
// overwrite any value a client sends, and the middleware deletes the key
// before go-sdk's own handlers see the params.
const TagKey = "io.github.mcpgen.gosdk/task"

// taskProtocolVersion is the revision whose tasks the adapter serves.
const taskProtocolVersion = "2025-11-25"

// adapter connects a go-sdk server to a generated ServerDispatcher. Create
// it with installDispatcher.
type adapter struct {
	d *gen.ServerDispatcher
}

// installDispatcher registers the task methods on s and adds the adapter's receiving
// middleware. d serves them: its Handler must implement the ServerTasksHandler
// methods and CallToolAsTask (the rest of ServerHandler is never called; embed
// gen.UnimplementedServerHandler). d.Capabilities.Tasks is what initialize
// advertises as capabilities.tasks, and, as in the dispatcher, decides which
// task methods exist; d.ToolTaskSupport gives each go-sdk tool its
// execution.taskSupport.
//
// It should be called after any other AddReceivingMiddleware: middleware
// added later runs outside the adapter and sees initialize, tools/list and
// task results as raw JSON results rather than go-sdk's result types.
func installDispatcher(s *sdk.Server, d *gen.ServerDispatcher) (*adapter, error) {
	if s == nil || d == nil || d.Handler == nil {
		return nil, errors.New("gosdk: installDispatcher needs a server and a dispatcher with a handler")
	}
	a := &adapter{d: d}
	for _, method := range []string{gen.MethodGetTask, gen.MethodGetTaskPayload, gen.MethodListTasks, gen.MethodCancelTask} {
		if err := sdk.AddReceivingCustomMethod[*rawParams, *rawResult](s, method, a.taskMethod(method)); err != nil {
			return nil, fmt.Errorf("gosdk: %w", err)
		}
	}
	s.AddReceivingMiddleware(a.middleware)
	return a, nil
}

// taskMethod serves one tasks/* method through the dispatcher.
func (a *adapter) taskMethod(method string) func(context.Context, *sdk.ServerSession, *rawParams) (*rawResult, error) {
	return func(ctx context.Context, ss *sdk.ServerSession, p *rawParams) (*rawResult, error) {
		var params json.RawMessage
		if p != nil {
			params = p.raw
		}
		res, rpcErr := a.d.Dispatch(withSession(ctx, ss), method, params)
		if rpcErr != nil {
			return nil, wireError(rpcErr)
		}
		return &rawResult{raw: res}, nil
	}
}

func (a *adapter) middleware(next sdk.MethodHandler) sdk.MethodHandler {
	return func(ctx context.Context, method string, req sdk.Request) (sdk.Result, error) {
		switch method {
		case gen.MethodInitialize:
			return a.initialize(ctx, next, method, req)
		case gen.MethodListTools:
			return a.listTools(ctx, next, method, req)
		case gen.MethodCallTool:
			return a.callTool(ctx, next, method, req)
		}
		return next(ctx, method, req)
	}
}

// initialize adds capabilities.tasks to go-sdk's answer, when the session
// negotiated 2025-11-25. tasks.requests (task-augmented tools/call) is
// advertised only when a wrapper tagged the request: without one, params.task
// would never reach the adapter.
func (a *adapter) initialize(ctx context.Context, next sdk.MethodHandler, method string, req sdk.Request) (sdk.Result, error) {
	_, tagged := takeTag(req.GetParams())
	res, err := next(ctx, method, req)
	if err != nil || a.d.Capabilities.Tasks == nil {
		return res, err
	}
	ir, ok := res.(*sdk.InitializeResult)
	if !ok || ir.ProtocolVersion != taskProtocolVersion {
		return res, nil
	}
	tasks := *a.d.Capabilities.Tasks
	if !tagged {
		tasks.Requests = nil
	}
	raw, err := patchObject(ir, func(obj map[string]json.RawMessage) error {
		caps := map[string]json.RawMessage{}
		if c, ok := obj["capabilities"]; ok {
			if err := json.Unmarshal(c, &caps); err != nil {
				return err
			}
		}
		var err error
		if caps["tasks"], err = json.Marshal(tasks); err != nil {
			return err
		}
		obj["capabilities"], err = json.Marshal(caps)
		return err
	})
	if err != nil {
		return nil, internalError("gosdk: initialize: %v", err)
	}
	return raw, nil
}

// listTools adds execution.taskSupport to the tools d.ToolTaskSupport knows,
// when the capabilities declare task-augmented tools/call (otherwise the
// field means nothing, and the dispatcher treats every tool as "forbidden").
func (a *adapter) listTools(ctx context.Context, next sdk.MethodHandler, method string, req sdk.Request) (sdk.Result, error) {
	res, err := next(ctx, method, req)
	if err != nil || a.d.ToolTaskSupport == nil || !a.d.Capabilities.TaskAugmentable(gen.MethodCallTool) {
		return res, err
	}
	lr, ok := res.(*sdk.ListToolsResult)
	if !ok {
		return res, nil
	}
	raw, err := patchObject(lr, func(obj map[string]json.RawMessage) error {
		var tools []map[string]json.RawMessage
		if err := json.Unmarshal(obj["tools"], &tools); err != nil {
			return err
		}
		for i, tool := range lr.Tools {
			support, known := a.d.ToolTaskSupport(tool.Name)
			if !known || support == "" || i >= len(tools) {
				continue
			}
			exec, err := json.Marshal(gen.ToolExecution{TaskSupport: support})
			if err != nil {
				return err
			}
			tools[i]["execution"] = exec
		}
		var err error
		obj["tools"], err = json.Marshal(tools)
		return err
	})
	if err != nil {
		return nil, internalError("gosdk: tools/list: %v", err)
	}
	return raw, nil
}

// callTool sends a task-augmented tools/call to the dispatcher (and so to
// the generated CallToolAsTask); any other call goes on to go-sdk.
func (a *adapter) callTool(ctx context.Context, next sdk.MethodHandler, method string, req sdk.Request) (sdk.Result, error) {
	r, ok := req.(*sdk.CallToolRequest)
	if !ok || r.Params == nil {
		return next(ctx, method, req)
	}
	// A copy of the request without the tag, for go-sdk's tool.
	params := *r.Params
	params.Meta = maps.Clone(r.Params.Meta)
	taskJSON, _ := takeTag(&params)
	plain := &sdk.CallToolRequest{Session: r.Session, Params: &params, Extra: r.Extra}

	if taskJSON == "" {
		if a.taskSupport(params.Name) == gen.ToolExecutionTaskSupportRequired {
			return nil, &jsonrpc.Error{
				Code:    jsonrpc.CodeMethodNotFound,
				Message: fmt.Sprintf("tool %q requires task-augmented execution (taskSupport \"required\"): call it with params.task", params.Name),
			}
		}
		return next(ctx, method, plain)
	}

	// The params as the client sent them, for the generated decoder.
	wire := map[string]json.RawMessage{"task": json.RawMessage(taskJSON)}
	var err error
	if wire["name"], err = json.Marshal(params.Name); err != nil {
		return nil, internalError("gosdk: tools/call: %v", err)
	}
	if len(params.Arguments) > 0 {
		wire["arguments"] = params.Arguments
	}
	if len(params.Meta) > 0 {
		if wire["_meta"], err = json.Marshal(params.Meta); err != nil {
			return nil, internalError("gosdk: tools/call: %v", err)
		}
	}
	raw, err := json.Marshal(wire)
	if err != nil {
		return nil, internalError("gosdk: tools/call: %v", err)
	}
	ctx = withSession(ctx, r.Session)
	ctx = context.WithValue(ctx, sdkCallKey{}, &sdkCall{next: next, req: plain})
	res, rpcErr := a.d.Dispatch(ctx, method, raw)
	if rpcErr != nil {
		return nil, wireError(rpcErr)
	}
	return &rawResult{raw: res}, nil
}

// taskSupport is the rule of the generated dispatcher: a tool's
// taskSupport counts only when the capabilities declare task-augmented
// tools/call, and is "forbidden" when not given.
func (a *adapter) taskSupport(tool string) gen.ToolExecutionTaskSupport {
	if a.d.ToolTaskSupport == nil || !a.d.Capabilities.TaskAugmentable(gen.MethodCallTool) {
		return gen.ToolExecutionTaskSupportForbidden
	}
	s, known := a.d.ToolTaskSupport(tool)
	if !known || s == "" {
		return gen.ToolExecutionTaskSupportForbidden
	}
	return s
}

// takeTag removes TagKey from the params' _meta, reporting its value and
// whether it was there.
func takeTag(p sdk.Params) (string, bool) {
	if p == nil {
		return "", false
	}
	meta := p.GetMeta()
	v, ok := meta[TagKey]
	if !ok {
		return "", false
	}
	delete(meta, TagKey)
	if len(meta) == 0 {
		p.SetMeta(nil)
	}
	s, _ := v.(string)
	return s, true
}

// sdkTool returns, inside the generated handler's CallToolAsTask, a function
// that runs the called tool as go-sdk would have run it for a plain
// tools/call (argument validation, the tool's handler, result checks), with
// the context it is given: a task's work calls it with the task's context,
// which outlives the request. The go-sdk result comes back as the generated
// CallToolResult; a JSON-RPC error keeps its code as a *gen.Error. It is nil
// outside such a call.
func sdkTool(ctx context.Context) func(context.Context) (*gen.CallToolResult, error) {
	c, _ := ctx.Value(sdkCallKey{}).(*sdkCall)
	if c == nil {
		return nil
	}
	return c.run
}

type sdkCallKey struct{}

type sdkCall struct {
	next sdk.MethodHandler
	req  *sdk.CallToolRequest
}

func (c *sdkCall) run(ctx context.Context) (*gen.CallToolResult, error) {
	res, err := c.next(ctx, gen.MethodCallTool, c.req)
	if err != nil {
		return nil, genError(err)
	}
	data, err := json.Marshal(res)
	if err != nil {
		return nil, internalGenError("encode the go-sdk tool result: %v", err)
	}
	var out gen.CallToolResult
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, internalGenError("the go-sdk tool result is not a 2025-11-25 CallToolResult: %v", err)
	}
	return &out, nil
}

// Session returns the go-sdk session a dispatched request came in on (in the
// generated handlers: CallToolAsTask and the task methods), so that a task
// store can keep each session's tasks to itself. It is nil elsewhere.
func Session(ctx context.Context) *sdk.ServerSession {
	ss, _ := ctx.Value(sessionKey{}).(*sdk.ServerSession)
	return ss
}

type sessionKey struct{}

func withSession(ctx context.Context, ss *sdk.ServerSession) context.Context {
	if ss == nil {
		return ctx
	}
	return context.WithValue(ctx, sessionKey{}, ss)
}

// rawParams keeps a custom method's params as they came: the generated
// dispatcher decodes (and validates) them itself.
type rawParams struct {
	sdk.ParamsBase
	raw json.RawMessage
}

func (p *rawParams) UnmarshalJSON(data []byte) error {
	p.raw = append(json.RawMessage(nil), data...)
	// _meta too, for go-sdk code that reads it (GetMeta); the dispatcher
	// reads the raw params.
	var probe struct {
		Meta map[string]any `json:"_meta"`
	}
	if json.Unmarshal(data, &probe) == nil {
		p.Meta = probe.Meta
	}
	return nil
}

// MarshalJSON sends the params as given (the client side, Peer), with any
// _meta go-sdk set merged in.
func (p *rawParams) MarshalJSON() ([]byte, error) {
	raw := p.raw
	if len(raw) == 0 || string(raw) == "null" {
		raw = json.RawMessage("{}")
	}
	return mergeMeta(raw, p.Meta)
}

// rawResult is a result the dispatcher (or the adapter) encoded already.
// go-sdk writes whatever MarshalJSON returns as the JSON-RPC result
// (internal/jsonrpc2/messages.go:118-121, :228-235).
type rawResult struct {
	sdk.ResultBase
	raw json.RawMessage
}

// MarshalJSON returns the encoded result, with any _meta go-sdk added
// through SetMeta merged in (the result's own keys win).
func (r *rawResult) MarshalJSON() ([]byte, error) { return mergeMeta(r.raw, r.Meta) }

// UnmarshalJSON keeps a result as it came (the client side, Peer).
func (r *rawResult) UnmarshalJSON(data []byte) error {
	r.raw = append(json.RawMessage(nil), data...)
	return nil
}

// mergeMeta returns the object raw with meta's keys added to its _meta
// (raw's own keys win).
func mergeMeta(raw json.RawMessage, extra map[string]any) ([]byte, error) {
	if len(extra) == 0 {
		return raw, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, errors.New("not a JSON object")
	}
	meta := map[string]json.RawMessage{}
	if m, ok := obj["_meta"]; ok {
		if err := json.Unmarshal(m, &meta); err != nil || meta == nil {
			return nil, fmt.Errorf("_meta is not an object: %s", m)
		}
	}
	for k, v := range extra {
		if _, ok := meta[k]; ok {
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		meta[k] = b
	}
	var err error
	if obj["_meta"], err = json.Marshal(meta); err != nil {
		return nil, err
	}
	return json.Marshal(obj)
}

// patchObject encodes v, lets patch edit its top-level members, and
// returns the result as a rawResult.
func patchObject(v any, patch func(map[string]json.RawMessage) error) (*rawResult, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	if err := patch(obj); err != nil {
		return nil, err
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	return &rawResult{raw: out}, nil
}

// wireError turns a generated JSON-RPC error into go-sdk's, which go-sdk
// writes with its code (internal/jsonrpc2/messages.go:134-136).
func wireError(e *gen.Error) error {
	we := &jsonrpc.Error{Code: e.Code, Message: e.Message}
	if e.Data != nil {
		if data, err := json.Marshal(e.Data); err == nil {
			we.Data = data
		}
	}
	return we
}

// genError turns an error from go-sdk's chain into a generated JSON-RPC
// error, keeping the code of a go-sdk *jsonrpc.Error (wrapped or not); any
// other error is internal.
func genError(err error) *gen.Error {
	var ge *gen.Error
	if errors.As(err, &ge) {
		return ge
	}
	var we *jsonrpc.Error
	if errors.As(err, &we) {
		return &gen.Error{Code: we.Code, Message: err.Error(), Data: wireData(we)}
	}
	return &gen.Error{Code: gen.CodeInternalError, Message: err.Error()}
}

// wireData decodes the data of a go-sdk JSON-RPC error: nil when it has
// none or it is not JSON.
func wireData(we *jsonrpc.Error) any {
	var data any
	if len(we.Data) == 0 || json.Unmarshal(we.Data, &data) != nil {
		return nil
	}
	return data
}

func internalError(format string, args ...any) error {
	return &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: fmt.Sprintf(format, args...)}
}

func internalGenError(format string, args ...any) *gen.Error {
	return &gen.Error{Code: gen.CodeInternalError, Message: "internal error: " + fmt.Sprintf(format, args...)}
}
