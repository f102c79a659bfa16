package gosdk

// The tasks extension (io.modelcontextprotocol/tasks) on go-sdk, for
// requests of protocol revision 2026-07-28, which go-sdk v1.8.0 accepts
// sessionless, each request carrying its protocol version and client
// capabilities in params._meta (mcp/shared.go:564-604, mcp/server.go:1947).
// What go-sdk carries, and so what ExtTasks builds on:
//
//   - The per-request _meta reaches the middleware intact, client
//     capabilities with their extensions included (CallToolParamsRaw.Meta),
//     so the engine can tell a client that declared the extension
//     (ExtensionDeclared) from one that did not. No wrapper is needed: this
//     design puts nothing outside _meta that go-sdk's decoding drops.
//   - tasks/get, tasks/update and tasks/cancel are custom methods
//     (AddReceivingCustomMethod); go-sdk lets them through sessionless
//     (mcp/server.go:1988-1995).
//   - A result of the adapter's own type keeps its resultType ("task"):
//     go-sdk sets resultType "complete" only on its own result types
//     (setCompleteResultType, mcp/protocol.go:38-47, called at
//     mcp/server.go:2043).
//   - server/discover is go-sdk's (mcp/server.go:920); its capabilities come
//     from ServerOptions.Capabilities (mcp/server.go:657-671), which the
//     adapter cannot change after NewServer, so the middleware adds the
//     extension to the server/discover result instead.
//
// What go-sdk blocks: notifications/tasks (a ServerSession sends go-sdk's
// methods alone, mcp/server.go:1911), so clients poll; and one go-sdk
// server cannot serve both designs' tasks/get and tasks/cancel, since a
// custom method has one handler per server (mcp/server.go:2286): New and
// NewExt refuse a server the other was given.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	ext "github.com/mcpgen-dev/mcpgen/generated/exttasks"
	gen "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// ExtTasks is the tasks extension on one go-sdk server. Make it with
// NewExt.
type ExtTasks struct {
	server *sdk.Server
	engine *ext.Engine

	mu      sync.RWMutex
	support map[string]ext.TaskSupport
}

// installed records the design each server was given (New or NewExt).
var installed sync.Map // *sdk.Server -> string

func claim(s *sdk.Server, design string) error {
	if prev, loaded := installed.LoadOrStore(s, design); loaded && prev != design {
		return fmt.Errorf("gosdk: the server already serves the tasks of %s: go-sdk gives a custom method one handler per server", prev)
	} else if loaded {
		return fmt.Errorf("gosdk: the server already serves the tasks of %s", design)
	}
	return nil
}

// NewExt adds the tasks extension to s, with the extension's engine
// (generated/exttasks) set up by cfg (Store, TTLs, Owner, ...). Tools
// become task tools through AddExtTool or SetTaskSupport; a tools/call of
// such a tool from a client that declared the extension in its request's
// _meta may be answered with a task (resultType "task"), followed with
// tasks/get, tasks/update and tasks/cancel.
func NewExt(s *sdk.Server, cfg ext.EngineConfig) (*ExtTasks, error) {
	if s == nil {
		return nil, errors.New("gosdk: NewExt needs a server")
	}
	if err := claim(s, "the tasks extension (NewExt)"); err != nil {
		return nil, err
	}
	t := &ExtTasks{server: s, engine: ext.NewEngine(cfg), support: map[string]ext.TaskSupport{}}
	for _, method := range []string{ext.MethodGetTask, ext.MethodUpdateTask, ext.MethodCancelTask} {
		if err := sdk.AddReceivingCustomMethod[*rawParams, *rawResult](s, method, t.taskMethod(method)); err != nil {
			t.engine.Close(context.Background())
			return nil, fmt.Errorf("gosdk: %w", err)
		}
	}
	s.AddReceivingMiddleware(t.middleware)
	return t, nil
}

// AddExtTool adds a tool to the server, as mcp.AddTool does, and declares
// its task support in the tasks extension.
func AddExtTool[In, Out any](t *ExtTasks, tool *sdk.Tool, h sdk.ToolHandlerFor[In, Out], support ext.TaskSupport) error {
	switch support {
	case ext.TaskForbidden, ext.TaskOptional, ext.TaskRequired:
	default:
		return fmt.Errorf("gosdk: task support %d is none of TaskForbidden, TaskOptional, TaskRequired", support)
	}
	sdk.AddTool(t.server, tool, h)
	t.SetTaskSupport(tool.Name, support)
	return nil
}

// SetTaskSupport declares the task support of a tool of the server.
func (t *ExtTasks) SetTaskSupport(tool string, support ext.TaskSupport) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.support[tool] = support
}

// Engine returns the extension's engine.
func (t *ExtTasks) Engine() *ext.Engine { return t.engine }

// Close stops the engine.
func (t *ExtTasks) Close(ctx context.Context) error { return t.engine.Close(ctx) }

// ExtTaskRun returns, inside a go-sdk tool handler running as a task's
// work, the run of that task, whose Ask requests input from the client
// (answered through tasks/update). It is nil elsewhere.
func ExtTaskRun(ctx context.Context) *ext.TaskRun {
	run, _ := ctx.Value(extRunKey{}).(*ext.TaskRun)
	return run
}

type extRunKey struct{}

func (t *ExtTasks) taskMethod(method string) func(context.Context, *sdk.ServerSession, *rawParams) (*rawResult, error) {
	return func(ctx context.Context, ss *sdk.ServerSession, p *rawParams) (*rawResult, error) {
		var params json.RawMessage
		if p != nil {
			params = p.raw
		}
		res, rpcErr := t.engine.Dispatch(withSession(ctx, ss), method, params)
		if rpcErr != nil {
			return nil, extWireError(rpcErr)
		}
		return &rawResult{raw: res}, nil
	}
}

func (t *ExtTasks) middleware(next sdk.MethodHandler) sdk.MethodHandler {
	return func(ctx context.Context, method string, req sdk.Request) (sdk.Result, error) {
		switch method {
		case "server/discover":
			return t.discover(ctx, next, method, req)
		case gen.MethodCallTool:
			if r, ok := req.(*sdk.CallToolRequest); ok && r.Params != nil {
				t.mu.RLock()
				support, declared := t.support[r.Params.Name]
				t.mu.RUnlock()
				if declared {
					return t.callTool(ctx, next, r, support)
				}
			}
		}
		return next(ctx, method, req)
	}
}

// discover adds the extension to capabilities.extensions of go-sdk's
// server/discover result.
func (t *ExtTasks) discover(ctx context.Context, next sdk.MethodHandler, method string, req sdk.Request) (sdk.Result, error) {
	res, err := next(ctx, method, req)
	if err != nil {
		return res, err
	}
	raw, err := patchObject(res, func(obj map[string]json.RawMessage) error {
		caps := map[string]json.RawMessage{}
		if c, ok := obj["capabilities"]; ok {
			if err := json.Unmarshal(c, &caps); err != nil || caps == nil {
				return fmt.Errorf("capabilities: %s", c)
			}
		}
		exts := map[string]json.RawMessage{}
		if e, ok := caps["extensions"]; ok {
			if err := json.Unmarshal(e, &exts); err != nil || exts == nil {
				return fmt.Errorf("capabilities.extensions: %s", e)
			}
		}
		exts[ext.ExtensionID] = json.RawMessage("{}")
		var err error
		if caps["extensions"], err = json.Marshal(exts); err != nil {
			return err
		}
		obj["capabilities"], err = json.Marshal(caps)
		return err
	})
	if err != nil {
		return nil, internalError("gosdk: server/discover: %v", err)
	}
	return raw, nil
}

// callTool runs a declared tool through the engine, which answers with its
// result or with a task whose work is go-sdk's own tool call.
func (t *ExtTasks) callTool(ctx context.Context, next sdk.MethodHandler, r *sdk.CallToolRequest, support ext.TaskSupport) (sdk.Result, error) {
	params := *r.Params
	params.Meta = maps.Clone(r.Params.Meta)
	plain := &sdk.CallToolRequest{Session: r.Session, Params: &params, Extra: r.Extra}
	ans, err := t.engine.CallTool(withSession(ctx, r.Session), ext.ToolCall{
		Declared: ext.ExtensionDeclared(params.Meta),
		Support:  support,
		Work: func(ctx context.Context, run *ext.TaskRun) (any, error) {
			res, err := next(context.WithValue(ctx, extRunKey{}, run), gen.MethodCallTool, plain)
			if err != nil {
				return nil, extGenError(err)
			}
			data, err := json.Marshal(res)
			if err != nil {
				return nil, err
			}
			return json.RawMessage(data), nil
		},
	})
	var ee *ext.Error
	switch {
	case errors.As(err, &ee):
		return nil, extWireError(ee)
	case err != nil:
		return nil, internalError("gosdk: tools/call: %v", err)
	case ans.Task != nil:
		data, err := json.Marshal(ans.Task)
		if err != nil {
			return nil, internalError("gosdk: tools/call: %v", err)
		}
		return &rawResult{raw: data}, nil
	}
	return &rawResult{raw: ans.Result}, nil
}

func extWireError(e *ext.Error) error {
	we := &jsonrpc.Error{Code: e.Code, Message: e.Message}
	if e.Data != nil {
		if data, err := json.Marshal(e.Data); err == nil {
			we.Data = data
		}
	}
	return we
}

// extGenError keeps the code of a go-sdk JSON-RPC error for the engine.
func extGenError(err error) error {
	var we *jsonrpc.Error
	if errors.As(err, &we) {
		return &ext.Error{Code: we.Code, Message: err.Error(), Data: wireData(we)}
	}
	return err
}
