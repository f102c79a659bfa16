package main

import (
	"context"
	"fmt"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// ProtocolVersion is the MCP revision the demo speaks.
const ProtocolVersion = "2025-11-25"

// handler serves the requests of one connection; the generated
// ServerDispatcher decodes and validates params, applies the task rules
// (taskSupport, capabilities) and turns panics into -32603 before and around
// these methods.
type handler struct {
	mcp.UnimplementedServerHandler
	srv *Server
}

var _ mcp.ServerHandler = (*handler)(nil)

func (h *handler) Initialize(ctx context.Context, p *mcp.InitializeRequestParams) (*mcp.InitializeResult, error) {
	h.srv.log.Printf("initialize from %s %s (protocol %s)", p.ClientInfo.Name, p.ClientInfo.Version, p.ProtocolVersion)
	return &mcp.InitializeResult{
		ProtocolVersion: ProtocolVersion,
		ServerInfo:      mcp.Implementation{Name: "mcpgen-taskdemo", Title: "mcpgen task demo", Version: "0.1.0"},
		Capabilities:    serverCapabilities(),
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

// tool finds a tool and checks its arguments: an unknown tool or a bad
// argument is -32602.
func (h *handler) tool(p *mcp.CallToolRequestParams) (*Tool, error) {
	t := h.srv.toolNamed(p.Name)
	if t == nil {
		return nil, &mcp.Error{
			Code:    mcp.CodeInvalidParams,
			Message: fmt.Sprintf("invalid params: params.name: unknown tool %q", p.Name),
			Data:    map[string]any{"path": "params.name"},
		}
	}
	if t.Check != nil {
		if err := t.Check(p.Arguments); err != nil {
			return nil, asRPCError(err)
		}
	}
	return t, nil
}

// CallTool runs a tool in the request: only tools whose taskSupport is not
// "required" get here (the dispatcher answers -32601 for the others).
func (h *handler) CallTool(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
	t, err := h.tool(p)
	if err != nil {
		return nil, err
	}
	res, err := t.Run(ctx, p.Arguments)
	return res, asRPCError(err)
}

// CallToolAsTask starts a tool as a task and answers at once with it: only
// tools whose taskSupport is "optional" or "required" get here.
func (h *handler) CallToolAsTask(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CreateTaskResult, error) {
	t, err := h.tool(p)
	if err != nil {
		return nil, err
	}
	ttl, err := h.srv.ttlFor(p.Task)
	if err != nil {
		return nil, err
	}
	args := p.Arguments
	task, err := h.srv.store.create(ttl, func(ctx context.Context) (*mcp.CallToolResult, error) {
		res, err := t.Run(ctx, args)
		return res, asRPCError(err)
	})
	if err != nil {
		return nil, err
	}
	return &mcp.CreateTaskResult{Task: task}, nil
}

// ttlFor is the retention of a new task: the requested ttl, the default when
// none is asked for, capped at the maximum. A ttl below 1 ms is -32602.
func (s *Server) ttlFor(meta *mcp.TaskMetadata) (time.Duration, error) {
	if meta == nil || meta.TTL == nil {
		return s.cfg.DefaultTTL, nil
	}
	ms := *meta.TTL
	if ms < 1 {
		return 0, &mcp.Error{
			Code:    mcp.CodeInvalidParams,
			Message: fmt.Sprintf("invalid params: params.task.ttl: must be a positive number of milliseconds, got %d", ms),
			Data:    map[string]any{"path": "params.task.ttl"},
		}
	}
	if maxMS := s.cfg.MaxTTL.Milliseconds(); ms > maxMS {
		ms = maxMS
	}
	return time.Duration(ms) * time.Millisecond, nil
}

func (h *handler) GetTask(ctx context.Context, p *mcp.GetTaskRequestParams) (*mcp.GetTaskResult, error) {
	t, err := h.srv.store.get(p.TaskID)
	if err != nil {
		return nil, err
	}
	return mcp.NewGetTaskResult(&t), nil
}

func (h *handler) CancelTask(ctx context.Context, p *mcp.CancelTaskRequestParams) (*mcp.CancelTaskResult, error) {
	t, err := h.srv.store.cancel(p.TaskID)
	if err != nil {
		return nil, err
	}
	return mcp.NewCancelTaskResult(&t), nil
}

func (h *handler) ListTasks(ctx context.Context, p *mcp.PaginatedRequestParams) (*mcp.ListTasksResult, error) {
	tasks, next, err := h.srv.store.list(p.Cursor)
	if err != nil {
		return nil, err
	}
	return &mcp.ListTasksResult{Tasks: tasks, NextCursor: next}, nil
}

// GetTaskPayload blocks until the task is terminal, then answers exactly what
// the tools/call would have: its CallToolResult with the related-task _meta
// added, or its JSON-RPC error.
func (h *handler) GetTaskPayload(ctx context.Context, p *mcp.GetTaskPayloadRequestParams) (*mcp.GetTaskPayloadResult, error) {
	res, err := h.srv.store.result(ctx, p.TaskID)
	if err != nil {
		return nil, err
	}
	payload, err := mcp.NewGetTaskPayloadResult(res)
	if err != nil {
		return nil, err
	}
	payload.Meta = mcp.SetRelatedTask(payload.Meta, p.TaskID)
	return payload, nil
}

func serverCapabilities() mcp.ServerCapabilities {
	return mcp.ServerCapabilities{
		Tools: &mcp.ServerCapabilitiesTools{},
		Tasks: &mcp.ServerCapabilitiesTasks{
			List:   map[string]any{},
			Cancel: map[string]any{},
			Requests: &mcp.ServerCapabilitiesTasksRequests{
				Tools: &mcp.ServerCapabilitiesTasksRequestsTools{Call: map[string]any{}},
			},
		},
	}
}
