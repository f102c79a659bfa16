// Package rpcconn holds JSON-RPC connections for the tests that drive real
// peers with the generated typed clients: a newline-delimited stream (a
// stdio server) and stateless Streamable HTTP (protocol 2026-07-28). Both
// implement the Peer interface of every generated package with task
// bindings, using the standard library alone, as a host SDK would.
package rpcconn

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
)

// RPCError is a JSON-RPC error response, reported the way the generated
// packages' Peer documents.
type RPCError struct {
	Code    int64           `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *RPCError) Error() string { return fmt.Sprintf("%s (%d)", e.Message, e.Code) }

// RPCError returns the code, message and raw data of the error.
func (e *RPCError) RPCError() (int64, string, json.RawMessage) { return e.Code, e.Message, e.Data }

// A RequestFunc answers a request the other side sends. An error with an
// RPCError method (a generated *Error has one) keeps its code; any other
// is answered -32603.
type RequestFunc func(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error)

// A Stream is a JSON-RPC connection of one message per line.
type Stream struct {
	w io.Writer
	// OnRequest answers the other side's requests; nil answers -32601.
	onRequest RequestFunc
	// onNotify sees every notification, in order, on the reading goroutine.
	onNotify func(method string, params json.RawMessage)

	writeMu sync.Mutex
	mu      sync.Mutex
	nextID  int64
	pending map[string]chan reply
	methods map[string]string // id → method of every request sent
	readErr error
	recv    []json.RawMessage
	done    chan struct{}
	ctx     context.Context
	cancel  context.CancelFunc
	served  sync.WaitGroup
}

type reply struct {
	result json.RawMessage
	err    error
}

type message struct {
	ID     json.RawMessage `json:"id,omitempty"`
	Method string          `json:"method,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  *RPCError       `json:"error,omitempty"`
}

// NewStream reads messages from r until it ends and writes to w. firstID
// is the id of the first request it sends, so that two processes taking
// turns on one connection do not reuse ids.
func NewStream(r io.Reader, w io.Writer, firstID int64, onRequest RequestFunc, onNotify func(string, json.RawMessage)) *Stream {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Stream{w: w, onRequest: onRequest, onNotify: onNotify, nextID: firstID - 1,
		pending: map[string]chan reply{}, methods: map[string]string{}, done: make(chan struct{}), ctx: ctx, cancel: cancel}
	go s.read(r)
	return s
}

// Received returns every message read so far, in order.
func (s *Stream) Received() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.recv...)
}

// MethodOf returns the method of the request this side sent with id.
func (s *Stream) MethodOf(id json.RawMessage) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.methods[string(id)]
}

// Done is closed when the input has ended.
func (s *Stream) Done() <-chan struct{} { return s.done }

// Stop ends the handling of the other side's requests and waits for the
// handlers that run.
func (s *Stream) Stop() {
	s.cancel()
	s.served.Wait()
}

// Call sends a request and waits for its response.
func (s *Stream) Call(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
	ch := make(chan reply, 1)
	s.mu.Lock()
	if s.readErr != nil {
		err := s.readErr
		s.mu.Unlock()
		return nil, err
	}
	s.nextID++
	id := strconv.FormatInt(s.nextID, 10)
	s.pending[id] = ch
	s.methods[id] = method
	s.mu.Unlock()
	if err := s.write(message{ID: json.RawMessage(id), Method: method, Params: params}); err != nil {
		s.forget(id)
		return nil, err
	}
	select {
	case r := <-ch:
		return r.result, r.err
	case <-ctx.Done():
		s.forget(id)
		return nil, ctx.Err()
	}
}

// Notify sends a notification.
func (s *Stream) Notify(ctx context.Context, method string, params json.RawMessage) error {
	return s.write(message{Method: method, Params: params})
}

func (s *Stream) forget(id string) {
	s.mu.Lock()
	delete(s.pending, id)
	s.mu.Unlock()
}

func (s *Stream) write(m message) error {
	data, err := json.Marshal(struct {
		JSONRPC string `json:"jsonrpc"`
		message
	}{"2.0", m})
	if err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_, err = s.w.Write(append(data, '\n'))
	return err
}

func (s *Stream) read(r io.Reader) {
	defer close(s.done)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		line = append([]byte(nil), line...)
		s.mu.Lock()
		s.recv = append(s.recv, line)
		s.mu.Unlock()
		s.receive(line)
	}
	err := sc.Err()
	if err == nil {
		err = io.EOF
	}
	s.mu.Lock()
	s.readErr = fmt.Errorf("connection closed: %w", err)
	pending := s.pending
	s.pending = map[string]chan reply{}
	s.mu.Unlock()
	for _, ch := range pending {
		ch <- reply{err: s.readErr}
	}
}

func (s *Stream) receive(line []byte) {
	var m message
	if err := json.Unmarshal(line, &m); err != nil {
		return
	}
	switch {
	case m.Method != "" && len(m.ID) > 0:
		s.served.Add(1)
		go func() {
			defer s.served.Done()
			s.answer(m)
		}()
	case m.Method != "":
		if s.onNotify != nil {
			s.onNotify(m.Method, m.Params)
		}
	default:
		s.mu.Lock()
		ch := s.pending[string(m.ID)]
		delete(s.pending, string(m.ID))
		s.mu.Unlock()
		if ch == nil {
			return
		}
		if m.Error != nil {
			ch <- reply{err: m.Error}
		} else {
			ch <- reply{result: m.Result}
		}
	}
}

func (s *Stream) answer(m message) {
	var res json.RawMessage
	err := error(&RPCError{Code: -32601, Message: "method not found: " + m.Method})
	if s.onRequest != nil {
		res, err = s.onRequest(s.ctx, m.Method, m.Params)
	}
	out := message{ID: m.ID}
	var r interface {
		RPCError() (int64, string, json.RawMessage)
	}
	switch {
	case err == nil:
		out.Result = res
	case errors.As(err, &r):
		code, msg, data := r.RPCError()
		out.Error = &RPCError{Code: code, Message: msg, Data: data}
	default:
		out.Error = &RPCError{Code: -32603, Message: err.Error()}
	}
	if err == nil && len(res) == 0 {
		out.Result = json.RawMessage("{}")
	}
	_ = s.write(out)
}
