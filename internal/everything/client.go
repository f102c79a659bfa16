// Package everything is a small MCP client over stdio, built only on the
// generated bindings for MCP 2025-11-25 (github.com/mcpgen-dev/mcpgen/generated/mcp20251125) and
// the standard library. Its test drives the reference server
// @modelcontextprotocol/server-everything through the task flows.
//
// The client keeps every message it receives, each decoded twice with the
// generated types: the envelope with UnmarshalJSONRPCMessage, and the body
// with the concrete type of its method (the result type the caller asked
// for, the error object, or the whole notification or request). Callers can
// then check that nothing was lost on the way.
package everything

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// Kind tells what a received message is.
type Kind string

// The kinds of received messages.
const (
	KindResult       Kind = "result"
	KindError        Kind = "error"
	KindNotification Kind = "notification"
	KindRequest      Kind = "request"
)

// A Message is one line received from the server.
type Message struct {
	// Seq counts received messages from 1.
	Seq int
	// Raw is the line as received.
	Raw json.RawMessage
	// Envelope is Raw decoded with UnmarshalJSONRPCMessage.
	Envelope mcp.JSONRPCMessage
	Kind     Kind
	// Method is the method of the notification or request, or, for a
	// response, of the request it answers.
	Method string
	// Body is what Decoded was decoded from: the result or error object of a
	// response, or the whole message of a notification or request.
	Body json.RawMessage
	// Decoded is Body decoded with its concrete generated type: a pointer to
	// the result type the caller asked for, a *mcp.Error, or the
	// mcp.ServerNotification or mcp.ServerRequest member. It is nil when
	// decoding failed; Err then says why.
	Decoded any
	Err     error
}

// A RequestHandler answers a request the server sends to the client. It
// returns the typed result (such as *mcp.ListRootsResult) or a JSON-RPC
// error.
type RequestHandler func(ctx context.Context, req mcp.ServerRequest) (any, *mcp.Error)

// Options configure Start.
type Options struct {
	// Dir is the server's working directory.
	Dir string
	// HandleRequest answers server→client requests; nil answers ping and
	// refuses everything else with -32601.
	HandleRequest RequestHandler
	// OnNotification, when set, sees every notification once decoded. It
	// runs on the reading goroutine and must not block.
	OnNotification func(mcp.ServerNotification)
}

// Client talks to one MCP server process over newline-delimited JSON-RPC.
type Client struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	opts   Options
	stderr *tailBuffer
	ctx    context.Context
	cancel context.CancelFunc

	writeMu sync.Mutex

	mu       sync.Mutex
	nextID   int64
	pending  map[int64]*pendingCall
	messages []*Message
	sent     []json.RawMessage
	readErr  error
	done     chan struct{}
	handlers sync.WaitGroup

	closeTook time.Duration
}

type pendingCall struct {
	method string
	decode func([]byte) (any, error)
	ch     chan callOutcome
}

type callOutcome struct {
	value any
	err   error
}

// Start runs name with args and connects to its stdin and stdout.
func Start(name string, args []string, opts Options) (*Client, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = opts.Dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	tail := &tailBuffer{max: 64 << 10}
	cmd.Stderr = tail
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &Client{
		cmd:     cmd,
		stdin:   stdin,
		opts:    opts,
		stderr:  tail,
		ctx:     ctx,
		cancel:  cancel,
		pending: map[int64]*pendingCall{},
		done:    make(chan struct{}),
	}
	go c.read(stdout)
	return c, nil
}

// Close closes the server's stdin, then interrupts it if it has not exited,
// and kills it as a last resort. It returns how the process ended; an
// interrupt or kill is not an error.
func (c *Client) Close() error {
	c.cancel()
	c.handlers.Wait()
	c.stdin.Close()
	began := time.Now()
	defer func() { c.closeTook = time.Since(began) }()
	exited := make(chan error, 1)
	go func() { exited <- c.cmd.Wait() }()
	// Node keeps running on stdin EOF while the server has timers (the task
	// store's TTL timers); server-everything exits cleanly on SIGINT.
	select {
	case err := <-exited:
		<-c.done
		return err
	case <-time.After(200 * time.Millisecond):
		c.cmd.Process.Signal(os.Interrupt)
	}
	select {
	case <-exited:
		<-c.done
		return nil
	case <-time.After(2 * time.Second):
		c.cmd.Process.Kill()
		<-exited
		<-c.done
		return nil
	}
}

// Stderr returns the last bytes the server wrote to its stderr.
func (c *Client) Stderr() string { return c.stderr.String() }

// Messages returns the messages received so far, in order.
func (c *Client) Messages() []*Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*Message, len(c.messages))
	for i, m := range c.messages {
		cp := *m
		out[i] = &cp
	}
	return out
}

// Sent returns the messages the client wrote, in order.
func (c *Client) Sent() []json.RawMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]json.RawMessage(nil), c.sent...)
}

// Call sends a request and waits for its response, decoding the result as
// R with validation. params must encode to the params of method (it is
// checked against the generated params type before it is sent); nil sends
// no params. A JSON-RPC error response is returned as a *mcp.Error.
func Call[R any](ctx context.Context, c *Client, method string, params any) (*R, error) {
	decode := func(data []byte) (any, error) {
		v := new(R)
		if err := json.Unmarshal(data, v); err != nil {
			return nil, err
		}
		return v, nil
	}
	v, err := c.call(ctx, method, params, decode)
	if err != nil {
		return nil, err
	}
	return v.(*R), nil
}

func (c *Client) call(ctx context.Context, method string, params any, decode func([]byte) (any, error)) (any, error) {
	var paramMap map[string]any
	if params != nil {
		data, err := json.Marshal(params)
		if err != nil {
			return nil, fmt.Errorf("%s: encoding params: %w", method, err)
		}
		if string(data) != "null" { // a typed nil sends no params
			if info, ok := mcp.LookupMethod(method); ok {
				if _, err := info.DecodeParams(data); err != nil {
					return nil, fmt.Errorf("%s: params do not match the schema: %w", method, err)
				}
			}
			if err := json.Unmarshal(data, &paramMap); err != nil {
				return nil, fmt.Errorf("%s: params are not an object: %w", method, err)
			}
		}
	}
	pc := &pendingCall{method: method, decode: decode, ch: make(chan callOutcome, 1)}
	c.mu.Lock()
	if c.readErr != nil {
		err := c.readErr
		c.mu.Unlock()
		return nil, err
	}
	c.nextID++
	id := c.nextID
	c.pending[id] = pc
	c.mu.Unlock()

	req := mcp.JSONRPCRequest{ID: mcp.RequestIdFromInteger(id), Method: method, Params: paramMap}
	if err := c.write(req); err != nil {
		c.forget(id)
		return nil, err
	}
	select {
	case out := <-pc.ch:
		return out.value, out.err
	case <-ctx.Done():
		c.forget(id)
		return nil, fmt.Errorf("%s (id %d): %w", method, id, ctx.Err())
	}
}

func (c *Client) forget(id int64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

// Notify sends a notification, given as its generated type (such as
// mcp.InitializedNotification).
func (c *Client) Notify(n mcp.ClientNotification) error {
	return c.write(n)
}

func (c *Client) write(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.sent = append(c.sent, data)
	c.mu.Unlock()
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_, err = c.stdin.Write(append(data, '\n'))
	return err
}

func (c *Client) read(stdout io.Reader) {
	defer close(c.done)
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		c.receive(append([]byte(nil), line...))
	}
	err := sc.Err()
	if err == nil {
		err = io.EOF
	}
	c.mu.Lock()
	c.readErr = fmt.Errorf("server output ended: %w (stderr: %s)", err, c.stderr.String())
	pending := c.pending
	c.pending = map[int64]*pendingCall{}
	c.mu.Unlock()
	for _, pc := range pending {
		pc.ch <- callOutcome{err: c.readErr}
	}
}

// receive decodes one line and routes it.
func (c *Client) receive(line []byte) {
	m := &Message{Raw: line}
	c.mu.Lock()
	c.messages = append(c.messages, m)
	m.Seq = len(c.messages)
	c.mu.Unlock()

	env, err := mcp.UnmarshalJSONRPCMessage(line)
	if err != nil {
		c.setDecoded(m, "", "", nil, nil, fmt.Errorf("envelope: %w", err))
		return
	}
	switch e := env.(type) {
	case *mcp.JSONRPCResultResponse:
		var parts struct {
			Result json.RawMessage `json:"result"`
		}
		_ = json.Unmarshal(line, &parts)
		c.setEnvelope(m, env)
		pc, id := c.take(e.ID)
		if pc == nil {
			c.setDecoded(m, KindResult, "", parts.Result, nil, fmt.Errorf("response to unknown request id %s", idString(e.ID)))
			return
		}
		v, err := pc.decode(parts.Result)
		if err != nil {
			err = fmt.Errorf("%s result (id %d): %w", pc.method, id, err)
		}
		c.setDecoded(m, KindResult, pc.method, parts.Result, v, err)
		pc.ch <- callOutcome{value: v, err: err}
	case *mcp.JSONRPCErrorResponse:
		var parts struct {
			Error json.RawMessage `json:"error"`
		}
		_ = json.Unmarshal(line, &parts)
		rpcErr := new(mcp.Error)
		decErr := json.Unmarshal(parts.Error, rpcErr)
		var pc *pendingCall
		var id int64
		if e.ID != nil {
			pc, id = c.take(*e.ID)
		}
		c.setEnvelope(m, env)
		if decErr != nil {
			rpcErr = nil
		}
		method := ""
		if pc != nil {
			method = pc.method
		} else if decErr == nil {
			decErr = fmt.Errorf("error response to unknown request: %s", line)
		}
		c.setDecoded(m, KindError, method, parts.Error, rpcErr, decErr)
		if pc != nil {
			if decErr != nil {
				pc.ch <- callOutcome{err: fmt.Errorf("%s (id %d): error response: %w", pc.method, id, decErr)}
			} else {
				pc.ch <- callOutcome{err: rpcErr}
			}
		}
	case *mcp.JSONRPCNotification:
		c.setEnvelope(m, env)
		n, err := mcp.UnmarshalServerNotification(line)
		if err != nil {
			c.setDecoded(m, KindNotification, e.Method, line, nil, fmt.Errorf("%s: %w", e.Method, err))
			return
		}
		c.setDecoded(m, KindNotification, e.Method, line, n, nil)
		if c.opts.OnNotification != nil {
			c.opts.OnNotification(n)
		}
	case *mcp.JSONRPCRequest:
		c.setEnvelope(m, env)
		req, err := mcp.UnmarshalServerRequest(line)
		if err != nil {
			c.setDecoded(m, KindRequest, e.Method, line, nil, fmt.Errorf("%s: %w", e.Method, err))
			c.reply(e.ID, e.Method, nil, &mcp.Error{Code: mcp.CodeInvalidParams, Message: err.Error()})
			return
		}
		c.setDecoded(m, KindRequest, e.Method, line, req, nil)
		c.handlers.Add(1)
		go func() {
			defer c.handlers.Done()
			res, rpcErr := c.handle(req)
			c.reply(e.ID, e.Method, res, rpcErr)
		}()
	default:
		c.setDecoded(m, "", "", nil, nil, fmt.Errorf("envelope: unexpected member %T", env))
	}
}

func (c *Client) handle(req mcp.ServerRequest) (any, *mcp.Error) {
	if c.opts.HandleRequest != nil {
		return c.opts.HandleRequest(c.ctx, req)
	}
	if _, ok := req.(*mcp.PingRequest); ok {
		return &mcp.EmptyResult{}, nil
	}
	return nil, &mcp.Error{Code: mcp.CodeMethodNotFound, Message: "not supported by this client"}
}

// reply answers a server request with a result (checked against the
// generated result type of method) or an error.
func (c *Client) reply(id mcp.RequestId, method string, result any, rpcErr *mcp.Error) {
	if rpcErr == nil {
		data, err := json.Marshal(result)
		if err == nil {
			if info, ok := mcp.LookupMethod(method); ok && info.DecodeResult != nil {
				_, err = info.DecodeResult(data)
			}
		}
		var r mcp.Result
		if err == nil {
			err = json.Unmarshal(data, &r)
		}
		if err == nil {
			c.write(mcp.JSONRPCResultResponse{ID: id, Result: r})
			return
		}
		rpcErr = &mcp.Error{Code: mcp.CodeInternalError, Message: "client built an invalid result: " + err.Error()}
	}
	c.write(mcp.JSONRPCErrorResponse{ID: &id, Error: *rpcErr})
}

func (c *Client) take(id mcp.RequestId) (*pendingCall, int64) {
	n, ok := id.AsInteger()
	if !ok {
		return nil, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	pc := c.pending[n]
	delete(c.pending, n)
	return pc, n
}

func (c *Client) setEnvelope(m *Message, env mcp.JSONRPCMessage) {
	c.mu.Lock()
	m.Envelope = env
	c.mu.Unlock()
}

func (c *Client) setDecoded(m *Message, kind Kind, method string, body json.RawMessage, v any, err error) {
	c.mu.Lock()
	m.Kind, m.Method, m.Body, m.Err = kind, method, body, err
	if err == nil {
		m.Decoded = v
	}
	c.mu.Unlock()
}

func idString(id mcp.RequestId) string {
	if s, ok := id.AsString(); ok {
		return fmt.Sprintf("%q", s)
	}
	if n, ok := id.AsInteger(); ok {
		return fmt.Sprint(n)
	}
	return "(none)"
}

// IsRPCError reports whether err is a JSON-RPC error response with code.
func IsRPCError(err error, code int64) bool {
	var e *mcp.Error
	return errors.As(err, &e) && e.Code == code
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > b.max {
		b.buf = b.buf[len(b.buf)-b.max:]
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// CloseTook reports how long Close waited for the server to exit.
func (c *Client) CloseTook() time.Duration { return c.closeTook }
