package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// taskEntry is one task of the store. Its fields are guarded by the store's
// mutex, except done and gone, which are closed (once) under it and read
// without it.
type taskEntry struct {
	task mcp.Task
	seq  uint64 // creation order, for tasks/list and its cursor
	// result and rpcErr are what the original tools/call would have answered:
	// exactly one is set once the task is terminal.
	result *mcp.CallToolResult
	rpcErr *mcp.Error
	// stop ends the task's work (cancel and expiry).
	stop context.CancelFunc
	// done is closed when the task reaches a terminal status.
	done chan struct{}
	// gone is closed when the task expires and leaves the store.
	gone    chan struct{}
	expires time.Time
	timer   *time.Timer
}

// taskStore keeps the tasks of one connection in memory. Every status change
// goes through (*mcp.Task).MoveTo; illegalMoves counts the moves it refused,
// which would be bugs here (tests require zero).
type taskStore struct {
	mu      sync.Mutex
	tasks   map[string]*taskEntry
	nextSeq uint64
	closed  bool

	now          func() time.Time
	pollInterval int64 // ms
	pageSize     int
	// notify, if set, is called (outside the lock) with the task after each
	// status change.
	notify func(mcp.Task)
	log    *log.Logger

	// base is the parent of every task's work context; tasks outlive the
	// request that created them, not the store.
	base     context.Context
	stopBase context.CancelFunc
	work     sync.WaitGroup

	illegalMoves atomic.Int64
}

func newTaskStore(cfg *Config, logger *log.Logger, notify func(mcp.Task)) *taskStore {
	base, stop := context.WithCancel(context.Background())
	return &taskStore{
		tasks:        map[string]*taskEntry{},
		now:          cfg.Now,
		pollInterval: cfg.PollInterval.Milliseconds(),
		pageSize:     cfg.PageSize,
		notify:       notify,
		log:          logger,
		base:         base,
		stopBase:     stop,
	}
}

// newTaskID returns 128 random bits, base64url without padding (22 characters).
func newTaskID() string {
	var b [16]byte
	rand.Read(b[:]) // never returns an error (crypto/rand, Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// create adds a working task retained for ttl from now, and runs work in the
// background with a context that cancel and expiry end. work's outcome
// becomes the task's result (see finish).
func (s *taskStore) create(ttl time.Duration, work func(context.Context) (*mcp.CallToolResult, error)) (mcp.Task, error) {
	now := s.now().UTC()
	stamp := now.Format(time.RFC3339Nano)
	ttlMS := ttl.Milliseconds()
	poll := s.pollInterval
	e := &taskEntry{
		task: mcp.Task{
			TaskID:        newTaskID(),
			Status:        mcp.TaskStatusInitial,
			CreatedAt:     stamp,
			LastUpdatedAt: stamp,
			TTL:           &ttlMS,
			PollInterval:  &poll,
		},
		done:    make(chan struct{}),
		gone:    make(chan struct{}),
		expires: now.Add(ttl),
	}
	ctx, stop := context.WithCancel(s.base)
	e.stop = stop

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		stop()
		return mcp.Task{}, &mcp.Error{Code: mcp.CodeInternalError, Message: "server is shutting down"}
	}
	s.sweepLocked(now)
	s.nextSeq++
	e.seq = s.nextSeq
	s.tasks[e.task.TaskID] = e
	id := e.task.TaskID
	e.timer = time.AfterFunc(ttl, func() { s.expire(id) })
	snapshot := e.task
	s.work.Add(1)
	s.mu.Unlock()

	go func() {
		defer s.work.Done()
		res, err := runRecovered(ctx, work)
		s.finish(id, res, err)
	}()
	return snapshot, nil
}

// runRecovered runs work, turning a panic into an internal error, as the
// dispatcher does for handlers.
func runRecovered(ctx context.Context, work func(context.Context) (*mcp.CallToolResult, error)) (res *mcp.CallToolResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, &mcp.Error{Code: mcp.CodeInternalError, Message: fmt.Sprintf("internal error: tool panicked: %v", r)}
		}
	}()
	return work(ctx)
}

// finish records the outcome of a task's work. A task that is already
// terminal (cancelled meanwhile) or gone, or a store shutting down, keeps its
// state: the outcome is dropped. A JSON-RPC error or a result with isError makes the task failed;
// anything else completed.
func (s *taskStore) finish(id string, res *mcp.CallToolResult, err error) {
	s.mu.Lock()
	e, ok := s.tasks[id]
	if !ok || s.closed || e.task.Status.IsTerminal() {
		// Cancelled, expired or shut down: the work was stopped, and
		// its outcome no longer matters.
		s.mu.Unlock()
		return
	}
	next, msg := mcp.TaskStatusCompleted, ""
	switch {
	case err != nil:
		e.rpcErr = toRPCError(err)
		next, msg = mcp.TaskStatusFailed, e.rpcErr.Message
	case res == nil:
		e.rpcErr = &mcp.Error{Code: mcp.CodeInternalError, Message: "tool returned neither a result nor an error"}
		next, msg = mcp.TaskStatusFailed, e.rpcErr.Message
	case res.IsError != nil && *res.IsError:
		e.result = res
		next, msg = mcp.TaskStatusFailed, firstText(res, "the tool reported an error")
	default:
		e.result = res
	}
	t, moved := s.moveLocked(e, next, msg)
	s.mu.Unlock()
	if moved {
		s.changed(t)
	}
}

// moveLocked moves e to next through MoveTo, closing done when next is
// terminal. It returns the task after the move and whether it moved.
func (s *taskStore) moveLocked(e *taskEntry, next mcp.TaskStatus, msg string) (mcp.Task, bool) {
	if err := e.task.MoveTo(next, s.now()); err != nil {
		s.illegalMoves.Add(1)
		s.log.Printf("task %s: %v", e.task.TaskID, err)
		return e.task, false
	}
	e.task.StatusMessage = msg
	if next.IsTerminal() {
		close(e.done)
		e.stop()
	}
	return e.task, true
}

func (s *taskStore) changed(t mcp.Task) {
	s.log.Printf("task %s: %s", t.TaskID, t.Status)
	if s.notify != nil {
		s.notify(t)
	}
}

// lookupLocked returns the task called id, or the -32602 error for an
// unknown (or expired) task.
func (s *taskStore) lookupLocked(id string) (*taskEntry, *mcp.Error) {
	e, ok := s.tasks[id]
	if ok && !s.now().Before(e.expires) {
		s.removeLocked(e)
		ok = false
	}
	if !ok {
		return nil, &mcp.Error{
			Code:    mcp.CodeInvalidParams,
			Message: fmt.Sprintf("unknown task %q (never created, or expired)", id),
			Data:    map[string]any{"taskId": id},
		}
	}
	return e, nil
}

func (s *taskStore) get(id string) (mcp.Task, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.lookupLocked(id)
	if err != nil {
		return mcp.Task{}, err
	}
	return e.task, nil
}

// cancel moves a non-terminal task to cancelled and stops its work before it
// returns; a terminal task is refused with ValidateCancel's error.
func (s *taskStore) cancel(id string) (mcp.Task, error) {
	s.mu.Lock()
	e, rpcErr := s.lookupLocked(id)
	if rpcErr != nil {
		s.mu.Unlock()
		return mcp.Task{}, rpcErr
	}
	if err := mcp.ValidateCancel(e.task.Status); err != nil {
		s.mu.Unlock()
		return mcp.Task{}, err
	}
	e.rpcErr = &mcp.Error{
		Code:    mcp.CodeInvalidParams,
		Message: fmt.Sprintf("task %q was cancelled: it has no result", id),
		Data:    map[string]any{"taskId": id, "status": string(mcp.TaskStatusCancelled)},
	}
	t, moved := s.moveLocked(e, mcp.TaskStatusCancelled, "cancelled by tasks/cancel")
	s.mu.Unlock()
	if !moved {
		return mcp.Task{}, &mcp.Error{Code: mcp.CodeInternalError, Message: "task could not be cancelled"}
	}
	s.changed(t)
	return t, nil
}

// result waits until the task called id is terminal (or gone, or ctx ends)
// and returns what the original request would have answered.
func (s *taskStore) result(ctx context.Context, id string) (*mcp.CallToolResult, error) {
	s.mu.Lock()
	e, rpcErr := s.lookupLocked(id)
	s.mu.Unlock()
	if rpcErr != nil {
		return nil, rpcErr
	}
	select {
	case <-e.done:
	case <-e.gone:
		return nil, &mcp.Error{
			Code:    mcp.CodeInvalidParams,
			Message: fmt.Sprintf("task %q expired before it finished", id),
			Data:    map[string]any{"taskId": id},
		}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.rpcErr != nil {
		errCopy := *e.rpcErr
		return nil, &errCopy
	}
	return e.result, nil
}

// list returns one page of tasks in creation order. The cursor is opaque to
// clients: base64url of "after:<seq>", seq being the last task of the
// previous page; one that does not decode to a position in the list is
// -32602.
func (s *taskStore) list(cursor string) ([]mcp.Task, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var after uint64
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		n, ok := strings.CutPrefix(string(raw), "after:")
		var perr error
		if err == nil && ok {
			after, perr = strconv.ParseUint(n, 10, 64)
		}
		if err != nil || !ok || perr != nil || after == 0 || after > s.nextSeq {
			return nil, "", &mcp.Error{
				Code:    mcp.CodeInvalidParams,
				Message: fmt.Sprintf("invalid params: params.cursor: %q is not a valid cursor", cursor),
				Data:    map[string]any{"path": "params.cursor"},
			}
		}
	}
	s.sweepLocked(s.now())
	entries := make([]*taskEntry, 0, len(s.tasks))
	for _, e := range s.tasks {
		if e.seq > after {
			entries = append(entries, e)
		}
	}
	slices.SortFunc(entries, func(a, b *taskEntry) int { return cmp.Compare(a.seq, b.seq) })
	next := ""
	if len(entries) > s.pageSize {
		entries = entries[:s.pageSize]
		next = base64.RawURLEncoding.EncodeToString([]byte("after:" + strconv.FormatUint(entries[len(entries)-1].seq, 10)))
	}
	tasks := make([]mcp.Task, len(entries))
	for i, e := range entries {
		tasks[i] = e.task
	}
	return tasks, next, nil
}

// expire removes the task called id once its ttl has passed.
func (s *taskStore) expire(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.tasks[id]; ok && !s.now().Before(e.expires) {
		s.removeLocked(e)
	} else if ok {
		// The timer fired a little early against s.now: try again.
		e.timer.Reset(e.expires.Sub(s.now()))
	}
}

func (s *taskStore) sweepLocked(now time.Time) {
	for _, e := range s.tasks {
		if !now.Before(e.expires) {
			s.removeLocked(e)
		}
	}
}

// removeLocked deletes e, stopping its work and waking its waiters. A task
// that expires while running stops without a status change: it is gone.
func (s *taskStore) removeLocked(e *taskEntry) {
	delete(s.tasks, e.task.TaskID)
	e.timer.Stop()
	e.stop()
	close(e.gone)
	s.log.Printf("task %s: expired", e.task.TaskID)
}

// shutdown stops every task's work and waits for it to return.
func (s *taskStore) shutdown() {
	s.mu.Lock()
	s.closed = true
	for _, e := range s.tasks {
		e.timer.Stop()
	}
	s.mu.Unlock()
	s.stopBase()
	s.work.Wait()
}

// toRPCError keeps an *mcp.Error's code; anything else is internal.
func toRPCError(err error) *mcp.Error {
	if e, ok := err.(*mcp.Error); ok {
		c := *e
		return &c
	}
	return &mcp.Error{Code: mcp.CodeInternalError, Message: err.Error()}
}

func firstText(res *mcp.CallToolResult, fallback string) string {
	for _, c := range res.Content {
		if t, ok := c.(*mcp.TextContent); ok && t.Text != "" {
			return t.Text
		}
	}
	return fallback
}
