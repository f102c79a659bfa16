package gosdk

// The client side: a go-sdk ClientSession as the generated Peer, so that
// the typed client (gen.ServerCaller, gen.FollowTask, RemoteTask) runs
// tasks on a server through go-sdk.
//
// go-sdk v1.8.0 sends a method outside its own table only through
// mcp.AddSendingCustomMethod and mcp.CallCustomMethod (mcp/client.go:1642,
// :1667), which refuse the standard methods (mcp/client.go:1646-1648):
// tools/call goes through ClientSession.CallTool, whose CallToolParams has
// no task field (mcp/protocol.go:219-236) and whose CallToolResult has no
// place for the task of a CreateTaskResult. So, as on the server,
// WrapClientTransport rewrites the wire: a tools/call whose _meta carries
// TagKey gets that value back as params.task, and the answer to it is
// handed to go-sdk as a CallToolResult whose _meta carries the raw result
// under TagKey. A custom method registered with AddSendingCustomMethod is
// always a request (its methodInfo has no notification flag,
// mcp/client.go:1650-1654), so no notification can be sent but go-sdk's
// own.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	gen "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// taskMethods are the methods of the 2025-11-25 task API a client sends.
var taskMethods = []string{gen.MethodGetTask, gen.MethodGetTaskPayload, gen.MethodListTasks, gen.MethodCancelTask}

// RegisterTaskMethods lets c send tasks/get, tasks/result, tasks/list and
// tasks/cancel (mcp.AddSendingCustomMethod), which NewPeer's Call needs.
// Call it before c.Connect.
func RegisterTaskMethods(c *sdk.Client) error {
	for _, m := range taskMethods {
		if err := sdk.AddSendingCustomMethod[*rawParams, *rawResult](c, m); err != nil {
			return fmt.Errorf("gosdk: %w", err)
		}
	}
	return nil
}

// Peer is a go-sdk client session as the generated gen.Peer. Make it with
// NewPeer.
type Peer struct {
	cs *sdk.ClientSession
}

var _ gen.Peer = (*Peer)(nil)

// NewPeer returns cs as a gen.Peer, for gen.ServerCaller{Peer: NewPeer(cs)}.
// cs's client must have had RegisterTaskMethods, and its transport must be
// wrapped with WrapClientTransport for task-augmented tools/call.
func NewPeer(cs *sdk.ClientSession) *Peer { return &Peer{cs: cs} }

// Call sends tools/call (plain or task-augmented) and the task methods.
// Other methods have typed go-sdk calls of their own (ClientSession) and
// are refused.
func (p *Peer) Call(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
	switch method {
	case gen.MethodGetTask, gen.MethodGetTaskPayload, gen.MethodListTasks, gen.MethodCancelTask:
		res, err := sdk.CallCustomMethod[*rawParams, *rawResult](ctx, p.cs, method, &rawParams{raw: params})
		if err != nil {
			return nil, peerError(err)
		}
		return res.raw, nil
	case gen.MethodCallTool:
		return p.callTool(ctx, params)
	}
	return nil, fmt.Errorf("gosdk: Peer does not send %s: use the go-sdk ClientSession's own method", method)
}

func (p *Peer) callTool(ctx context.Context, params json.RawMessage) (json.RawMessage, error) {
	var wire struct {
		Name      string          `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
		Task      json.RawMessage `json:"task"`
		Meta      map[string]any  `json:"_meta"`
	}
	if err := json.Unmarshal(params, &wire); err != nil {
		return nil, fmt.Errorf("gosdk: tools/call params: %w", err)
	}
	cp := &sdk.CallToolParams{Name: wire.Name}
	if len(wire.Arguments) > 0 {
		cp.Arguments = wire.Arguments
	}
	if len(wire.Meta) > 0 {
		cp.Meta = wire.Meta
	}
	if wire.Task != nil {
		if cp.Meta == nil {
			cp.Meta = map[string]any{}
		}
		cp.Meta[TagKey] = string(wire.Task)
	}
	res, err := p.cs.CallTool(ctx, cp)
	if err != nil {
		return nil, peerError(err)
	}
	if wire.Task != nil {
		raw, ok := res.Meta[TagKey].(string)
		if !ok {
			return nil, errors.New("gosdk: the answer to a task-augmented tools/call did not come through WrapClientTransport")
		}
		return json.RawMessage(raw), nil
	}
	return json.Marshal(res)
}

// Notify refuses every notification: go-sdk's ClientSession sends only
// its own (see the top of this file).
func (p *Peer) Notify(ctx context.Context, method string, params json.RawMessage) error {
	return fmt.Errorf("gosdk: a go-sdk ClientSession cannot send %s", method)
}

// peerError keeps the code of a JSON-RPC error answer as the Peer contract
// asks (gen.Error has the RPCError method).
func peerError(err error) error {
	var we *jsonrpc.Error
	if errors.As(err, &we) {
		return &gen.Error{Code: we.Code, Message: we.Message, Data: wireData(we)}
	}
	return err
}

// WrapClientTransport rewrites what a go-sdk client sends and reads on t
// so that a task-augmented tools/call of Peer reaches the server with
// params.task and its CreateTaskResult comes back whole (see the top of
// this file). Other messages pass unchanged.
func WrapClientTransport(t sdk.Transport) sdk.Transport { return clientTransport{t} }

type clientTransport struct{ sdk.Transport }

func (t clientTransport) Connect(ctx context.Context) (sdk.Connection, error) {
	c, err := t.Transport.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &clientConn{Connection: c, pending: map[any]bool{}}, nil
}

type clientConn struct {
	sdk.Connection
	mu      sync.Mutex
	pending map[any]bool // ids of task-augmented tools/call in flight
}

func (c *clientConn) Write(ctx context.Context, msg jsonrpc.Message) error {
	if req, ok := msg.(*jsonrpc.Request); ok && req.IsCall() && req.Method == gen.MethodCallTool {
		if params, ok := untagParams(req.Params); ok {
			c.mu.Lock()
			c.pending[req.ID.Raw()] = true
			c.mu.Unlock()
			cp := *req
			cp.Params = params
			msg = &cp
		}
	}
	return c.Connection.Write(ctx, msg)
}

func (c *clientConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	msg, err := c.Connection.Read(ctx)
	resp, ok := msg.(*jsonrpc.Response)
	if err != nil || !ok {
		return msg, err
	}
	c.mu.Lock()
	tagged := c.pending[resp.ID.Raw()]
	delete(c.pending, resp.ID.Raw())
	c.mu.Unlock()
	if tagged && resp.Error == nil && len(resp.Result) > 0 {
		wrapped, err := json.Marshal(map[string]any{
			"content": []any{},
			"_meta":   map[string]string{TagKey: string(resp.Result)},
		})
		if err != nil {
			return nil, err
		}
		cp := *resp
		cp.Result = wrapped
		return &cp, nil
	}
	return msg, nil
}

// untagParams moves params._meta[TagKey] (a JSON text) to params.task,
// reporting false when the params carry no such tag.
func untagParams(params json.RawMessage) (json.RawMessage, bool) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(params, &obj) != nil || obj == nil {
		return params, false
	}
	var meta map[string]json.RawMessage
	if json.Unmarshal(obj["_meta"], &meta) != nil || meta == nil {
		return params, false
	}
	var task string
	if json.Unmarshal(meta[TagKey], &task) != nil || !json.Valid([]byte(task)) {
		return params, false
	}
	delete(meta, TagKey)
	obj["task"] = json.RawMessage(task)
	if len(meta) == 0 {
		delete(obj, "_meta")
	} else {
		m, err := json.Marshal(meta)
		if err != nil {
			return params, false
		}
		obj["_meta"] = m
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return params, false
	}
	return out, true
}
