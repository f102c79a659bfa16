package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
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
	// SyncWait is how long a call of a tool that may run as a task waits
	// for its work before it answers with a task; zero makes every such
	// call a task.
	SyncWait time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logf logs what only the operator should see; nil means log.Printf.
	Logf func(format string, args ...any)
	// Owners maps bearer tokens to the requestors they stand for: a request
	// with "Authorization: Bearer TOKEN" acts as Owners[TOKEN] and sees only
	// that owner's tasks; an unknown token is answered 401. A request
	// without the header acts as the anonymous owner.
	Owners map[string]string

	timings toolTimings
}

// configureEngine, when set, changes the task engine's configuration
// before the engine is made. The demo itself leaves it nil (a MemoryStore,
// one process); a build that adds a file setting it from its own flags can
// give the demo another store and lease (and set stateKey): redistore's
// replica tests build it so (go build -overlay), to run replicas that share
// one Redis.
var configureEngine func(*exttasks.EngineConfig)

func stdLogf(format string, args ...any) { log.Printf(format, args...) }

// Server is a stateless Streamable HTTP MCP server (protocol 2026-07-28) that
// offers the tasks extension io.modelcontextprotocol/tasks. Every POST carries
// one JSON-RPC message and gets its answer as one JSON body; nothing is kept
// between requests but the tasks themselves.
type Server struct {
	tools  []*tool
	byName map[string]*tool
	tasks  *exttasks.Engine
	hub    *listenHub // the open subscriptions/listen streams
	states *stateSealer
	info   mcpdraft.Implementation
	owners map[string]string
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
		tools: newTools(cfg.timings),
		info:  mcpdraft.Implementation{Name: "mcpgen-exttasksdemo", Version: "0.1.0"},
	}
	s.byName = make(map[string]*tool, len(s.tools))
	for _, t := range s.tools {
		s.byName[t.name] = t
	}
	s.hub = newListenHub()
	engineCfg := exttasks.EngineConfig{
		Peer:         s.hub,
		TTL:          cfg.TaskTTL,
		PollInterval: cfg.PollInterval,
		SyncWait:     cfg.SyncWait,
		Owner:        ownerOf,
		Meta:         &exttasks.ResultMetaObject{IoModelcontextprotocolServerInfo: &exttasks.Implementation{Name: s.info.Name, Version: s.info.Version}},
		Logf:         cfg.Logf,
		Now:          cfg.Now,
	}
	if configureEngine != nil {
		configureEngine(&engineCfg)
	}
	s.states = newStateSealer(cfg.Now) // after the hook, which may set stateKey
	s.tasks = exttasks.NewEngine(engineCfg)
	s.owners = cfg.Owners
	return s
}

// Close cancels the running tasks and waits for them (5s at most).
func (s *Server) Close() {
	s.hub.close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.tasks.Close(ctx); err != nil {
		log.Print(err)
	}
}

// ownerKey keys the requestor's identity in a request's context.
type ownerKey struct{}

// ownerOf is the engine's Owner hook: tasks are bound to the owner whose
// bearer token created them.
func ownerOf(ctx context.Context) string {
	owner, _ := ctx.Value(ownerKey{}).(string)
	return owner
}

// Handler serves MCP at /mcp.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/mcp", s)
	return mux
}

// ServeHTTP serves one POSTed JSON-RPC message.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !allowedHost(r.Host) {
		http.Error(w, "forbidden host: this server answers only to a loopback Host", http.StatusForbidden)
		return
	}
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
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		http.Error(w, "unsupported media type: POST a JSON-RPC message as application/json", http.StatusUnsupportedMediaType)
		return
	}
	if !acceptsJSON(r.Header.Values("Accept")) {
		http.Error(w, "not acceptable: the Accept header must allow application/json", http.StatusNotAcceptable)
		return
	}
	ctx := r.Context()
	if auth := r.Header.Get("Authorization"); auth != "" {
		token, ok := strings.CutPrefix(auth, "Bearer ")
		owner, known := s.owners[token]
		if !ok || !known {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			http.Error(w, "unauthorized: unknown bearer token", http.StatusUnauthorized)
			return
		}
		ctx = context.WithValue(ctx, ownerKey{}, owner)
	}
	// Status notifications of a task wait until the reply that creates it
	// has been written.
	ctx, replySent := exttasks.WithReplyGate(ctx)
	defer replySent()

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	var rep reply
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		rep = errorReply(nil, &exttasks.Error{Code: exttasks.CodeInvalidRequest, Message: fmt.Sprintf("request body exceeds %d bytes", tooLarge.Limit)}, http.StatusRequestEntityTooLarge)
	case err != nil:
		rep = errorReply(nil, &exttasks.Error{Code: exttasks.CodeInvalidRequest, Message: "cannot read the request body: " + err.Error()}, http.StatusBadRequest)
	default:
		rep = s.handle(ctx, r.Header, body)
	}
	if rep.listen != nil {
		s.listen(w, r, rep.listen)
		return
	}
	writeJSON(w, rep)
}

// writeJSON writes a reply as one JSON body.
func writeJSON(w http.ResponseWriter, rep reply) {
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

// acceptsJSON reports whether Accept header values allow an
// application/json answer (a missing header allows anything).
func acceptsJSON(values []string) bool {
	if len(values) == 0 {
		return true
	}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil || params["q"] == "0" {
				continue
			}
			switch mt {
			case "application/json", "application/*", "*/*":
				return true
			}
		}
	}
	return false
}

// allowedHost guards against DNS rebinding: a loopback server answers only
// requests addressed to a loopback name.
func allowedHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
	// listen, when set, is a subscriptions/listen stream to serve instead.
	listen *listener
}

// errorReply answers with a JSON-RPC error, echoing the request id when there is one.
func errorReply(id *mcpdraft.RequestId, e *exttasks.Error, status int) reply {
	return reply{status: status, body: mcpdraft.JSONRPCErrorResponse{ID: id, Error: mcpdraft.Error{Code: e.Code, Message: e.Message, Data: e.Data}}}
}

// statusFor is the HTTP status of a JSON-RPC error: the schema requires 400
// for the errors that reject a request before it is served (rejected: its
// headers or _meta), and the transport spec 404 for a method the server
// does not implement.
func statusFor(code int64, rejected bool) int {
	switch {
	case rejected, code == exttasks.CodeHeaderMismatch, code == exttasks.CodeMissingCapability, code == codeUnsupportedVersion:
		return http.StatusBadRequest
	case code == exttasks.CodeMethodNotFound:
		return http.StatusNotFound
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

// hasID reports whether a JSON object has an "id" member.
func hasID(body []byte) bool {
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return false
	}
	_, ok := members["id"]
	return ok
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
	if _, ok := msg.(*mcpdraft.JSONRPCNotification); ok && hasID(body) {
		// JSON-RPC: a message with an id is a request, and this one's id is
		// no RequestId (the schema takes it as a notification with an
		// extra property).
		return errorReply(nil, &exttasks.Error{Code: exttasks.CodeInvalidRequest, Message: "invalid request: id: expected string or integer"}, http.StatusBadRequest)
	}
	req, ok := msg.(*mcpdraft.JSONRPCRequest)
	if !ok {
		// A notification or a response: nothing to answer. A stateless
		// server sends no requests, so responses have nothing to match.
		return reply{}
	}
	id := req.ID
	rep, rpcErr, rejected := s.serve(ctx, h, req, body)
	if rpcErr != nil {
		return errorReply(&id, rpcErr, statusFor(rpcErr.Code, rejected))
	}
	return rep
}

// serve checks a request's headers and _meta, then routes it. rejected
// is set when the headers or _meta turned it away.
func (s *Server) serve(ctx context.Context, h http.Header, req *mcpdraft.JSONRPCRequest, body []byte) (rep reply, rpcErr *exttasks.Error, rejected bool) {
	var params json.RawMessage
	if req.Params != nil {
		var err error
		if params, err = json.Marshal(req.Params); err != nil {
			return reply{}, &exttasks.Error{Code: exttasks.CodeInternalError, Message: "re-encode params: " + err.Error()}, false
		}
	}
	if e := checkHeaders(h, req.Method, params); e != nil {
		return reply{}, e, true
	}

	switch req.Method {
	case methodDiscover:
		var dr mcpdraft.DiscoverRequest
		if err := dr.UnmarshalJSON(body); err != nil {
			return reply{}, invalidParams(err), false
		}
		return reply{status: http.StatusOK, body: mcpdraft.DiscoverResultResponse{ID: req.ID, Result: s.discover()}}, nil, false
	case methodListTools:
		var lr mcpdraft.ListToolsRequest
		if err := lr.UnmarshalJSON(body); err != nil {
			return reply{}, invalidParams(err), false
		}
		return reply{status: http.StatusOK, body: mcpdraft.ListToolsResultResponse{ID: req.ID, Result: s.listTools()}}, nil, false
	case methodListen:
		taskIDs, rpcErr := listenRequest(body, req.Params)
		if rpcErr != nil {
			return reply{}, rpcErr, false
		}
		return reply{listen: &listener{id: req.ID, owner: ownerOf(ctx), taskIDs: taskIDs, out: make(chan json.RawMessage, listenBuffer), gone: make(chan struct{})}}, nil, false
	case methodCallTool:
		var call mcpdraft.CallToolRequest
		if err := call.UnmarshalJSON(body); err != nil {
			return reply{}, invalidParams(err), false
		}
		rep, rpcErr := s.callTool(ctx, &call, exttasks.ExtensionDeclared(metaOf(req.Params)))
		return rep, rpcErr, false
	}
	// The tasks methods, and everything else: the engine's dispatcher
	// checks the extension (-32021) before anything about the task, and
	// answers -32601 to methods it does not know (tasks/result, tasks/list).
	res, e := s.tasks.Dispatch(ctx, req.Method, params)
	if e != nil {
		return reply{}, e, false
	}
	rep, rpcErr = resultReply(req.ID, res)
	return rep, rpcErr, false
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
	name, err := decodeHeaderValue(h.Get(exttasks.NameHeader))
	if err != nil {
		return mismatch("%s header: %v", exttasks.NameHeader, err)
	}
	if e := exttasks.ValidateNameHeader(method, name, params); e != nil {
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

// decodeHeaderValue reads a header value as the transport spec encodes
// values that a header cannot carry as they are (non-ASCII, control
// characters, surrounding space): "=?base64?" + standard Base64 of the UTF-8
// bytes + "?=". Any other value is itself.
func decodeHeaderValue(v string) (string, error) {
	inner, ok := strings.CutPrefix(v, "=?base64?")
	if !ok {
		return v, nil
	}
	inner, ok = strings.CutSuffix(inner, "?=")
	if !ok {
		return "", fmt.Errorf("%q opens a Base64 value but does not close it with \"?=\"", v)
	}
	data, err := base64.StdEncoding.DecodeString(inner)
	if err != nil {
		return "", fmt.Errorf("%q: bad Base64: %v", v, err)
	}
	return string(data), nil
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
	return reply{status: http.StatusOK, body: mcpdraft.JSONRPCResultResponse{ID: id, Result: r}}, nil
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

// callTool serves tools/call. The engine decides per request: a client
// that declared the extension gets a task for any tool that supports one;
// any other client gets the result synchronously, or -32021 for a tool that
// cannot run without a task. Input the tool needs is asked for with an
// InputRequiredResult (MRTR) on the synchronous path and before a task
// exists, and with input_required inside a task.
func (s *Server) callTool(ctx context.Context, call *mcpdraft.CallToolRequest, declared bool) (reply, *exttasks.Error) {
	p := &call.Params
	t := s.byName[p.Name]
	if t == nil {
		return reply{}, &exttasks.Error{Code: exttasks.CodeInvalidParams, Message: "unknown tool: " + p.Name}
	}
	// The engine answers the same; asked here first, so that a client
	// without the extension is not asked for input it cannot use.
	if !declared && t.support == exttasks.TaskRequired {
		return reply{}, exttasks.MissingCapabilityError()
	}
	in := toolInput{args: p.Arguments, answers: map[string]answer{}}
	if in.args == nil {
		in.args = map[string]any{}
	}
	if msg := t.invalidArguments(in.args); msg != "" {
		res := textResult(msg, true)
		res.Meta = s.meta()
		return reply{status: http.StatusOK, body: mcpdraft.CallToolResultResponse{ID: call.ID, Result: res}}, nil
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
	var needed map[string]elicitation
	ans, err := s.tasks.CallTool(ctx, exttasks.ToolCall{Declared: declared, Support: t.support, Work: t.work(in, s.meta(), &needed)})
	switch {
	case needed != nil:
		return s.inputRequired(call.ID, t, in, needed), nil
	case err != nil:
		var rpcErr *exttasks.Error
		if !errors.As(err, &rpcErr) {
			rpcErr = &exttasks.Error{Code: exttasks.CodeInternalError, Message: err.Error()}
		}
		return reply{}, rpcErr
	case ans.Task != nil:
		return resultReply(call.ID, ans.Task)
	}
	return resultReply(call.ID, ans.Result)
}

// inputRequired asks for input over MRTR. The requestState carries the
// answers so far, so the retried call needs nothing stored on the server.
func (s *Server) inputRequired(id mcpdraft.RequestId, t *tool, in toolInput, need map[string]elicitation) reply {
	asked := slices.Sorted(maps.Keys(need))
	return reply{status: http.StatusOK, body: mcpdraft.CallToolResultResponse{ID: id, Result: &mcpdraft.InputRequiredResult{
		Meta:          s.meta(),
		InputRequests: draftInputRequests(need),
		RequestState:  s.states.seal(t.name, in.args, asked, in.answers),
		ResultType:    resultInputRequired,
	}}}
}
