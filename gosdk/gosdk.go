// Package gosdk adds MCP tasks (protocol revision 2025-11-25) to a server
// built with the official Go SDK, github.com/modelcontextprotocol/go-sdk
// (tested with v1.8.0), which has none of its own: tools keep being go-sdk
// tools, and those declared "optional" or "required" for tasks can also run
// as tasks on the task engine mcpgen generates (package
// github.com/mcpgen-dev/mcpgen/generated/mcp20251125, type Engine).
//
//	s := mcp.NewServer(impl, nil)
//	tasks, err := gosdk.New(s, nil) // or &gosdk.Options{Engine: gen.EngineOptions{Store: myStore}}
//	gosdk.AddTool(tasks, &mcp.Tool{Name: "report"}, handler, gosdk.Optional)
//	mcp.AddTool(s, &mcp.Tool{Name: "echo"}, echo) // plain tools, as ever
//	s.Run(ctx, gosdk.StdioTransport())
//	// or: http.Handle("/mcp", gosdk.WrapHTTPHandler(mcp.NewStreamableHTTPHandler(...)))
//
// The server then advertises capabilities.tasks, lists each task tool with
// execution.taskSupport, answers a tools/call with params.task with a
// CreateTaskResult and runs the tool (go-sdk's own handler, with its
// argument validation) as the task's work, and serves tasks/get,
// tasks/result, tasks/list and tasks/cancel from the engine's TaskStore.
// On the client side, NewPeer and WrapClientTransport let a go-sdk client
// use the generated typed client (gen.ServerCaller) for tasks.
//
// NewExt serves the tasks extension (io.modelcontextprotocol/tasks) of
// 2026-07-28 requests instead, on the engine of generated/exttasks (see
// ext.go); one server serves one of the two designs.
//
// go-sdk's limits, with the file and line of v1.8.0 they come from, are
// listed in the README section "go-sdk: adding tasks to an existing server"
// and in the comment at the top of adapter.go.
package gosdk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	gen "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// The execution.taskSupport values a tool can be declared with.
const (
	// Optional: the tool runs as a task when the client asks for one, and
	// as a plain call otherwise.
	Optional = gen.ToolExecutionTaskSupportOptional
	// Required: the tool runs only as a task; a plain call is answered
	// -32601.
	Required = gen.ToolExecutionTaskSupportRequired
	// Forbidden: the tool never runs as a task (the default of every tool).
	Forbidden = gen.ToolExecutionTaskSupportForbidden
)

// Options configure New. The zero value serves tasks from a MemoryStore.
type Options struct {
	// Engine configures the task engine: Store (any gen.TaskStore; a new
	// gen.MemoryStore when nil), TTLs, limits, Logf, .... When Owner is
	// nil, each task belongs to the go-sdk session that created it
	// (SessionOwner), and tasks/list is offered.
	Engine gen.EngineOptions
}

// Tasks is the task support of one go-sdk server. Make it with New.
type Tasks struct {
	server  *sdk.Server
	engine  *gen.Engine
	adapter *adapter

	mu      sync.RWMutex
	support map[string]gen.ToolExecutionTaskSupport
}

// New adds task support to s: it registers the task methods on s and adds
// a receiving middleware (call New after any other AddReceivingMiddleware
// of yours, which then sees go-sdk's typed requests and results). Tools
// become task tools through AddTool or SetTaskSupport. The requests of a
// session reach the tasks only when its transport is wrapped
// (StdioTransport, WrapHTTPHandler, WrapReader, WrapTransport): go-sdk
// drops params.task otherwise. A server takes New (or NewExt) once; the
// module remembers the servers it was given for that check.
func New(s *sdk.Server, opts *Options) (*Tasks, error) {
	if s == nil {
		return nil, errors.New("gosdk: New needs a server")
	}
	if err := claim(s, "2025-11-25 (New)"); err != nil {
		return nil, err
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Engine.Owner == nil {
		o.Engine.Owner = SessionOwner
	}
	t := &Tasks{server: s, support: map[string]gen.ToolExecutionTaskSupport{}}
	t.engine = gen.NewEngine(o.Engine)
	d := &gen.ServerDispatcher{
		Handler: t.engine.ServerHandler(toolRunner{t: t}),
		Capabilities: gen.ServerCapabilities{
			Tools: &gen.ServerCapabilitiesTools{},
			Tasks: t.engine.ServerTasks(),
		},
		ToolTaskSupport: t.taskSupportOf,
		TaskStatusOf:    t.engine.TaskStatusOf,
	}
	a, err := installDispatcher(s, d)
	if err != nil {
		t.engine.Close(context.Background())
		return nil, err
	}
	t.adapter = a
	return t, nil
}

// AddTool adds a tool to the server, as mcp.AddTool does, and declares its
// execution.taskSupport.
func AddTool[In, Out any](t *Tasks, tool *sdk.Tool, h sdk.ToolHandlerFor[In, Out], support gen.ToolExecutionTaskSupport) error {
	if err := checkSupport(support); err != nil {
		return err
	}
	sdk.AddTool(t.server, tool, h)
	return t.SetTaskSupport(tool.Name, support)
}

// SetTaskSupport declares the execution.taskSupport of a tool the server
// has or will have (added with mcp.AddTool or Server.AddTool). A tool never
// declared is "forbidden".
func (t *Tasks) SetTaskSupport(tool string, support gen.ToolExecutionTaskSupport) error {
	if err := checkSupport(support); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.support[tool] = support
	return nil
}

func checkSupport(s gen.ToolExecutionTaskSupport) error {
	switch s {
	case Optional, Required, Forbidden:
		return nil
	}
	return fmt.Errorf("gosdk: taskSupport %q is none of optional, required, forbidden", s)
}

// taskSupportOf is the dispatcher's ToolTaskSupport: the declared tools.
// go-sdk has no exported way to ask whether it has a tool, so a tool never
// declared counts as unknown: a task-augmented call of it is answered
// -32602 (CheckToolCall), and its tools/list entry has no execution (which
// means "forbidden").
func (t *Tasks) taskSupportOf(name string) (gen.ToolExecutionTaskSupport, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	s, ok := t.support[name]
	return s, ok
}

// Engine returns the task engine, for what Tasks does not wrap (Start of a
// task of one's own, RunningTasks, ...).
func (t *Tasks) Engine() *gen.Engine { return t.engine }

// Close stops the engine (see gen.Engine.Close): running tasks are
// cancelled and end failed, new ones are refused.
func (t *Tasks) Close(ctx context.Context) error { return t.engine.Close(ctx) }

// toolRunner is the generated handler behind the engine: CallTool runs the
// go-sdk tool of the call (sdkTool), which the engine runs as a task's work.
type toolRunner struct {
	gen.UnimplementedServerHandler // the rest is go-sdk's: never called
	t                              *Tasks
}

var (
	_ gen.ServerHandler   = toolRunner{}
	_ gen.ToolCallChecker = toolRunner{}
)

func (r toolRunner) CallTool(ctx context.Context, p *gen.CallToolRequestParams) (*gen.CallToolResult, error) {
	run := sdkTool(ctx)
	if run == nil {
		return nil, &gen.Error{Code: gen.CodeInternalError, Message: "internal error: tools/call did not come through the gosdk middleware"}
	}
	return run(ctx)
}

// CheckToolCall answers a task-augmented call of a tool no task support
// was declared for at once (-32602, as for an unknown tool), rather than
// as a failed task.
func (r toolRunner) CheckToolCall(ctx context.Context, p *gen.CallToolRequestParams) error {
	r.t.mu.RLock()
	_, ok := r.t.support[p.Name]
	r.t.mu.RUnlock()
	if !ok {
		return &gen.Error{Code: gen.CodeInvalidParams, Message: fmt.Sprintf("unknown tool %q (a task tool is declared with gosdk.AddTool or Tasks.SetTaskSupport)", p.Name)}
	}
	if sdkTool(ctx) == nil {
		return &gen.Error{Code: gen.CodeInternalError, Message: "internal error: tools/call did not come through the gosdk middleware"}
	}
	return nil
}

// SessionOwner is the default EngineOptions.Owner of New: the go-sdk
// session a request came in on. A session with an id (Streamable HTTP) is
// known by it; one without (stdio, in-memory) by an id drawn when the
// session is first seen and forgotten when it ends. A stateless HTTP
// handler makes a session per request, so its tasks need an Owner of
// their own (from the request's authorization, say).
func SessionOwner(ctx context.Context) (string, error) {
	ss := Session(ctx)
	if ss == nil {
		return "", &gen.Error{Code: gen.CodeInternalError, Message: "internal error: a task request without a go-sdk session"}
	}
	if id := ss.ID(); id != "" {
		return "session:" + id, nil
	}
	return "conn:" + connIDs.of(ss), nil
}

// connIDs names the sessions that have no id of their own.
var connIDs = &sessionNames{names: map[*sdk.ServerSession]string{}}

type sessionNames struct {
	mu    sync.Mutex
	names map[*sdk.ServerSession]string
}

func (n *sessionNames) of(ss *sdk.ServerSession) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if name, ok := n.names[ss]; ok {
		return name
	}
	var b [16]byte
	rand.Read(b[:])
	name := hex.EncodeToString(b[:])
	n.names[ss] = name
	go func() {
		ss.Wait()
		n.mu.Lock()
		delete(n.names, ss)
		n.mu.Unlock()
	}()
	return name
}
