package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/generated/mcpdraft"
)

const (
	methodListen          = "subscriptions/listen"
	methodAcknowledged    = "notifications/subscriptions/acknowledged"
	subscriptionIDMetaKey = "io.modelcontextprotocol/subscriptionId"

	// listenBuffer bounds the notifications waiting for one slow listener;
	// a listener that falls further behind loses its stream.
	listenBuffer = 64
	// maxListeners bounds the open subscriptions/listen streams.
	maxListeners = 256
)

// A listener is one open subscriptions/listen stream: the task status
// notifications of the tasks it named, for its owner alone.
type listener struct {
	id      mcpdraft.RequestId
	owner   string
	taskIDs []string
	out     chan json.RawMessage // messages to send, in order
	gone    chan struct{}        // closed when the hub drops the listener
}

// listenHub is the engine's Peer: it delivers each notifications/tasks to
// the streams that subscribed to the task and belong to its owner.
type listenHub struct {
	mu        sync.Mutex
	listeners map[*listener]bool
	closed    bool
}

var _ exttasks.Peer = (*listenHub)(nil)

func newListenHub() *listenHub { return &listenHub{listeners: map[*listener]bool{}} }

// Call implements exttasks.Peer: a stateless server sends no requests.
func (h *listenHub) Call(context.Context, string, json.RawMessage) (json.RawMessage, error) {
	return nil, fmt.Errorf("a stateless server sends no requests to its clients")
}

// Notify implements exttasks.Peer for notifications/tasks.
func (h *listenHub) Notify(ctx context.Context, method string, params json.RawMessage) error {
	owner, ok := exttasks.NotifiedOwner(ctx)
	if !ok || method != exttasks.MethodTaskStatusNotification {
		return nil
	}
	var p map[string]any
	if err := json.Unmarshal(params, &p); err != nil {
		return fmt.Errorf("notification params: %w", err)
	}
	taskID, _ := p["taskId"].(string)
	h.mu.Lock()
	defer h.mu.Unlock()
	for l := range h.listeners {
		if l.owner != owner || !slices.Contains(l.taskIDs, taskID) {
			continue
		}
		msg, err := notification(method, p, l.id)
		if err != nil {
			return err
		}
		select {
		case l.out <- msg:
		default:
			h.dropLocked(l) // too slow: bounded, not buffered without end
		}
	}
	return nil
}

// notification frames params for listener id: _meta names the subscription.
func notification(method string, params map[string]any, id mcpdraft.RequestId) (json.RawMessage, error) {
	p := make(map[string]any, len(params)+1)
	for k, v := range params {
		p[k] = v
	}
	meta, _ := p["_meta"].(map[string]any)
	meta = cloneMap(meta)
	meta[subscriptionIDMetaKey] = id
	p["_meta"] = meta
	return json.Marshal(map[string]any{"jsonrpc": "2.0", "method": method, "params": p})
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (h *listenHub) add(l *listener) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closed:
		return fmt.Errorf("the server is shutting down")
	case len(h.listeners) >= maxListeners:
		return fmt.Errorf("too many open subscriptions (limit %d)", maxListeners)
	}
	h.listeners[l] = true
	return nil
}

func (h *listenHub) remove(l *listener) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.dropLocked(l)
}

func (h *listenHub) dropLocked(l *listener) {
	if h.listeners[l] {
		delete(h.listeners, l)
		close(l.gone)
	}
}

// close ends every stream (they answer their listen request and return)
// and refuses new ones.
func (h *listenHub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for l := range h.listeners {
		h.dropLocked(l)
	}
}

// listenRequest reads a subscriptions/listen request: the task ids it
// subscribes to (the extension's notifications.taskIds) and the filter it
// asked for. A client that did not declare the extension may not subscribe
// to tasks (-32021).
func listenRequest(body []byte, params map[string]any) (taskIDs []string, rpcErr *exttasks.Error) {
	var req mcpdraft.SubscriptionsListenRequest
	if err := req.UnmarshalJSON(body); err != nil {
		return nil, invalidParams(err)
	}
	filter, _ := params["notifications"].(map[string]any)
	ids, present := filter["taskIds"].([]any)
	if !present {
		return nil, nil
	}
	if !exttasks.ExtensionDeclared(metaOf(params)) {
		return nil, exttasks.MissingCapabilityError()
	}
	for _, v := range ids {
		id, ok := v.(string)
		if !ok {
			return nil, &exttasks.Error{Code: exttasks.CodeInvalidParams, Message: "invalid params: notifications.taskIds must be strings"}
		}
		taskIDs = append(taskIDs, id)
	}
	return taskIDs, nil
}

// listen serves an open subscriptions/listen stream as server-sent events:
// the acknowledgement first, then the subscribed tasks' notifications,
// until the client goes or the server closes; then the listen result.
func (s *Server) listen(w http.ResponseWriter, r *http.Request, l *listener) {
	if err := s.hub.add(l); err != nil {
		rep := errorReply(&l.id, &exttasks.Error{Code: exttasks.CodeInternalError, Message: err.Error()}, http.StatusServiceUnavailable)
		writeJSON(w, rep)
		return
	}
	defer s.hub.remove(l)
	rc := http.NewResponseController(w)
	// The stream outlives the server's write timeout, which bounds replies.
	_ = rc.SetWriteDeadline(time.Time{})
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	send := func(msg json.RawMessage) bool {
		if _, err := fmt.Fprintf(w, "data: %s\n\n", msg); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	filter := map[string]any{}
	if l.taskIDs != nil {
		filter["taskIds"] = l.taskIDs
	}
	ack, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": methodAcknowledged, "params": map[string]any{
		"_meta":         map[string]any{subscriptionIDMetaKey: l.id},
		"notifications": filter,
	}})
	if err != nil || !send(ack) {
		return
	}
	for {
		select {
		case msg := <-l.out:
			if !send(msg) {
				return
			}
		case <-l.gone:
			end, err := json.Marshal(mcpdraft.SubscriptionsListenResultResponse{ID: l.id, Result: mcpdraft.SubscriptionsListenResult{
				Meta:       mcpdraft.SubscriptionsListenResultMetaObject{IoModelcontextprotocolServerInfo: &s.info},
				ResultType: resultComplete,
			}})
			if err == nil {
				send(end)
			}
			return
		case <-r.Context().Done():
			return
		}
	}
}
