// Package redistore is a task store on Redis (or Valkey) for the task
// engines that mcpgen generates: a Store has the method set of every
// generated package's TaskStore (Get, CompareAndSwap, Delete, List, Wait,
// standard-library types only), so one Store serves the 2025-11-25 engine,
// the tasks extension's engine and their prefixed or vendored copies alike,
// with no adapter.
//
// Engines of several processes that share one Redis serve each other's
// tasks: every change is a compare-and-set done by a Lua script, so a task
// is created, moved and ended exactly once however many replicas race; a
// write returns only after Redis applied it, so an engine answers a
// CreateTaskResult only for a task that any replica can read.
//
// Layout, under the configured prefix P:
//
//	P k:KEY   a hash: v (the value) and n (its version); PEXPIRE for a ttl
//	P idx     a sorted set of every KEY written, for List (ZRANGEBYLEX)
//	P seq     the counter versions are taken from
//	P c:KEY   the channel each write or delete of KEY is published on
//
// Members of idx whose key expired are removed when List meets them. Wait
// wakes on the channel and, when keyspace notifications are on, on the
// key's expiry; it also polls, so that a message lost while the
// subscription reconnects, or an expiry with notifications off, delays it
// by at most one poll interval.
//
// The scripts touch keys they do not declare, so the store needs a single
// primary (with replicas or Sentinel as the deployment likes), not Redis
// Cluster.
package redistore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultPrefix is the key prefix of a Store whose Options leave it empty.
const DefaultPrefix = "mcpgen:"

// DefaultPollInterval is how often Wait looks at its key again when no
// message came.
const DefaultPollInterval = time.Second

// Options configure a Store. The zero value is usable.
type Options struct {
	// Prefix starts every Redis key and channel of the store, so that
	// several stores share a database; DefaultPrefix when empty.
	Prefix string
	// PollInterval bounds how late Wait returns after a change whose
	// message it missed; DefaultPollInterval when zero.
	PollInterval time.Duration
	// KeyspaceEvents makes New turn on the keyspace notifications of
	// expired keys (it adds "Kx" to notify-keyspace-events with CONFIG
	// SET), so that Wait returns as soon as a key expires rather than at
	// its next poll. Leave it off where CONFIG is not allowed, and set
	// notify-keyspace-events there yourself if you want them.
	KeyspaceEvents bool
}

// Store is a TaskStore on Redis. Make one with New; Close releases its
// subscription. It is safe for concurrent use.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
	poll   time.Duration
	ps     *redis.PubSub
	done   chan struct{} // closed when the subscription's reader returns

	mu      sync.Mutex
	waiters map[string]map[chan struct{}]struct{} // by key
}

// New returns a Store on rdb. It subscribes to the store's channels, and
// returns only once the subscription is in place, so that no Wait misses
// a change. The client stays the caller's: Close does not close it.
func New(ctx context.Context, rdb redis.UniversalClient, opts Options) (*Store, error) {
	s := &Store{
		rdb:     rdb,
		prefix:  opts.Prefix,
		poll:    opts.PollInterval,
		done:    make(chan struct{}),
		waiters: map[string]map[chan struct{}]struct{}{},
	}
	if s.prefix == "" {
		s.prefix = DefaultPrefix
	}
	if s.poll <= 0 {
		s.poll = DefaultPollInterval
	}
	if opts.KeyspaceEvents {
		if err := enableExpiredEvents(ctx, rdb); err != nil {
			return nil, err
		}
	}
	pattern := globEscape(s.prefix)
	s.ps = rdb.PSubscribe(ctx, pattern+"c:*", "__keyspace@*__:"+pattern+"k:*")
	if _, err := s.ps.Receive(ctx); err != nil {
		s.ps.Close()
		return nil, fmt.Errorf("redistore: subscribe: %w", err)
	}
	go s.read()
	return s, nil
}

// enableExpiredEvents adds K (keyspace channels) and x (expired events) to
// the server's notify-keyspace-events, keeping what is set already.
func enableExpiredEvents(ctx context.Context, rdb redis.UniversalClient) error {
	cfg, err := rdb.ConfigGet(ctx, "notify-keyspace-events").Result()
	if err != nil {
		return fmt.Errorf("redistore: read notify-keyspace-events: %w", err)
	}
	flags := cfg["notify-keyspace-events"]
	want := flags
	if !strings.Contains(want, "K") {
		want += "K"
	}
	if !strings.ContainsAny(want, "xA") {
		want += "x"
	}
	if want == flags {
		return nil
	}
	if err := rdb.ConfigSet(ctx, "notify-keyspace-events", want).Err(); err != nil {
		return fmt.Errorf("redistore: set notify-keyspace-events to %q: %w", want, err)
	}
	return nil
}

// globEscape quotes the characters a PSUBSCRIBE pattern treats specially.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Close ends the store's subscription; Wait then relies on polling alone.
func (s *Store) Close() error {
	err := s.ps.Close()
	<-s.done
	if err != nil {
		return fmt.Errorf("redistore: close subscription: %w", err)
	}
	return nil
}

// read wakes the waiters of each key a message names. A (re)subscription
// wakes every waiter, since messages may have been lost while the
// connection was down.
func (s *Store) read() {
	defer close(s.done)
	write := s.prefix + "c:"
	for msg := range s.ps.ChannelWithSubscriptions() {
		switch m := msg.(type) {
		case *redis.Subscription:
			s.wakeAll()
		case *redis.Message:
			if key, ok := strings.CutPrefix(m.Channel, write); ok {
				s.wake(key)
				continue
			}
			// __keyspace@DB__:PREFIXk:KEY
			_, rest, ok := strings.Cut(m.Channel, "__:")
			if !ok {
				continue
			}
			if key, ok := strings.CutPrefix(rest, s.prefix+"k:"); ok {
				s.wake(key)
			}
		}
	}
}

func (s *Store) wake(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.waiters[key] {
		signal(ch)
	}
}

func (s *Store) wakeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, set := range s.waiters {
		for ch := range set {
			signal(ch)
		}
	}
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

func (s *Store) dataKey(key string) string { return s.prefix + "k:" + key }
func (s *Store) channel(key string) string { return s.prefix + "c:" + key }
func (s *Store) indexKey() string          { return s.prefix + "idx" }
func (s *Store) seqKey() string            { return s.prefix + "seq" }

// Get implements TaskStore.
func (s *Store) Get(ctx context.Context, key string) ([]byte, int64, error) {
	vals, err := s.rdb.HMGet(ctx, s.dataKey(key), "v", "n").Result()
	if err != nil {
		return nil, 0, fmt.Errorf("redistore: get %q: %w", key, err)
	}
	if len(vals) != 2 || vals[1] == nil {
		return nil, 0, nil
	}
	value, ok1 := vals[0].(string)
	n, ok2 := vals[1].(string)
	version, err := strconv.ParseInt(n, 10, 64)
	if !ok1 || !ok2 || err != nil || version <= 0 {
		return nil, 0, fmt.Errorf("redistore: get %q: malformed record (version %v)", key, vals[1])
	}
	return []byte(value), version, nil
}

// casScript writes ARGV[2] under KEYS[1] if its version is ARGV[1] (0:
// absent), with a version from the counter KEYS[2]; it indexes new keys in
// KEYS[3], sets or clears the expiry (ARGV[3] ms) and publishes on ARGV[5].
// It returns the new version, or 0 when the version did not match.
var casScript = redis.NewScript(`
local cur = redis.call('HGET', KEYS[1], 'n')
local curv = 0
if cur then curv = tonumber(cur) end
if curv ~= tonumber(ARGV[1]) then return 0 end
local v = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'n', v)
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
else
  redis.call('PERSIST', KEYS[1])
end
if curv == 0 then redis.call('ZADD', KEYS[3], 0, ARGV[4]) end
redis.call('PUBLISH', ARGV[5], v)
return v
`)

// CompareAndSwap implements TaskStore.
func (s *Store) CompareAndSwap(ctx context.Context, key string, old int64, value []byte, ttl time.Duration) (int64, bool, error) {
	if old < 0 {
		return 0, false, nil
	}
	ms := int64(0)
	if ttl > 0 {
		ms = max(ttl.Milliseconds(), 1)
	}
	v, err := casScript.Run(ctx, s.rdb,
		[]string{s.dataKey(key), s.seqKey(), s.indexKey()},
		old, value, ms, key, s.channel(key)).Int64()
	if err != nil {
		return 0, false, fmt.Errorf("redistore: compare-and-swap %q: %w", key, err)
	}
	return v, v > 0, nil
}

// deleteScript removes KEYS[1] (and its member ARGV[2] of the index
// KEYS[2]) if its version is ARGV[1], and publishes on ARGV[3].
var deleteScript = redis.NewScript(`
local cur = redis.call('HGET', KEYS[1], 'n')
if not cur or tonumber(cur) ~= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('PUBLISH', ARGV[3], 0)
return 1
`)

// Delete implements TaskStore.
func (s *Store) Delete(ctx context.Context, key string, old int64) (bool, error) {
	n, err := deleteScript.Run(ctx, s.rdb, []string{s.dataKey(key), s.indexKey()}, old, key, s.channel(key)).Int64()
	if err != nil {
		return false, fmt.Errorf("redistore: delete %q: %w", key, err)
	}
	return n == 1, nil
}

// listScript returns up to ARGV[3] members of the index KEYS[1] from the
// lexicographic bound ARGV[1] on that start with ARGV[2] and whose key
// (ARGV[4] .. member) exists, removing the members of keys that expired.
// It looks at no more than ARGV[5] members: its second result is the last
// member it looked at when it stopped for that reason, "" otherwise.
var listScript = redis.NewScript(`
local out = {}
local start = ARGV[1]
local pre = ARGV[2]
local limit = tonumber(ARGV[3])
local budget = tonumber(ARGV[5])
while true do
  local batch = redis.call('ZRANGEBYLEX', KEYS[1], start, '+', 'LIMIT', 0, 100)
  if #batch == 0 then return {out, ''} end
  for _, m in ipairs(batch) do
    if string.sub(m, 1, #pre) ~= pre then return {out, ''} end
    if redis.call('EXISTS', ARGV[4] .. m) == 1 then
      out[#out + 1] = m
      if #out >= limit then return {out, ''} end
    else
      redis.call('ZREM', KEYS[1], m)
    end
    budget = budget - 1
    if budget <= 0 then return {out, m} end
  end
  start = '(' .. batch[#batch]
end
`)

// listBudget bounds the index members one run of listScript looks at, so
// that a long run of expired members does not hold Redis for long.
const listBudget = 1000

// List implements TaskStore.
func (s *Store) List(ctx context.Context, prefix, cursor string, limit int) ([]string, string, error) {
	if limit <= 0 {
		return nil, "", nil
	}
	var keys []string
	after := cursor // exclusive, when at or after prefix
	for {
		start := "[" + prefix
		if after != "" && after >= prefix {
			start = "(" + after
		}
		res, err := listScript.Run(ctx, s.rdb, []string{s.indexKey()},
			start, prefix, limit+1-len(keys), s.prefix+"k:", listBudget).Slice()
		if err != nil {
			return nil, "", fmt.Errorf("redistore: list %q: %w", prefix, err)
		}
		page, resume, err := listReply(res)
		if err != nil {
			return nil, "", fmt.Errorf("redistore: list %q: %w", prefix, err)
		}
		keys = append(keys, page...)
		if len(keys) > limit {
			keys = keys[:limit]
			return keys, keys[limit-1], nil
		}
		if resume == "" {
			return keys, "", nil
		}
		after = resume
	}
}

func listReply(res []any) ([]string, string, error) {
	if len(res) != 2 {
		return nil, "", errors.New("malformed reply of the list script")
	}
	resume, _ := res[1].(string)
	items, _ := res[0].([]any)
	keys := make([]string, 0, len(items))
	for _, it := range items {
		k, ok := it.(string)
		if !ok {
			return nil, "", errors.New("malformed reply of the list script")
		}
		keys = append(keys, k)
	}
	return keys, resume, nil
}

// Wait implements TaskStore. It returns nil once key's version is not
// version, or ctx's error; while Redis cannot be reached it keeps trying,
// once per poll interval, until ctx ends.
func (s *Store) Wait(ctx context.Context, key string, version int64) error {
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	set := s.waiters[key]
	if set == nil {
		set = map[chan struct{}]struct{}{}
		s.waiters[key] = set
	}
	set[ch] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(set, ch)
		if len(set) == 0 {
			delete(s.waiters, key)
		}
		s.mu.Unlock()
	}()
	timer := time.NewTimer(s.poll)
	defer timer.Stop()
	for {
		// The waiter is registered before the version is read, so that a
		// change after the read wakes it.
		v, err := s.version(ctx, key)
		if err == nil && v != version {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		select {
		case <-ch:
		case <-timer.C:
		case <-ctx.Done():
			return ctx.Err()
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(s.poll)
	}
}

// version reads only key's version: 0 when it is absent.
func (s *Store) version(ctx context.Context, key string) (int64, error) {
	n, err := s.rdb.HGet(ctx, s.dataKey(key), "n").Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return n, err
}
