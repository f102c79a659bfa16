package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// Config sets up a Server; zero fields take the defaults of NewServer.
type Config struct {
	// Notify sends notifications/tasks/status on every status change.
	Notify bool
	// PageSize is the number of tasks per tasks/list page (default 2, small
	// so that clients meet pagination).
	PageSize int
	// PollInterval is the pollInterval every task suggests (default 250ms).
	PollInterval time.Duration
	// DefaultTTL is the retention of a task created without task.ttl
	// (default 5 minutes); MaxTTL caps a requested ttl (default 1 hour).
	DefaultTTL, MaxTTL time.Duration
	// Tools is the tool table (default DefaultTools()).
	Tools []Tool
	// Now is the clock of the task timestamps and expiry (default time.Now).
	Now func() time.Time
	// Log receives the server's log (default: discarded).
	Log *log.Logger
}

// A Server serves MCP over one connection: newline-delimited JSON-RPC 2.0
// messages in, responses and notifications out. Every request goes through
// the generated ServerDispatcher in its own goroutine, so a blocking
// tasks/result does not hold up other requests; writes are serialised.
// The tasks are the generated engine's; the Server is the Peer through
// which the engine reaches the client, for input requests and status
// notifications.
type Server struct {
	cfg    Config
	tools  []Tool
	log    *log.Logger
	engine *mcp.Engine
	disp   *mcp.ServerDispatcher

	wmu sync.Mutex
	w   io.Writer

	mu       sync.Mutex
	inflight map[mcp.RequestId]*inflight
	handlers sync.WaitGroup
	// calls holds the requests this server sent, by id as JSON, until
	// they are answered.
	calls  map[string]chan peerAnswer
	nextID atomic.Int64
}

// NewServer returns a server for one connection.
func NewServer(cfg Config) *Server {
	if cfg.PageSize <= 0 {
		cfg.PageSize = 2
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 250 * time.Millisecond
	}
	if cfg.DefaultTTL <= 0 {
		cfg.DefaultTTL = 5 * time.Minute
	}
	if cfg.MaxTTL <= 0 {
		cfg.MaxTTL = time.Hour
	}
	if cfg.Tools == nil {
		cfg.Tools = DefaultTools()
	}
	if cfg.Log == nil {
		cfg.Log = log.New(io.Discard, "", 0)
	}
	s := &Server{
		cfg:      cfg,
		tools:    cfg.Tools,
		log:      cfg.Log,
		inflight: map[mcp.RequestId]*inflight{},
		calls:    map[string]chan peerAnswer{},
	}
	s.engine = mcp.NewEngine(mcp.EngineOptions{
		DefaultTTL:            cfg.DefaultTTL,
		MaxTTL:                cfg.MaxTTL,
		PollInterval:          cfg.PollInterval,
		PageSize:              cfg.PageSize,
		NoStatusNotifications: !cfg.Notify,
		// Over stdio the one requestor is the process that started the
		// server: its tasks are all there are, so it may list them.
		ListWithoutOwner: true,
		Peer:             s,
		Logf:             s.log.Printf,
		Now:              cfg.Now,
	})
	defs := make([]mcp.Tool, len(s.tools))
	for i, t := range s.tools {
		defs[i] = t.Def
	}
	s.disp = &mcp.ServerDispatcher{
		Handler:         s.engine.ServerHandler(&handler{srv: s}),
		Capabilities:    serverCapabilities(s.engine),
		ToolTaskSupport: mcp.ToolTaskSupportOf(defs),
	}
	return s
}

func (s *Server) toolNamed(name string) *Tool {
	for i := range s.tools {
		if s.tools[i].Def.Name == name {
			return &s.tools[i]
		}
	}
	return nil
}

// Serve reads messages from r and writes to w until r ends (nil) or ctx is
// done (ctx.Err()). On the way out it cancels the requests still in flight
// (a blocked tasks/result then answers -32603), closes the engine, which
// stops every task's work, and waits for both.
func (s *Server) Serve(ctx context.Context, r io.Reader, w io.Writer) error {
	s.w = w
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	lines := make(chan []byte)
	readErr := make(chan error, 1)
	go func() {
		br := bufio.NewReaderSize(r, 64<<10)
		for {
			line, err := readLine(br, maxLineBytes)
			if errors.Is(err, errLineTooLong) {
				// Read past it without keeping it, and say so.
				s.write(&mcp.JSONRPCErrorResponse{Error: mcp.Error{Code: mcp.CodeInvalidRequest, Message: fmt.Sprintf("invalid request: a message is at most %d bytes", maxLineBytes)}})
				continue
			}
			if len(bytes.TrimSpace(line)) > 0 {
				select {
				case lines <- line:
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				readErr <- err
				return
			}
		}
	}()

	var err error
loop:
	for {
		select {
		case line := <-lines:
			s.handleLine(ctx, line)
		case e := <-readErr:
			if !errors.Is(e, io.EOF) {
				err = e
			}
			break loop
		case <-ctx.Done():
			err = ctx.Err()
			break loop
		}
	}
	cancel()
	s.handlers.Wait()
	closing, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	if cerr := s.engine.Close(closing); cerr != nil {
		s.log.Printf("closing the task engine: %v", cerr)
	}
	s.log.Printf("connection closed")
	return err
}

// handleLine handles one message: a request in its own goroutine, a
// notification at once (they are quick, and notifications/cancelled must
// not wait behind the request it cancels), a response by handing it to the
// request of this server it answers.
func (s *Server) handleLine(ctx context.Context, line []byte) {
	msg, err := mcp.UnmarshalJSONRPCMessage(line)
	if err != nil {
		s.replyInvalid(line, err)
		return
	}
	switch m := msg.(type) {
	case *mcp.JSONRPCRequest:
		s.startRequest(ctx, m)
	case *mcp.JSONRPCNotification:
		if hasID(line) {
			// JSON-RPC: a message with an id is a request, and this one's
			// id is no RequestId (the schema would take it as a
			// notification with an extra property).
			s.replyInvalid(line, errors.New("id: expected string or integer"))
			return
		}
		params, err := paramsJSON(m.Params)
		if err == nil {
			if rpcErr := s.disp.Notify(ctx, m.Method, params); rpcErr != nil {
				err = rpcErr
			}
		}
		if err != nil {
			s.log.Printf("notification %s: %v", m.Method, err)
		}
	case *mcp.JSONRPCResultResponse:
		var raw struct {
			Result json.RawMessage `json:"result"`
		}
		json.Unmarshal(line, &raw)
		s.answered(idOf(&m.ID), peerAnswer{result: raw.Result})
	case *mcp.JSONRPCErrorResponse:
		e := m.Error
		s.answered(idOf(m.ID), peerAnswer{err: &e})
	}
}

// maxLineBytes bounds one message on stdin: a longer line is answered
// -32600 and dropped as it is read, so a peer cannot make the server hold
// an arbitrarily long line in memory.
const maxLineBytes = 4 << 20

var errLineTooLong = errors.New("line too long")

// readLine reads one line of at most limit bytes (its newline included).
// A longer one is consumed to its end and reported as errLineTooLong.
func readLine(br *bufio.Reader, limit int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > limit {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			return nil, errLineTooLong
		}
		line = append(line, chunk...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, err
		}
	}
}

// hasID reports whether a JSON object has an "id" member.
func hasID(line []byte) bool {
	var members map[string]json.RawMessage
	if json.Unmarshal(line, &members) != nil {
		return false
	}
	_, ok := members["id"]
	return ok
}

// replyInvalid answers a line that is not a JSON-RPC message: -32700 when
// it is not JSON, -32600 otherwise, echoing its id when it has a usable one.
func (s *Server) replyInvalid(line []byte, err error) {
	if !json.Valid(line) {
		s.write(&mcp.JSONRPCErrorResponse{Error: mcp.Error{Code: mcp.CodeParseError, Message: "parse error: not a JSON value"}})
		return
	}
	var probe struct {
		ID json.RawMessage `json:"id"`
	}
	var id *mcp.RequestId
	if json.Unmarshal(line, &probe) == nil && len(probe.ID) > 0 {
		var rid mcp.RequestId
		if rid.UnmarshalJSON(probe.ID) == nil {
			id = &rid
		}
	}
	s.write(&mcp.JSONRPCErrorResponse{ID: id, Error: mcp.Error{Code: mcp.CodeInvalidRequest, Message: "invalid request: " + err.Error()}})
}

// startRequest dispatches a request in its own goroutine. Its context
// carries the server as the Peer of the connection and a reply gate,
// opened once the response is written, so that no status notification of
// a task the request creates goes out before the CreateTaskResult.
func (s *Server) startRequest(ctx context.Context, req *mcp.JSONRPCRequest) {
	id := req.ID
	params, err := paramsJSON(req.Params)
	if err != nil {
		s.respond(id, nil, &mcp.Error{Code: mcp.CodeInternalError, Message: "re-encode params: " + err.Error()})
		return
	}
	rctx, cancel := context.WithCancel(mcp.WithPeer(ctx, s))
	rctx, replied := mcp.WithReplyGate(rctx)
	call := &inflight{cancel: cancel}
	s.mu.Lock()
	if _, dup := s.inflight[id]; dup {
		s.mu.Unlock()
		cancel()
		s.respond(id, nil, &mcp.Error{Code: mcp.CodeInvalidRequest, Message: "invalid request: a request with this id is still in flight"})
		return
	}
	s.inflight[id] = call
	s.handlers.Add(1)
	s.mu.Unlock()

	go func() {
		defer s.handlers.Done()
		defer func() {
			s.mu.Lock()
			delete(s.inflight, id)
			s.mu.Unlock()
			cancel()
		}()
		defer replied()
		result, rpcErr := s.disp.Dispatch(rctx, req.Method, params)
		if call.byClient.Load() {
			// MCP sends no response to a request the client cancelled.
			s.log.Printf("%s: cancelled by the client, no response", req.Method)
			return
		}
		s.respond(id, result, rpcErr)
	}()
}

// inflight is a request being handled.
type inflight struct {
	cancel context.CancelFunc
	// byClient is set when notifications/cancelled named the request.
	byClient atomic.Bool
}

// cancelRequest ends the request in flight with this id, if any.
func (s *Server) cancelRequest(id mcp.RequestId) {
	s.mu.Lock()
	call := s.inflight[id]
	s.mu.Unlock()
	if call != nil {
		call.byClient.Store(true)
		call.cancel()
	}
}

// peerAnswer is the response to a request this server sent.
type peerAnswer struct {
	result json.RawMessage
	err    *mcp.Error
}

// outgoing is a request or notification this server sends, with its
// params as the engine encoded them.
type outgoing struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      *mcp.RequestId  `json:"id,omitempty"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params,omitempty"`
}

// Call implements mcp.Peer: it sends a request to the client (an input
// request of a task) and waits for the response.
func (s *Server) Call(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
	id := mcp.RequestIdFromString("taskdemo-" + strconv.FormatInt(s.nextID.Add(1), 10))
	key := idOf(&id)
	done := make(chan peerAnswer, 1)
	s.mu.Lock()
	s.calls[key] = done
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.calls, key)
		s.mu.Unlock()
	}()
	s.write(&outgoing{JSONRPC: "2.0", ID: &id, Method: method, Params: params})
	select {
	case a := <-done:
		if a.err != nil {
			return nil, a.err
		}
		return a.result, nil
	case <-ctx.Done():
		cancelled, _ := json.Marshal(map[string]any{"requestId": id, "reason": "the task no longer needs the answer"})
		s.write(&outgoing{JSONRPC: "2.0", Method: mcp.MethodCancelledNotification, Params: cancelled})
		return nil, ctx.Err()
	}
}

// answered hands a response to the Call waiting for it.
func (s *Server) answered(key string, a peerAnswer) {
	s.mu.Lock()
	done, ok := s.calls[key]
	s.mu.Unlock()
	if ok {
		select {
		case done <- a:
			return
		default: // answered already
		}
	}
	s.log.Printf("ignoring a response to no request of this server in flight (id %s)", key)
}

// Notify implements mcp.Peer: it sends a notification to the client.
func (s *Server) Notify(ctx context.Context, method string, params json.RawMessage) error {
	s.write(&outgoing{JSONRPC: "2.0", Method: method, Params: params})
	return nil
}

// idOf is a request id as JSON, the key of the calls in flight ("" for
// none).
func idOf(id *mcp.RequestId) string {
	if id == nil {
		return ""
	}
	data, _ := id.MarshalJSON()
	return string(data)
}

// paramsJSON gives the dispatcher the params as JSON again: the generated
// JSONRPCRequest holds them decoded (numbers as json.Number, so nothing is
// lost).
func paramsJSON(params map[string]any) (json.RawMessage, error) {
	if params == nil {
		return nil, nil
	}
	return json.Marshal(params)
}

func (s *Server) respond(id mcp.RequestId, result json.RawMessage, rpcErr *mcp.Error) {
	if rpcErr == nil {
		// JSONRPCResultResponse holds the result as a Result, the open
		// object every MCP result is.
		var res mcp.Result
		err := res.UnmarshalJSON(result)
		if err == nil {
			s.write(&mcp.JSONRPCResultResponse{ID: id, Result: res})
			return
		}
		rpcErr = &mcp.Error{Code: mcp.CodeInternalError, Message: "internal error: result is not an object: " + err.Error()}
	}
	s.write(&mcp.JSONRPCErrorResponse{ID: &id, Error: *rpcErr})
}

// write sends one message, whole, on its own line.
func (s *Server) write(msg any) {
	data, err := json.Marshal(msg)
	if err != nil {
		s.log.Printf("encode %T: %v", msg, err)
		return
	}
	data = append(data, '\n')
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if _, err := s.w.Write(data); err != nil {
		s.log.Printf("write: %v", err)
	}
}

// String describes the server's settings for the log.
func (s *Server) String() string {
	return fmt.Sprintf("notify=%v page-size=%d poll-interval=%v default-ttl=%v max-ttl=%v tools=%d",
		s.cfg.Notify, s.cfg.PageSize, s.cfg.PollInterval, s.cfg.DefaultTTL, s.cfg.MaxTTL, len(s.tools))
}
