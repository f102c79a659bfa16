package support

import (
	"context"
	"hash/maphash"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"
)

// TaskStore is the storage the task engine keeps its tasks in: a versioned
// key/value store with compare-and-set, per-key expiry, listing by prefix
// and a way to wait for a change.
//
// Its methods use only standard-library types, so that one implementation
// (the memory store here, a Redis store, a program's own database) serves
// every package mcpgen generates, prefixed and vendored ones included:
// Go interfaces are satisfied by method sets, not by name.
//
// Versions are positive and increase with every write of a key; version 0
// stands for a key that is absent (never written, deleted or expired). An
// error is returned only when the store itself failed (the network, the
// disk); a lost race is reported by ok == false, never as an error.
type TaskStore interface {
	// Get returns the value stored under key and its version, or nil and 0
	// when the key is absent.
	Get(ctx context.Context, key string) (value []byte, version int64, err error)
	// CompareAndSwap stores value under key if the key's version is old (0:
	// only if the key is absent) and returns the new version. A ttl above
	// zero makes the key expire that long after this write; zero keeps it
	// until it is deleted. ok is false, and nothing is written, when the
	// version was not old.
	CompareAndSwap(ctx context.Context, key string, old int64, value []byte, ttl time.Duration) (version int64, ok bool, err error)
	// Delete removes key if its version is old; ok is false, and nothing is
	// removed, when it was not.
	Delete(ctx context.Context, key string, old int64) (ok bool, err error)
	// List returns up to limit keys that start with prefix, in byte order,
	// that sort after cursor ("" starts at the beginning); next is the
	// cursor of the following page, or "" after the last key.
	List(ctx context.Context, prefix, cursor string, limit int) (keys []string, next string, err error)
	// Wait blocks until the version of key is no longer version (it was
	// written, deleted or expired), and returns nil then, or returns ctx's
	// error when ctx is done first. A change that came before the call
	// returns at once.
	Wait(ctx context.Context, key string, version int64) error
}

// MemoryStore is a TaskStore in this process's memory: the engine's
// default, for a server that runs as one process. Its zero value is not
// ready; make one with NewMemoryStore. It is safe for concurrent use.
type MemoryStore struct {
	mu      sync.Mutex
	version int64 // the last version handed out, over all keys
	entries map[string]*memoryEntry
	keys    memoryIndex // the keys of entries, in order
	// changed is closed, and removed, when its key next changes.
	changed map[string]chan struct{}
}

type memoryEntry struct {
	value   []byte
	version int64
	expiry  *time.Timer
}

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{entries: map[string]*memoryEntry{}, changed: map[string]chan struct{}{}, keys: newMemoryIndex()}
}

// Get implements TaskStore.
func (s *MemoryStore) Get(ctx context.Context, key string) ([]byte, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if !ok {
		return nil, 0, nil
	}
	return slices.Clone(e.value), e.version, nil
}

// CompareAndSwap implements TaskStore.
func (s *MemoryStore) CompareAndSwap(ctx context.Context, key string, old int64, value []byte, ttl time.Duration) (int64, bool, error) {
	if err := ctx.Err(); err != nil {
		return 0, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	switch {
	case !ok && old != 0, ok && e.version != old:
		return 0, false, nil
	case !ok:
		e = &memoryEntry{}
		s.entries[key] = e
		s.keys.insert(key)
	}
	if e.expiry != nil {
		e.expiry.Stop()
		e.expiry = nil
	}
	s.version++
	e.value, e.version = slices.Clone(value), s.version
	if ttl > 0 {
		version := e.version
		e.expiry = time.AfterFunc(ttl, func() { s.expire(key, version) })
	}
	s.wake(key)
	return e.version, true, nil
}

// expire removes key if it still has the version that set its expiry.
func (s *MemoryStore) expire(key string, version int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[key]; ok && e.version == version {
		s.remove(key)
	}
}

// Delete implements TaskStore.
func (s *MemoryStore) Delete(ctx context.Context, key string, old int64) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if !ok || e.version != old {
		return false, nil
	}
	s.remove(key)
	return true, nil
}

// remove deletes key, which is present, and wakes its waiters; s.mu is held.
func (s *MemoryStore) remove(key string) {
	if e := s.entries[key]; e.expiry != nil {
		e.expiry.Stop()
	}
	delete(s.entries, key)
	s.keys.remove(key)
	s.wake(key)
}

// wake releases the waiters of key; s.mu is held.
func (s *MemoryStore) wake(key string) {
	if ch, ok := s.changed[key]; ok {
		close(ch)
		delete(s.changed, key)
	}
}

// List implements TaskStore.
func (s *MemoryStore) List(ctx context.Context, prefix, cursor string, limit int) ([]string, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	if limit <= 0 {
		return nil, "", nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	start := max(cursor, prefix)
	n := s.keys.seek(start)
	if n != nil && n.key == cursor {
		n = n.next[0]
	}
	var keys []string
	for ; n != nil && strings.HasPrefix(n.key, prefix); n = n.next[0] {
		if len(keys) == limit {
			return keys, keys[len(keys)-1], nil
		}
		keys = append(keys, n.key)
	}
	return keys, "", nil
}

// memoryIndex keeps the keys of a MemoryStore in order, for List: a skip
// list, so that adding or removing a key costs O(log n), however many keys
// there are. A key's height comes from its hash, with a seed of the store's
// own, so that no one can choose keys that unbalance it.
type memoryIndex struct {
	head  memoryNode // before every key; its next has memoryMaxHeight links
	seed  maphash.Seed
	level int // the height of the tallest key
}

// memoryNode is one key; next[i] is the following key of height > i.
type memoryNode struct {
	key  string
	next []*memoryNode
}

// memoryMaxHeight allows 2^24 keys before the list starts to thin out.
const memoryMaxHeight = 24

func newMemoryIndex() memoryIndex {
	return memoryIndex{head: memoryNode{next: make([]*memoryNode, memoryMaxHeight)}, seed: maphash.MakeSeed(), level: 1}
}

// path fills before with the last node at each height whose key sorts
// before key, and returns the first node whose key does not.
func (x *memoryIndex) path(key string, before *[memoryMaxHeight]*memoryNode) *memoryNode {
	n := &x.head
	for h := x.level - 1; h >= 0; h-- {
		for n.next[h] != nil && n.next[h].key < key {
			n = n.next[h]
		}
		if before != nil {
			before[h] = n
		}
	}
	return n.next[0]
}

// seek returns the first key that does not sort before key, or nil.
func (x *memoryIndex) seek(key string) *memoryNode { return x.path(key, nil) }

// insert adds key, which the index does not hold.
func (x *memoryIndex) insert(key string) {
	var before [memoryMaxHeight]*memoryNode
	x.path(key, &before)
	// Height h with probability 2^-h.
	height := min(1+bits.TrailingZeros64(maphash.String(x.seed, key)), memoryMaxHeight)
	for ; x.level < height; x.level++ {
		before[x.level] = &x.head
	}
	n := &memoryNode{key: key, next: make([]*memoryNode, height)}
	for h := range height {
		n.next[h] = before[h].next[h]
		before[h].next[h] = n
	}
}

// remove deletes key, if the index holds it.
func (x *memoryIndex) remove(key string) {
	var before [memoryMaxHeight]*memoryNode
	n := x.path(key, &before)
	if n == nil || n.key != key {
		return
	}
	for h := range len(n.next) {
		before[h].next[h] = n.next[h]
	}
	for x.level > 1 && x.head.next[x.level-1] == nil {
		x.level--
	}
}

// Wait implements TaskStore.
func (s *MemoryStore) Wait(ctx context.Context, key string, version int64) error {
	s.mu.Lock()
	current := int64(0)
	if e, ok := s.entries[key]; ok {
		current = e.version
	}
	if current != version {
		s.mu.Unlock()
		return nil
	}
	ch, ok := s.changed[key]
	if !ok {
		ch = make(chan struct{})
		s.changed[key] = ch
	}
	s.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
