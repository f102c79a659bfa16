//go:build ignore

package mcp

import (
	"context"
	"sync"
)

// enginePeerKey keys the Peer of a request's connection in its context.
type enginePeerKey struct{}

// WithPeer returns ctx carrying p, the way back to the requestor of the
// request ctx belongs to. The host's transport sets it on every request it
// dispatches; the engine keeps the Peer of the request that created a task,
// and sends the task's input requests and status notifications through it.
func WithPeer(ctx context.Context, p Peer) context.Context {
	return context.WithValue(ctx, enginePeerKey{}, p)
}

// PeerOf returns the Peer WithPeer put in ctx, or nil.
func PeerOf(ctx context.Context) Peer {
	p, _ := ctx.Value(enginePeerKey{}).(Peer)
	return p
}

// engineGateKey keys a request's reply gate in its context.
type engineGateKey struct{}

// An engineReplyGate opens once the reply to its request has been handed
// to the transport.
type engineReplyGate struct {
	mu      sync.Mutex
	open    bool
	waiting []func()
}

// WithReplyGate returns ctx marked with a gate for the reply to its request,
// and the function that opens the gate: the host's transport calls it once
// it has handed the reply to the transport (or failed to), and not before.
//
// The status notifications and input requests of a task created by the
// request wait for the gate, so that none reaches the requestor before the
// CreateTaskResult that tells it the task's id; a task may well finish, or
// need input, before its reply is written. Without a gate in the context,
// they go out at once, and may overtake the CreateTaskResult.
func WithReplyGate(ctx context.Context) (context.Context, func()) {
	g := &engineReplyGate{}
	return context.WithValue(ctx, engineGateKey{}, g), g.release
}

func engineGateOf(ctx context.Context) *engineReplyGate {
	g, _ := ctx.Value(engineGateKey{}).(*engineReplyGate)
	return g
}

// release opens the gate and runs what waited for it.
func (g *engineReplyGate) release() {
	g.mu.Lock()
	if g.open {
		g.mu.Unlock()
		return
	}
	g.open = true
	waiting := g.waiting
	g.waiting = nil
	g.mu.Unlock()
	for _, f := range waiting {
		f()
	}
}

// hold has f run when the gate opens, and reports false, without keeping
// f, when it is open already.
func (g *engineReplyGate) hold(f func()) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.open {
		return false
	}
	g.waiting = append(g.waiting, f)
	return true
}

// enqueue queues a notification of task; t.mu is held.
func (t *engineTask) enqueue(task Task) {
	if t.e.notify && t.peer != nil {
		t.queue = append(t.queue, task)
	}
}

// open lets t's notifications go: its CreateTaskResult has been sent.
func (t *engineTask) open() {
	t.mu.Lock()
	t.held = false
	t.mu.Unlock()
	close(t.replied)
	t.flush()
}

// flush sends t's queued notifications, in order, unless they wait for the
// reply gate or another goroutine is sending them already.
func (t *engineTask) flush() {
	t.mu.Lock()
	if t.held || t.sending {
		t.mu.Unlock()
		return
	}
	t.sending = true
	for len(t.queue) > 0 {
		task := t.queue[0]
		t.queue = t.queue[1:]
		t.mu.Unlock()
		t.e.sendStatus(t.notifyCtx, t.peer, &task)
		t.mu.Lock()
	}
	t.queue = nil
	t.sending = false
	t.mu.Unlock()
}

// sendStatus sends notifications/tasks/status for task through p.
func (e *Engine) sendStatus(ctx context.Context, p Peer, task *Task) {
	if !e.notify || p == nil {
		return
	}
	data, err := marshal(NewTaskStatusNotification(task).Params)
	if err == nil {
		err = p.Notify(ctx, MethodTaskStatusNotification, data)
	}
	if err != nil {
		e.logf("task %s: notifications/tasks/status: %v", task.TaskID, err)
	}
}
