//go:build ignore

// The task engine of the 2025-11-25 design: the behaviour behind the task
// types, lifecycle table and dispatcher of this package, kept in a
// TaskStore. Its sources live in mcpgen's generator/engine/core.

package mcp

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// An Engine runs the tasks of a receiver: it creates them when a
// task-augmented request arrives, runs their work detached from that
// request, moves them through the lifecycle, and answers tasks/get,
// tasks/result, tasks/list and tasks/cancel. Its methods serve both
// ServerTasksHandler and ClientTasksHandler, since in this revision a
// client may receive task-augmented requests too.
//
// Everything about a task lives in the engine's TaskStore, written with
// compare-and-set, so that several engines (the processes of one server)
// may share one store: a task created by one is read, awaited and
// cancelled through any of them, and exactly one terminal status wins any
// race between them. What each engine keeps for itself is the work it
// runs: its cancel function and its queue of status notifications.
//
// Make one with NewEngine and stop it with Close. It is safe for
// concurrent use.
type Engine struct {
	store        TaskStore
	prefix       string
	defaultTTL   time.Duration
	maxTTL       time.Duration
	unlimitedTTL bool
	pollInterval int64 // ms
	pageSize     int
	maxTasks     int
	maxPerOwner  int
	owner        func(ctx context.Context) (string, error)
	listing      bool
	newID        func(ctx context.Context) (string, error)
	peer         Peer
	notify       bool
	lease        time.Duration
	sweepLimit   int
	logf         func(format string, args ...any)
	now          func() time.Time
	// worker names this engine in the leases of the tasks it runs.
	worker string

	mu      sync.Mutex
	closed  bool
	running map[string]*engineTask // by store key
	live    map[string]int         // running (or starting) tasks per owner
	total   int                    // running (or starting) tasks
	work    sync.WaitGroup
	stop    context.CancelFunc // ends the sweep
}

// EngineOptions configure an Engine; the zero value of each field takes
// the default its comment names.
type EngineOptions struct {
	// Store keeps the tasks: a new MemoryStore when nil. Engines that share
	// a store share their tasks.
	Store TaskStore
	// KeyPrefix starts every key the engine writes ("mcp/tasks/" when
	// empty), so that one store can hold the tasks of several servers.
	// Engines that share tasks share the prefix.
	KeyPrefix string

	// DefaultTTL is how long a task is kept, from its creation, when the
	// request names no task.ttl (5 minutes when zero). MaxTTL is the
	// longest ttl granted (an hour when zero): a longer request is clamped
	// to it. A ttl below 1 ms is invalid params (-32602). Task.ttl reports
	// what was granted.
	DefaultTTL, MaxTTL time.Duration
	// UnlimitedTTL keeps a task created without task.ttl until it is
	// deleted (Task.ttl null) instead of for DefaultTTL. Such tasks are
	// never removed by the engine: allow it only where something else
	// bounds their number.
	UnlimitedTTL bool
	// PollInterval is the pollInterval every task suggests (1 second when
	// zero).
	PollInterval time.Duration
	// PageSize is the number of tasks per tasks/list page (50 when zero).
	PageSize int

	// MaxTasks bounds the tasks this engine runs at once (10 000 when zero)
	// and MaxTasksPerOwner those of one requestor (1 000 when zero); a
	// negative value removes the bound. A request beyond one is answered
	// with an internal error (-32603) that names the limit. Finished tasks
	// do not count: the store keeps them until their ttl runs out.
	MaxTasks, MaxTasksPerOwner int

	// Owner derives the requestor's identity from a request's context, the
	// authorization context tasks are bound to: tasks/get, tasks/result and
	// tasks/cancel of another owner's task are answered exactly as for an
	// unknown task (-32602), and tasks/list shows the requestor's own tasks
	// alone. Every identity counts, the empty one included: a task is
	// bound to whatever Owner returned when it was created. An error
	// answers the request (a *Error with its own code, anything else
	// -32603).
	//
	// Without Owner every requestor shares one space of tasks, guarded only
	// by the 128 random bits of their ids, and tasks/list is not offered
	// (ListsTasks reports false, as the specification advises) unless
	// ListWithoutOwner is set.
	Owner func(ctx context.Context) (string, error)
	// ListWithoutOwner offers tasks/list without an Owner hook.
	ListWithoutOwner bool

	// NewTaskID, when set, supplies the id of each new task (an external
	// job's id, say) instead of 128 bits from crypto/rand. An id already
	// in use fails the request.
	NewTaskID func(ctx context.Context) (string, error)

	// Peer reaches the requestor, for input requests and status
	// notifications, where a request's context carries none (WithPeer): a
	// server of one connection may set it here once.
	Peer Peer
	// NoStatusNotifications turns off notifications/tasks/status.
	NoStatusNotifications bool

	// Lease is how long a task's record names this engine as the one
	// running it before the lease must be renewed (30 seconds when zero);
	// the engine renews it three times per Lease while the work runs. A
	// task whose lease lapsed while it was not terminal (its engine died)
	// ends failed, when it is next read or by the sweep that every engine
	// runs once per Lease over at most SweepLimit tasks (100 when zero).
	Lease      time.Duration
	SweepLimit int

	// Logf receives what the engine cannot tell the peer: the value and
	// stack of a panic in a task's work, a store that failed, a
	// notification that could not be sent. Nil discards it.
	Logf func(format string, args ...any)
	// Now is the engine's clock (time.Now when nil), for tests.
	Now func() time.Time
}

// NewEngine returns an engine with the given options.
func NewEngine(opts EngineOptions) *Engine {
	e := &Engine{
		store:        opts.Store,
		prefix:       opts.KeyPrefix,
		defaultTTL:   opts.DefaultTTL,
		maxTTL:       opts.MaxTTL,
		unlimitedTTL: opts.UnlimitedTTL,
		pageSize:     opts.PageSize,
		maxTasks:     opts.MaxTasks,
		maxPerOwner:  opts.MaxTasksPerOwner,
		owner:        opts.Owner,
		listing:      opts.Owner != nil || opts.ListWithoutOwner,
		newID:        opts.NewTaskID,
		peer:         opts.Peer,
		notify:       !opts.NoStatusNotifications,
		lease:        opts.Lease,
		sweepLimit:   opts.SweepLimit,
		logf:         opts.Logf,
		now:          opts.Now,
		worker:       engineRandomID(),
		running:      map[string]*engineTask{},
		live:         map[string]int{},
	}
	if e.store == nil {
		e.store = NewMemoryStore()
	}
	if e.prefix == "" {
		e.prefix = "mcp/tasks/"
	}
	if e.defaultTTL <= 0 {
		e.defaultTTL = 5 * time.Minute
	}
	if e.maxTTL <= 0 {
		e.maxTTL = time.Hour
	}
	e.defaultTTL = min(e.defaultTTL, e.maxTTL)
	e.pollInterval = opts.PollInterval.Milliseconds()
	if opts.PollInterval <= 0 {
		e.pollInterval = 1000
	}
	if e.pageSize <= 0 {
		e.pageSize = 50
	}
	if e.maxTasks == 0 {
		e.maxTasks = 10000
	}
	if e.maxPerOwner == 0 {
		e.maxPerOwner = 1000
	}
	if e.lease <= 0 {
		e.lease = 30 * time.Second
	}
	if e.sweepLimit <= 0 {
		e.sweepLimit = 100
	}
	if e.logf == nil {
		e.logf = func(string, ...any) {}
	}
	if e.now == nil {
		e.now = time.Now
	}
	ctx, stop := context.WithCancel(context.Background())
	e.stop = stop
	e.work.Add(1)
	go e.sweep(ctx)
	return e
}

// Close stops the engine: new tasks are refused (-32603), the work of every
// running task is cancelled and each such task ends failed (unless its work
// still returns a result), and Close waits for the work to return, or for
// ctx to end, whose error it then returns.
func (e *Engine) Close(ctx context.Context) error {
	e.mu.Lock()
	e.closed = true
	for _, t := range e.running {
		t.cancel(errEngineClosed)
	}
	e.mu.Unlock()
	e.stop()
	done := make(chan struct{})
	go func() {
		e.work.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RunningTasks is the number of tasks whose work the engine runs now.
func (e *Engine) RunningTasks() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.running)
}

// ListsTasks reports whether the engine serves tasks/list, and so whether
// the host should declare tasks.list: only with an Owner hook, or with
// ListWithoutOwner.
func (e *Engine) ListsTasks() bool { return e.listing }

// ServerTasks returns the tasks capability of a server whose task requests
// this engine serves: tasks/cancel, tasks/list when ListsTasks, and
// task-augmented tools/call.
func (e *Engine) ServerTasks() *ServerCapabilitiesTasks {
	c := &ServerCapabilitiesTasks{
		Cancel:   map[string]any{},
		Requests: &ServerCapabilitiesTasksRequests{Tools: &ServerCapabilitiesTasksRequestsTools{Call: map[string]any{}}},
	}
	if e.listing {
		c.List = map[string]any{}
	}
	return c
}

// The causes with which the engine ends a task's work.
var (
	errEngineClosed    = errors.New("the engine was closed")
	errEngineTaskEnded = errors.New("the task reached a terminal status")
	errEngineTaskGone  = errors.New("the task expired")
)

// errEngineSkip, returned by the change an update applies, leaves the
// record as it is.
var errEngineSkip = errors.New("no change")

// An engineRecord is what the store holds for one task, as JSON (the json
// tags name its properties; appendJSON and decodeJSON write and read them).
type engineRecord struct {
	Task  Task   `json:"task"`
	Owner string `json:"owner,omitempty"`
	// Expires is when the ttl, counted from creation, runs out (Unix ms);
	// 0 for a task kept until deleted.
	Expires int64 `json:"expires,omitempty"`
	// Result or Error is what the original request answers, once the task
	// is terminal: the raw result, or the JSON-RPC error.
	Result json.RawMessage `json:"result,omitempty"`
	Error  *Error          `json:"error,omitempty"`
	// Worker names the engine running the task, which holds it until
	// Lease (Unix ms); both are cleared at a terminal status.
	Worker string `json:"worker,omitempty"`
	Lease  int64  `json:"lease,omitempty"`
}

// engineDecodeRecord decodes a record the engine wrote.
func engineDecodeRecord(data []byte) (*engineRecord, error) {
	d := decoder{data: data}
	rec := new(engineRecord)
	if err := d.finish(rec.decodeJSON(&d)); err != nil {
		return nil, err
	}
	return rec, nil
}

// decodeJSON reads a record with the package's generated decoders; the
// result stays a slice of d's data.
func (r *engineRecord) decodeJSON(d *decoder) error {
	if err := d.openObject(); err != nil {
		return err
	}
	for n := 0; d.more('}', n); n++ {
		key, at := d.key()
		var err error
		switch string(key) {
		case "task":
			err = r.Task.decodeJSON(d)
		case "owner":
			err = d.readString(&r.Owner)
		case "expires":
			err = d.readInteger(&r.Expires)
		case "result":
			r.Result, err = d.skip()
		case "error":
			r.Error = new(Error)
			err = r.Error.decodeJSON(d)
		case "worker":
			err = d.readString(&r.Worker)
		case "lease":
			err = d.readInteger(&r.Lease)
		default:
			_, err = d.skip()
		}
		if err = d.fieldError(err, key, at); err != nil {
			return err
		}
	}
	return d.err
}

// appendJSON appends the record as JSON to b, with the package's generated
// encoders; Result is JSON the engine encoded.
func (r *engineRecord) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"task":`...)
	b, err := r.Task.appendJSON(b)
	if err != nil {
		return nil, err
	}
	if r.Owner != "" {
		b = appendString(append(b, `,"owner":`...), r.Owner)
	}
	if r.Expires != 0 {
		b = strconv.AppendInt(append(b, `,"expires":`...), r.Expires, 10)
	}
	if r.Result != nil {
		b = append(append(b, `,"result":`...), r.Result...)
	}
	if r.Error != nil {
		if b, err = r.Error.appendJSON(append(b, `,"error":`...)); err != nil {
			return nil, err
		}
	}
	if r.Worker != "" {
		b = appendString(append(b, `,"worker":`...), r.Worker)
	}
	if r.Lease != 0 {
		b = strconv.AppendInt(append(b, `,"lease":`...), r.Lease, 10)
	}
	return append(b, '}'), nil
}

// remaining is the ttl to give the store on a write at now, and whether
// the task is still alive: the ttl runs from creation, not from the write.
func (r *engineRecord) remaining(now time.Time) (time.Duration, bool) {
	if r.Expires == 0 {
		return 0, true
	}
	left := time.UnixMilli(r.Expires).Sub(now)
	return left, left > 0
}

// leaseLapsed reports whether the engine that runs r has not renewed its
// lease in time.
func (r *engineRecord) leaseLapsed(now time.Time) bool {
	return !r.Task.Status.IsTerminal() && r.Worker != "" && r.Lease != 0 && now.UnixMilli() > r.Lease
}

// engineOwnerKey is the key segment of an owner: base64url, so that no
// identity can reach into another's keys.
func engineOwnerKey(owner string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(owner))
}

// taskKey is the key of a task's record; recordsPrefix starts them all.
func (e *Engine) taskKey(owner, id string) string {
	return e.recordsPrefix() + engineOwnerKey(owner) + "/" + id
}

func (e *Engine) recordsPrefix() string { return e.prefix + "t/" }

// listPrefix starts the keys of an owner's list entries, one per task,
// named by creation time and id, so that listing them in key order lists
// the tasks in creation order.
func (e *Engine) listPrefix(owner string) string {
	return e.prefix + "l/" + engineOwnerKey(owner) + "/"
}

// engineListEntry is the part of a list entry's key after the prefix: the
// creation time in nanoseconds, 16 hex digits, a slash and the id.
func engineListEntry(created time.Time, id string) string {
	return fmt.Sprintf("%016x/%s", uint64(created.UnixNano()), id)
}

// engineValidListEntry reports whether s has the form of engineListEntry.
func engineValidListEntry(s string) bool {
	if len(s) < 18 || s[16] != '/' {
		return false
	}
	for _, c := range s[:16] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// maxTaskIDLen bounds the task ids the engine looks up or accepts from a
// NewTaskID hook.
const maxTaskIDLen = 256

// engineRandomID returns 128 bits from crypto/rand, base64url without
// padding (22 characters).
func engineRandomID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand, Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// requestor returns the identity ctx's request is made by.
func (e *Engine) requestor(ctx context.Context) (string, error) {
	if e.owner == nil {
		return "", nil
	}
	owner, err := e.owner(ctx)
	if err != nil {
		return "", e.rpcError("the Owner hook", err)
	}
	return owner, nil
}

// unknownTask is the answer for a task that does not exist, has expired,
// or belongs to another owner: the same in all three cases, so that it
// tells a requestor nothing about other owners' tasks.
func unknownTask(id string) *Error {
	return &Error{
		Code:    CodeInvalidParams,
		Message: fmt.Sprintf("unknown task %q (never created, or expired)", id),
		Data:    map[string]any{"taskId": id},
	}
}

// storeFailed is the answer when the store itself failed; the detail goes
// to the log.
func (e *Engine) storeFailed(op string, err error) *Error {
	e.logf("task store: %s: %v", op, err)
	return &Error{Code: CodeInternalError, Message: "internal error: the task store failed"}
}

// load reads the record under key: nil when it is absent or expired.
func (e *Engine) load(ctx context.Context, key string) (*engineRecord, int64, error) {
	data, version, err := e.store.Get(ctx, key)
	if err != nil {
		return nil, 0, e.storeFailed("get", err)
	}
	if version == 0 {
		return nil, 0, nil
	}
	rec, err := engineDecodeRecord(data)
	if err != nil {
		return nil, 0, e.storeFailed("decode "+key, err)
	}
	if _, alive := rec.remaining(e.now()); !alive {
		// The store has not dropped it yet; the engine answers as if it had.
		return nil, 0, nil
	}
	return rec, version, nil
}

// update applies change to the record under key and writes it back with
// compare-and-set, reading and applying again until the write sticks, so
// that every change starts from the record as it is. It returns the record
// as written (or as read, when change returned errEngineSkip, with written
// false), or nil when the task is gone. The write keeps the expiry counted
// from the task's creation.
func (e *Engine) update(ctx context.Context, key string, change func(*engineRecord) error) (rec *engineRecord, version int64, written bool, err error) {
	for {
		rec, version, err = e.load(ctx, key)
		if err != nil || rec == nil {
			return nil, 0, false, err
		}
		switch err := change(rec); {
		case err == errEngineSkip:
			return rec, version, false, nil
		case err != nil:
			return rec, version, false, err
		}
		ttl, alive := rec.remaining(e.now())
		if !alive {
			e.store.Delete(ctx, key, version)
			return nil, 0, false, nil
		}
		data, err := rec.appendJSON(make([]byte, 0, 512))
		if err != nil {
			return nil, 0, false, e.storeFailed("encode "+key, err)
		}
		v, ok, err := e.store.CompareAndSwap(ctx, key, version, data, ttl)
		if err != nil {
			return nil, 0, false, e.storeFailed("compare-and-swap", err)
		}
		if ok {
			return rec, v, true, nil
		}
	}
}

// moveTo is the change that moves a record to status next through the
// lifecycle, with msg as its statusMessage: errEngineSkip when the task is
// already terminal (another change won), the lifecycle's refusal for any
// other move it does not allow.
func (e *Engine) moveTo(r *engineRecord, next TaskStatus, msg string) error {
	if r.Task.Status.IsTerminal() {
		return errEngineSkip
	}
	if err := r.Task.MoveTo(next, e.now()); err != nil {
		e.logf("task %s: the lifecycle refused a move: %v", r.Task.TaskID, err)
		return err
	}
	r.Task.StatusMessage = msg
	if next.IsTerminal() {
		r.Worker, r.Lease = "", 0
	}
	return nil
}

// read is load for a request: a task whose worker was lost ends failed
// first (see Lease).
func (e *Engine) read(ctx context.Context, key string) (*engineRecord, int64, error) {
	rec, version, err := e.load(ctx, key)
	if err != nil || rec == nil || !rec.leaseLapsed(e.now()) || e.runs(key) {
		return rec, version, err
	}
	return e.failLost(ctx, key)
}

// runs reports whether this engine runs the task under key.
func (e *Engine) runs(key string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.running[key] != nil
}

// failLost ends failed the task under key, whose worker let its lease lapse.
func (e *Engine) failLost(ctx context.Context, key string) (*engineRecord, int64, error) {
	const msg = "the server process running the task was lost"
	rec, version, written, err := e.update(ctx, key, func(r *engineRecord) error {
		if !r.leaseLapsed(e.now()) {
			return errEngineSkip
		}
		if err := e.moveTo(r, TaskStatusFailed, msg+" (its lease lapsed)"); err != nil {
			return err
		}
		r.Error = &Error{Code: CodeInternalError, Message: "internal error: " + msg}
		return nil
	})
	if written {
		e.sendStatus(ctx, PeerOf(ctx), &rec.Task)
	}
	return rec, version, err
}

// sweep runs, once per lease, over a bounded number of the store's tasks,
// so that tasks of lost workers end failed although no one reads them.
func (e *Engine) sweep(ctx context.Context) {
	defer e.work.Done()
	tick := time.NewTicker(e.lease)
	defer tick.Stop()
	cursor := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		keys, next, err := e.store.List(ctx, e.recordsPrefix(), cursor, e.sweepLimit)
		if err != nil {
			if ctx.Err() == nil {
				e.storeFailed("list", err)
			}
			continue
		}
		for _, key := range keys {
			e.read(ctx, key)
		}
		cursor = next
	}
}

// grantTTL is the ttl a new task gets for the requested metadata, in ms
// (nil: unlimited).
func (e *Engine) grantTTL(meta *TaskMetadata) (*int64, error) {
	if meta == nil || meta.TTL == nil {
		if e.unlimitedTTL {
			return nil, nil
		}
		ms := e.defaultTTL.Milliseconds()
		return &ms, nil
	}
	ms := *meta.TTL
	if ms < 1 {
		return nil, &Error{
			Code:    CodeInvalidParams,
			Message: fmt.Sprintf("invalid params: params.task.ttl: must be a positive number of milliseconds, got %d", ms),
			Data:    map[string]any{"path": "params.task.ttl"},
		}
	}
	ms = min(ms, e.maxTTL.Milliseconds())
	return &ms, nil
}

// reserve counts a new running task of owner against the limits.
func (e *Engine) reserve(owner string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case e.closed:
		return &Error{Code: CodeInternalError, Message: "internal error: the server is shutting down"}
	case e.maxTasks > 0 && e.total >= e.maxTasks:
		return &Error{
			Code:    CodeInternalError,
			Message: fmt.Sprintf("too many tasks: the server runs at most %d at once; try again when some have finished", e.maxTasks),
			Data:    map[string]any{"limit": "tasks", "max": e.maxTasks},
		}
	case e.maxPerOwner > 0 && e.live[owner] >= e.maxPerOwner:
		return &Error{
			Code:    CodeInternalError,
			Message: fmt.Sprintf("too many tasks: a requestor may have at most %d running at once; wait for one to finish or cancel one", e.maxPerOwner),
			Data:    map[string]any{"limit": "tasksPerOwner", "max": e.maxPerOwner},
		}
	}
	e.live[owner]++
	e.total++
	return nil
}

// unreserve gives back the slot of a task that was not created.
func (e *Engine) unreserve(owner string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.unreserveLocked(owner)
}

func (e *Engine) unreserveLocked(owner string) {
	e.total--
	if e.live[owner]--; e.live[owner] <= 0 {
		delete(e.live, owner)
	}
}

// newTaskID is the id of a new task: the hook's, or 128 random bits.
func (e *Engine) newTaskID(ctx context.Context) (string, error) {
	if e.newID == nil {
		return engineRandomID(), nil
	}
	id, err := e.newID(ctx)
	switch {
	case err != nil:
		return "", e.rpcError("the NewTaskID hook", err)
	case id == "" || len(id) > maxTaskIDLen:
		return "", &Error{Code: CodeInternalError, Message: fmt.Sprintf("internal error: NewTaskID returned an id of %d bytes", len(id))}
	}
	return id, nil
}

// create stores a new task for a request of ctx, before anything else can
// see it, holding a slot of the limits for it.
func (e *Engine) create(ctx context.Context, meta *TaskMetadata) (*engineTask, *engineRecord, int64, error) {
	owner, err := e.requestor(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	ttl, err := e.grantTTL(meta)
	if err != nil {
		return nil, nil, 0, err
	}
	if err := e.reserve(owner); err != nil {
		return nil, nil, 0, err
	}
	id, err := e.newTaskID(ctx)
	if err != nil {
		e.unreserve(owner)
		return nil, nil, 0, err
	}
	now := e.now()
	stamp := now.UTC().Format(time.RFC3339Nano)
	poll := e.pollInterval
	rec := &engineRecord{
		Task: Task{
			TaskID:        id,
			Status:        TaskStatusInitial,
			CreatedAt:     stamp,
			LastUpdatedAt: stamp,
			TTL:           ttl,
			PollInterval:  &poll,
		},
		Owner:  owner,
		Worker: e.worker,
		Lease:  now.Add(e.lease).UnixMilli(),
	}
	var storeTTL time.Duration
	if ttl != nil {
		storeTTL = time.Duration(*ttl) * time.Millisecond
		rec.Expires = now.Add(storeTTL).UnixMilli()
	}
	key := e.taskKey(owner, id)
	data, err := rec.appendJSON(make([]byte, 0, 512))
	if err != nil {
		e.unreserve(owner)
		return nil, nil, 0, e.storeFailed("encode", err)
	}
	version, ok, err := e.store.CompareAndSwap(ctx, key, 0, data, storeTTL)
	switch {
	case err != nil:
		e.unreserve(owner)
		return nil, nil, 0, e.storeFailed("compare-and-swap", err)
	case !ok:
		e.unreserve(owner)
		return nil, nil, 0, &Error{Code: CodeInternalError, Message: fmt.Sprintf("internal error: task id %q is already in use", id)}
	}
	if e.listing {
		entry := e.listPrefix(owner) + engineListEntry(now, id)
		if _, _, err := e.store.CompareAndSwap(ctx, entry, 0, nil, storeTTL); err != nil {
			e.store.Delete(ctx, key, version)
			e.unreserve(owner)
			return nil, nil, 0, e.storeFailed("compare-and-swap", err)
		}
	}
	t := &engineTask{e: e, id: id, key: key, owner: owner, peer: PeerOf(ctx), observed: make(chan struct{})}
	if t.peer == nil {
		t.peer = e.peer
	}
	return t, rec, version, nil
}

// register records t, whose cancel function is set, as running here;
// false when the engine closed meanwhile, and t's record is then deleted.
func (e *Engine) register(ctx context.Context, t *engineTask, version int64) bool {
	e.mu.Lock()
	closed := e.closed
	if closed {
		e.unreserveLocked(t.owner)
	} else {
		e.running[t.key] = t
		e.work.Add(2) // the work and its keeper, which start now
	}
	e.mu.Unlock()
	if closed {
		e.store.Delete(ctx, t.key, version)
	}
	return !closed
}

// forget removes t from the tasks this engine runs.
func (e *Engine) forget(t *engineTask) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.running[t.key] == t {
		delete(e.running, t.key)
		e.unreserveLocked(t.owner)
	}
}

// rpcError turns an error into the JSON-RPC error the peer is given, or a
// task records: a copy of a *Error, keeping its code; anything else a
// -32603 without the error's text, which goes to Logf, as the dispatchers
// keep it from the peer.
func (e *Engine) rpcError(from string, err error) *Error {
	c := *toRPCError(context.Background(), from, err, func(_ context.Context, from string, err error) {
		e.logf("%s: %v", from, err)
	})
	return &c
}

// engineUsableID reports whether id could name a task: no empty or
// oversized ids reach the store.
func engineUsableID(id string) bool {
	return id != "" && len(id) <= maxTaskIDLen && !strings.ContainsRune(id, 0)
}
