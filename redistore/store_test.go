package redistore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/mcpgen-dev/mcpgen/redistore"
	"github.com/mcpgen-dev/mcpgen/redistore/internal/redisserver"
	"github.com/mcpgen-dev/mcpgen/storetest"
)

// newStore returns a store on srv with its own prefix, closed when t ends.
func newStore(t testing.TB, srv *redisserver.Server, opts redistore.Options) *redistore.Store {
	t.Helper()
	s, err := redistore.New(context.Background(), srv.Client(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestContract(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts redistore.Options
	}{
		// With a poll of a minute, every Wait that returns in the suite's
		// 5s was woken by a message: writes and deletes by the store's
		// channel, expiry by the keyspace notification. The prefix holds
		// the characters a subscription pattern must escape.
		{"KeyspaceEvents", redistore.Options{Prefix: "ks*[?]\\:", KeyspaceEvents: true, PollInterval: time.Minute}},
		// With notifications off (a fresh server), expiry wakes Wait by
		// the poll alone.
		{"Polling", redistore.Options{PollInterval: 200 * time.Millisecond}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := redisserver.Start(t)
			storetest.Run(t, func(t *testing.T) storetest.Store { return newStore(t, srv, tc.opts) })
		})
	}
}

// TestListDropsExpiredKeys: List skips, and removes from the index, the
// keys that expired, even a run longer than one script looks at.
func TestListDropsExpiredKeys(t *testing.T) {
	srv := redisserver.Start(t)
	s := newStore(t, srv, redistore.Options{Prefix: "exp:"})
	ctx := context.Background()
	const expired = 2500 // more than two scripts' budget
	for i := range expired {
		if _, ok, err := s.CompareAndSwap(ctx, fmt.Sprintf("a/%05d", i), 0, []byte("x"), time.Millisecond); !ok || err != nil {
			t.Fatalf("CompareAndSwap: %v %v", ok, err)
		}
	}
	for _, k := range []string{"a/live1", "a/live2"} {
		if _, ok, err := s.CompareAndSwap(ctx, k, 0, []byte("y"), 0); !ok || err != nil {
			t.Fatalf("CompareAndSwap: %v %v", ok, err)
		}
	}
	time.Sleep(50 * time.Millisecond)
	keys, next, err := s.List(ctx, "a/", "", 1)
	if err != nil || !slices.Equal(keys, []string{"a/live1"}) || next != "a/live1" {
		t.Fatalf("List = %q, %q, %v; want [a/live1] and a cursor", keys, next, err)
	}
	keys, next, err = s.List(ctx, "a/", next, 10)
	if err != nil || !slices.Equal(keys, []string{"a/live2"}) || next != "" {
		t.Fatalf("List from a/live1 = %q, %q, %v; want [a/live2], the end", keys, next, err)
	}
	if n, err := srv.Client(t).ZCard(ctx, "exp:idx").Result(); err != nil || n != 2 {
		t.Errorf("the index holds %d members (%v) after List; want the 2 live keys", n, err)
	}
}

// TestRedisDown: while Redis is down the store's calls fail with an
// error (never a lost race); a Wait keeps waiting and, once Redis is back
// (empty), returns, since its key is gone.
func TestRedisDown(t *testing.T) {
	srv := redisserver.Start(t)
	s := newStore(t, srv, redistore.Options{PollInterval: 100 * time.Millisecond})
	ctx := context.Background()
	v, ok, err := s.CompareAndSwap(ctx, "k", 0, []byte("x"), 0)
	if !ok || err != nil {
		t.Fatal(ok, err)
	}
	waited := make(chan error, 1)
	go func() { waited <- s.Wait(ctx, "k", v) }()
	srv.Stop()
	if _, _, err := s.Get(ctx, "k"); err == nil {
		t.Error("Get with Redis down: no error")
	}
	if _, ok, err := s.CompareAndSwap(ctx, "k", v, []byte("y"), 0); err == nil || ok {
		t.Errorf("CompareAndSwap with Redis down: %v, %v; want an error", ok, err)
	}
	select {
	case err := <-waited:
		t.Fatalf("Wait returned %v while Redis was down", err)
	default:
	}
	if err := srv.Restart(0); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("Wait after the restart: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Wait did not return within 10s of Redis coming back without its key")
	}
	if _, ok, err := s.CompareAndSwap(ctx, "k", 0, []byte("z"), 0); !ok || err != nil {
		t.Errorf("CompareAndSwap after the restart: %v, %v", ok, err)
	}
}
