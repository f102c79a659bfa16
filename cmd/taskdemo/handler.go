package main

import (
	"context"
	"fmt"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// ProtocolVersion is the MCP revision the demo speaks.
const ProtocolVersion = "2025-11-25"

// handler serves the requests of one connection that are not about tasks:
// the generated ServerDispatcher decodes and validates params, applies the
// task rules (taskSupport, capabilities) and turns panics into -32603, and
// the generated engine (Engine.ServerHandler) serves tasks/* and runs a
// task-augmented tools/call as a task of CallTool.
type handler struct {
	mcp.UnimplementedServerHandler
	srv *Server
}

var (
	_ mcp.ServerHandler   = (*handler)(nil)
	_ mcp.ToolCallChecker = (*handler)(nil)
)

func (h *handler) Initialize(ctx context.Context, p *mcp.InitializeRequestParams) (*mcp.InitializeResult, error) {
	h.srv.log.Printf("initialize from %s %s (protocol %s)", p.ClientInfo.Name, p.ClientInfo.Version, p.ProtocolVersion)
	return &mcp.InitializeResult{
		ProtocolVersion: ProtocolVersion,
		ServerInfo:      mcp.Implementation{Name: "mcpgen-taskdemo", Title: "mcpgen task demo", Version: "0.1.0"},
		Capabilities:    serverCapabilities(h.srv.engine),
		Instructions:    "Call slow_compute as a task (params.task), then poll tasks/get and fetch tasks/result.",
	}, nil
}

func (h *handler) OnInitialized(ctx context.Context, p *mcp.NotificationParams) error {
	h.srv.log.Printf("client initialized")
	return nil
}

// OnCancelled ends the request that notifications/cancelled names; the
// server then sends no response for it.
func (h *handler) OnCancelled(ctx context.Context, p *mcp.CancelledNotificationParams) error {
	if p.RequestID != nil {
		h.srv.cancelRequest(*p.RequestID)
	}
	return nil
}

func (h *handler) Ping(ctx context.Context, p *mcp.RequestParams) (*mcp.EmptyResult, error) {
	return &mcp.EmptyResult{}, nil
}

func (h *handler) ListTools(ctx context.Context, p *mcp.PaginatedRequestParams) (*mcp.ListToolsResult, error) {
	if p.Cursor != "" {
		return nil, &mcp.Error{Code: mcp.CodeInvalidParams, Message: "invalid params: params.cursor: tools/list has a single page and issues no cursor"}
	}
	res := &mcp.ListToolsResult{Tools: []mcp.Tool{}}
	for _, t := range h.srv.tools {
		if !t.Hidden {
			res.Tools = append(res.Tools, t.Def)
		}
	}
	return res, nil
}

// CheckToolCall finds a tool and checks its arguments: an unknown tool or
// a bad argument is -32602, at once, with or without a task.
func (h *handler) CheckToolCall(ctx context.Context, p *mcp.CallToolRequestParams) error {
	t := h.srv.toolNamed(p.Name)
	if t == nil {
		return &mcp.Error{
			Code:    mcp.CodeInvalidParams,
			Message: fmt.Sprintf("invalid params: params.name: unknown tool %q", p.Name),
			Data:    map[string]any{"path": "params.name"},
		}
	}
	if t.Check != nil {
		return asRPCError(t.Check(p.Arguments))
	}
	return nil
}

// CallTool runs a tool: in the request for a plain call, as the task's
// work for a task-augmented one (through the engine).
func (h *handler) CallTool(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
	if err := h.CheckToolCall(ctx, p); err != nil {
		return nil, err
	}
	res, err := h.srv.toolNamed(p.Name).Run(ctx, p.Arguments)
	return res, asRPCError(err)
}

func serverCapabilities(e *mcp.Engine) mcp.ServerCapabilities {
	return mcp.ServerCapabilities{Tools: &mcp.ServerCapabilitiesTools{}, Tasks: e.ServerTasks()}
}
