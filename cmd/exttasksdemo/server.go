package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/generated/mcpdraft"
)

// The core protocol's names this server needs. mcpdraft has no protocol
// bindings (no method constants, no version constant), so they live here.
const (
	protocolVersion = "2026-07-28"

	methodDiscover  = "server/discover"
	methodListTools = "tools/list"
	methodCallTool  = "tools/call"

	resultComplete      = "complete"
	resultInputRequired = "input_required"

	headerProtocolVersion = "MCP-Protocol-Version"
	headerMethod          = "Mcp-Method"

	codeUnsupportedVersion = int64(-32022)

	maxBodyBytes = 4 << 20
)

// Config sets up a Server. The zero value serves the conformance fixtures.
type Config struct {
	// TaskTTL is how long a task stays readable after it is created (ttlMs).
	TaskTTL time.Duration
	// PollInterval is the pollIntervalMs the server suggests.
	PollInterval time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logf logs what only the operator should see; nil means log.Printf.
	Logf func(format string, args ...any)

	timings toolTimings
}

func stdLogf(format string, args ...any) { log.Printf(format, args...) }

// Server is a stateless Streamable HTTP MCP server (protocol 2026-07-28) that
// offers the tasks extension io.modelcontextprotocol/tasks. Every POST carries
// one JSON-RPC message and gets its answer as one JSON body; nothing is kept
// between requests but the tasks themselves.
type Server struct {
	tools      []*tool
	byName     map[string]*tool
	store      *taskStore
	dispatcher *exttasks.ServerDispatcher
	states     *stateSealer
	info       mcpdraft.Implementation
}

// NewServer returns a Server; Close stops its tasks.
func NewServer(cfg Config) *Server {
	if cfg.TaskTTL <= 0 {
		cfg.TaskTTL = time.Hour
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 250 * time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logf == nil {
		cfg.Logf = stdLogf
	}
	if cfg.timings == (toolTimings{}) {
		cfg.timings = defaultTimings
	}
	s := &Server{
		tools:  newTools(cfg.timings),
		states: newStateSealer(cfg.Now),
		info:   mcpdraft.Implementation{Name: "mcpgen-exttasksdemo", Version: "0.1.0"},
	}
	s.byName = make(map[string]*tool, len(s.tools))
	for _, t := range s.tools {
		s.byName[t.name] = t
	}
	s.store = newTaskStore(cfg.Now, cfg.TaskTTL, cfg.PollInterval, cfg.Logf)
	s.store.meta = &exttasks.ResultMetaObject{IoModelcontextprotocolServerInfo: &exttasks.Implementation{Name: s.info.Name, Version: s.info.Version}}
	s.dispatcher = &exttasks.ServerDispatcher{Handler: s.store}
	return s
}

// Close cancels the running tasks and waits for them.
func (s *Server) Close() { s.store.close() }

// Handler serves MCP at /mcp.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/mcp", s)
	return mux
}

// ServeHTTP serves one POSTed JSON-RPC message.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !allowedOrigin(r.Header.Get("Origin")) {
		http.Error(w, "forbidden origin", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodPost {
		// Stateless: no standalone SSE stream (GET) and no session (DELETE).
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed: POST one JSON-RPC message", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	var rep reply
	if err != nil {
		rep = errorReply(nil, &exttasks.Error{Code: exttasks.CodeInvalidRequest, Message: "cannot read the request body: " + err.Error()}, http.StatusBadRequest)
	} else {
		rep = s.handle(r.Context(), r.Header, body)
	}
	if rep.body == nil {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	data, err := json.Marshal(rep.body)
	if err != nil {
		rep = errorReply(nil, &exttasks.Error{Code: exttasks.CodeInternalError, Message: "encode response: " + err.Error()}, http.StatusInternalServerError)
		data, _ = json.Marshal(rep.body)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	w.Write(data)
}

// allowedOrigin guards against DNS rebinding: a browser page may only reach
// this loopback server from a loopback origin. Non-browser clients send none.
func allowedOrigin(origin string) bool {
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// A reply is the HTTP status and the JSON-RPC message to send; a nil body
// means 202 Accepted with no body (notifications and responses).
type reply struct {
	status int
	body   any
}

// errorReply answers with a JSON-RPC error, echoing the request id when there is one.
func errorReply(id *mcpdraft.RequestId, e *exttasks.Error, status int) reply {
	return reply{status, mcpdraft.JSONRPCErrorResponse{ID: id, Error: mcpdraft.Error{Code: e.Code, Message: e.Message, Data: e.Data}}}
}

// statusFor is the HTTP status of a JSON-RPC error: the schema requires 400
// for the errors that reject a request before it is served.
func statusFor(code int64) int {
	switch code {
	case exttasks.CodeHeaderMismatch, exttasks.CodeMissingCapability, codeUnsupportedVersion:
		return http.StatusBadRequest
	}
	return http.StatusOK
}

func invalidParams(err error) *exttasks.Error {
	e := &exttasks.Error{Code: exttasks.CodeInvalidParams, Message: "invalid params: " + err.Error()}
	var de *mcpdraft.DecodeError
	if errors.As(err, &de) && de.Path != "" {
		e.Data = map[string]any{"path": de.Path}
	}
	return e
}

// handle serves one message body.
func (s *Server) handle(ctx context.Context, h http.Header, body []byte) reply {
	msg, err := mcpdraft.UnmarshalJSONRPCMessage(body)
	if err != nil {
		if !json.Valid(body) {
			return errorReply(nil, &exttasks.Error{Code: exttasks.CodeParseError, Message: "parse error: the body is not JSON"}, http.StatusBadRequest)
		}
		return errorReply(nil, &exttasks.Error{Code: exttasks.CodeInvalidRequest, Message: "invalid request: " + err.Error()}, http.StatusBadRequest)
	}
	req, ok := msg.(*mcpdraft.JSONRPCRequest)
	if !ok {
		// A notification or a response: nothing to answer. A stateless
		// server sends no requests, so responses have nothing to match.
		return reply{}
	}
	id := req.ID
	rep, rpcErr := s.serve(ctx, h, req, body)
	if rpcErr != nil {
		return errorReply(&id, rpcErr, statusFor(rpcErr.Code))
	}
	return rep
}

// serve checks a request's headers and _meta, then routes it.
func (s *Server) serve(ctx context.Context, h http.Header, req *mcpdraft.JSONRPCRequest, body []byte) (reply, *exttasks.Error) {
	var params json.RawMessage
	if req.Params != nil {
		var err error
		if params, err = json.Marshal(req.Params); err != nil {
			return reply{}, &exttasks.Error{Code: exttasks.CodeInternalError, Message: "re-encode params: " + err.Error()}
		}
	}
	if e := checkHeaders(h, req.Method, params); e != nil {
		return reply{}, e
	}

	switch req.Method {
	case methodDiscover:
		var dr mcpdraft.DiscoverRequest
		if err := dr.UnmarshalJSON(body); err != nil {
			return reply{}, invalidParams(err)
		}
		return reply{http.StatusOK, mcpdraft.DiscoverResultResponse{ID: req.ID, Result: s.discover()}}, nil
	case methodListTools:
		var lr mcpdraft.ListToolsRequest
		if err := lr.UnmarshalJSON(body); err != nil {
			return reply{}, invalidParams(err)
		}
		return reply{http.StatusOK, mcpdraft.ListToolsResultResponse{ID: req.ID, Result: s.listTools()}}, nil
	case methodCallTool:
		var call mcpdraft.CallToolRequest
		if err := call.UnmarshalJSON(body); err != nil {
			return reply{}, invalidParams(err)
		}
		return s.callTool(ctx, &call, exttasks.ExtensionDeclared(metaOf(req.Params)))
	case exttasks.MethodUpdateTask:
		if s.pruneInputResponses(req.Params) {
			params, _ = json.Marshal(req.Params)
		}
	}
	// The tasks methods, and everything else: the generated dispatcher
	// checks the extension (-32021) before anything about the task, and
	// answers -32601 to methods it does not know (tasks/result, tasks/list).
	res, e := s.dispatcher.Dispatch(ctx, req.Method, params)
	if e != nil {
		return reply{}, e
	}
	return resultReply(req.ID, res)
}

// checkHeaders applies the Streamable HTTP rules for request headers: the
// protocol version header must be supported and match params._meta, and
// Mcp-Method and Mcp-Name must repeat the body.
func checkHeaders(h http.Header, method string, params json.RawMessage) *exttasks.Error {
	mismatch := func(format string, args ...any) *exttasks.Error {
		return &exttasks.Error{Code: exttasks.CodeHeaderMismatch, Message: fmt.Sprintf(format, args...)}
	}
	if got := h.Get(headerMethod); got != method {
		return mismatch("%s header %q does not match method %q", headerMethod, got, method)
	}
	version := h.Get(headerProtocolVersion)
	if version == "" {
		return mismatch("missing %s header", headerProtocolVersion)
	}
	if version != protocolVersion {
		return &exttasks.Error{
			Code:    codeUnsupportedVersion,
			Message: "unsupported protocol version " + version,
			Data:    mcpdraft.UnsupportedProtocolVersionErrorErrorData{Requested: version, Supported: []string{protocolVersion}},
		}
	}
	if e := exttasks.ValidateNameHeader(method, h.Get(exttasks.NameHeader), params); e != nil {
		return e
	}
	// Every request carries its own _meta; decoding it checks the required
	// keys (protocol version, client capabilities).
	var rp mcpdraft.RequestParams
	if err := rp.UnmarshalJSON(orEmpty(params)); err != nil {
		return invalidParams(err)
	}
	if got := rp.Meta.IoModelcontextprotocolProtocolVersion; got != version {
		return mismatch("%s header %q does not match params._meta protocol version %q", headerProtocolVersion, version, got)
	}
	return nil
}

func orEmpty(params json.RawMessage) json.RawMessage {
	if params == nil {
		return json.RawMessage("null")
	}
	return params
}

// metaOf returns params._meta of a decoded request envelope.
func metaOf(params map[string]any) map[string]any {
	m, _ := params["_meta"].(map[string]any)
	return m
}

// pruneInputResponses drops the inputResponses entries of a tasks/update that
// answer nothing the task waits on, and reports whether it dropped any.
//
// The spec acks such entries and ignores them, but the generated dispatcher
// validates every value against InputResponse before the handler can tell
// which keys are live, and so answers -32602 to {"unknown-key": {...}}.
// Only entries of a known task are pruned: an unknown task still gets -32602,
// and a client without the extension still gets -32021 from the dispatcher.
func (s *Server) pruneInputResponses(params map[string]any) bool {
	if !exttasks.ExtensionDeclared(metaOf(params)) {
		return false
	}
	responses, ok := params["inputResponses"].(map[string]any)
	taskID, _ := params["taskId"].(string)
	if !ok {
		return false
	}
	pending, ok := s.store.pendingKeys(taskID)
	if !ok {
		return false
	}
	pruned := false
	for key := range responses {
		if !slices.Contains(pending, key) {
			delete(responses, key)
			pruned = true
		}
	}
	return pruned
}

// resultReply wraps a result the generated dispatcher (or an exttasks type)
// encoded in the core JSONRPCResultResponse envelope.
func resultReply(id mcpdraft.RequestId, result any) (reply, *exttasks.Error) {
	data, ok := result.(json.RawMessage)
	if !ok {
		var err error
		if data, err = json.Marshal(result); err != nil {
			return reply{}, &exttasks.Error{Code: exttasks.CodeInternalError, Message: "encode result: " + err.Error()}
		}
	}
	var r mcpdraft.Result
	if err := r.UnmarshalJSON(data); err != nil {
		return reply{}, &exttasks.Error{Code: exttasks.CodeInternalError, Message: "result is not a valid Result: " + err.Error()}
	}
	return reply{http.StatusOK, mcpdraft.JSONRPCResultResponse{ID: id, Result: r}}, nil
}

func (s *Server) meta() *mcpdraft.ResultMetaObject {
	info := s.info
	return &mcpdraft.ResultMetaObject{IoModelcontextprotocolServerInfo: &info}
}

// discover advertises the tasks extension under capabilities.extensions (the
// core schema of this version has no tasks capability).
func (s *Server) discover() mcpdraft.DiscoverResult {
	return mcpdraft.DiscoverResult{
		Meta:       s.meta(),
		CacheScope: mcpdraft.DiscoverResultCacheScopePublic,
		Capabilities: mcpdraft.ServerCapabilities{
			Tools:      &mcpdraft.ServerCapabilitiesTools{},
			Extensions: map[string]mcpdraft.JSONObject{exttasks.ExtensionID: {}},
		},
		Instructions:      "Demo server for the MCP tasks extension: tools run as tasks for clients that declare " + exttasks.ExtensionID + ".",
		ResultType:        resultComplete,
		SupportedVersions: []string{protocolVersion},
		TTLMs:             int64((5 * time.Minute).Milliseconds()),
	}
}

func (s *Server) listTools() mcpdraft.ListToolsResult {
	tools := make([]mcpdraft.Tool, len(s.tools))
	for i, t := range s.tools {
		tools[i] = t.definition()
	}
	return mcpdraft.ListToolsResult{
		Meta:       s.meta(),
		CacheScope: mcpdraft.DiscoverResultCacheScopePublic,
		ResultType: resultComplete,
		Tools:      tools,
		TTLMs:      int64((5 * time.Minute).Milliseconds()),
	}
}

// callTool serves tools/call. The server decides per request: a client that
// declared the extension gets a task for any tool that supports one; any
// other client gets the result synchronously, or -32021 for a tool that
// cannot run without a task. Input the tool needs is asked for with an
// InputRequiredResult (MRTR) on the synchronous path and before a task
// exists, and with input_required inside a task.
func (s *Server) callTool(ctx context.Context, call *mcpdraft.CallToolRequest, declared bool) (reply, *exttasks.Error) {
	p := &call.Params
	t := s.byName[p.Name]
	if t == nil {
		return reply{}, &exttasks.Error{Code: exttasks.CodeInvalidParams, Message: "unknown tool: " + p.Name}
	}
	if !declared && t.support == taskRequired {
		return reply{}, exttasks.MissingCapabilityError()
	}
	in := toolInput{args: p.Arguments, answers: map[string]answer{}}
	if in.args == nil {
		in.args = map[string]any{}
	}
	if p.RequestState != "" {
		st, err := s.states.open(p.RequestState, t.name, in.args)
		if err != nil {
			return reply{}, &exttasks.Error{Code: exttasks.CodeInvalidParams, Message: "invalid params: " + err.Error()}
		}
		for key, a := range st.Answers {
			in.answers[key] = answer{action: a.Action, content: a.Content}
		}
		for _, key := range st.Asked {
			if r, ok := p.InputResponses[key]; ok {
				in.answers[key] = draftAnswer(r)
			}
		}
	}
	if need := t.missingGather(in.answers); need != nil {
		return s.inputRequired(call.ID, t, in, need), nil
	}
	if declared && t.support != taskForbidden {
		created := s.store.start(t, in)
		created.Meta = s.store.meta
		return resultReply(call.ID, created)
	}
	out := safeRun(ctx, t, in)
	switch {
	case len(out.need) > 0:
		return s.inputRequired(call.ID, t, in, out.need), nil
	case out.err != nil:
		return reply{}, out.err
	}
	out.result.Meta = s.meta()
	return reply{http.StatusOK, mcpdraft.CallToolResultResponse{ID: call.ID, Result: out.result}}, nil
}

// inputRequired asks for input over MRTR. The requestState carries the
// answers so far, so the retried call needs nothing stored on the server.
func (s *Server) inputRequired(id mcpdraft.RequestId, t *tool, in toolInput, need map[string]elicitation) reply {
	asked := slices.Sorted(maps.Keys(need))
	return reply{http.StatusOK, mcpdraft.CallToolResultResponse{ID: id, Result: &mcpdraft.InputRequiredResult{
		Meta:          s.meta(),
		InputRequests: draftInputRequests(need),
		RequestState:  s.states.seal(t.name, in.args, asked, in.answers),
		ResultType:    resultInputRequired,
	}}}
}
