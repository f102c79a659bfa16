// Package storetest is the contract test of the task engine's storage: one
// suite that every TaskStore runs against itself, the memory store that
// mcpgen generates and the Redis store alike, as testing/fstest.TestFS does
// for file systems.
//
// A generated package's TaskStore interface uses only standard-library
// types, so any implementation of it is a Store here.
package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// Store is the method set of the TaskStore interface of every package
// mcpgen generates with a task engine.
type Store interface {
	Get(ctx context.Context, key string) (value []byte, version int64, err error)
	CompareAndSwap(ctx context.Context, key string, old int64, value []byte, ttl time.Duration) (version int64, ok bool, err error)
	Delete(ctx context.Context, key string, old int64) (ok bool, err error)
	List(ctx context.Context, prefix, cursor string, limit int) (keys []string, next string, err error)
	Wait(ctx context.Context, key string, version int64) error
}

// Run runs the contract against stores made by newStore, one for each
// subtest: each gets a store of its own, or one whose keys do not collide
// with other tests' (Run's keys all start with the subtest's name).
func Run(t *testing.T, newStore func(t *testing.T) Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s Store, key func(string) string)
	}{
		{"GetAbsent", testGetAbsent},
		{"CreateOnce", testCreateOnce},
		{"CompareAndSwap", testCompareAndSwap},
		{"Delete", testDelete},
		{"Expiry", testExpiry},
		{"WriteResetsExpiry", testWriteResetsExpiry},
		{"List", testList},
		{"WaitWakes", testWaitWakes},
		{"WaitStale", testWaitStale},
		{"WaitContext", testWaitContext},
		{"ConcurrentCompareAndSwap", testConcurrentCAS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			ns := fmt.Sprintf("storetest/%s/%d/", tt.name, time.Now().UnixNano())
			tt.fn(t, s, func(k string) string { return ns + k })
		})
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func mustCAS(t *testing.T, s Store, key string, old int64, value string, ttl time.Duration) int64 {
	t.Helper()
	v, ok, err := s.CompareAndSwap(ctx(t), key, old, []byte(value), ttl)
	if err != nil || !ok {
		t.Fatalf("CompareAndSwap(%q, %d, %q) = %d, %v, %v; want a new version", key, old, value, v, ok, err)
	}
	if v <= 0 || v == old {
		t.Fatalf("CompareAndSwap(%q, %d) gave version %d; want a positive new version", key, old, v)
	}
	return v
}

func wantValue(t *testing.T, s Store, key, value string, version int64) {
	t.Helper()
	got, v, err := s.Get(ctx(t), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	if string(got) != value || v != version {
		t.Fatalf("Get(%q) = %q, %d; want %q, %d", key, got, v, value, version)
	}
}

func wantAbsent(t *testing.T, s Store, key string) {
	t.Helper()
	got, v, err := s.Get(ctx(t), key)
	if err != nil || got != nil || v != 0 {
		t.Fatalf("Get(%q) = %q, %d, %v; want absent (nil, 0, nil)", key, got, v, err)
	}
}

func testGetAbsent(t *testing.T, s Store, key func(string) string) {
	wantAbsent(t, s, key("nothing"))
}

func testCreateOnce(t *testing.T, s Store, key func(string) string) {
	k := key("task")
	v := mustCAS(t, s, k, 0, "first", 0)
	if _, ok, err := s.CompareAndSwap(ctx(t), k, 0, []byte("second"), 0); err != nil || ok {
		t.Fatalf("a second create of %q: ok %v, err %v; want refused", k, ok, err)
	}
	wantValue(t, s, k, "first", v)
}

func testCompareAndSwap(t *testing.T, s Store, key func(string) string) {
	k := key("task")
	v1 := mustCAS(t, s, k, 0, "working", 0)
	v2 := mustCAS(t, s, k, v1, "completed", 0)
	if v2 <= v1 {
		t.Fatalf("versions went %d then %d; want them to increase", v1, v2)
	}
	if _, ok, err := s.CompareAndSwap(ctx(t), k, v1, []byte("cancelled"), 0); err != nil || ok {
		t.Fatalf("a write at the stale version %d: ok %v, err %v; want refused", v1, ok, err)
	}
	wantValue(t, s, k, "completed", v2)
	if _, ok, err := s.CompareAndSwap(ctx(t), key("absent"), 7, []byte("x"), 0); err != nil || ok {
		t.Fatalf("a write to an absent key at version 7: ok %v, err %v; want refused", ok, err)
	}
	wantAbsent(t, s, key("absent"))
	// The value is the store's own copy.
	value := []byte("kept")
	v3, _, _ := s.CompareAndSwap(ctx(t), k, v2, value, 0)
	value[0] = 'X'
	got, _, _ := s.Get(ctx(t), k)
	got[0] = 'Y'
	wantValue(t, s, k, "kept", v3)
}

func testDelete(t *testing.T, s Store, key func(string) string) {
	k := key("task")
	v := mustCAS(t, s, k, 0, "a", 0)
	if ok, err := s.Delete(ctx(t), k, v+1000); err != nil || ok {
		t.Fatalf("Delete at a wrong version: ok %v, err %v; want refused", ok, err)
	}
	wantValue(t, s, k, "a", v)
	if ok, err := s.Delete(ctx(t), k, v); err != nil || !ok {
		t.Fatalf("Delete at the version: ok %v, err %v", ok, err)
	}
	wantAbsent(t, s, k)
	// A key created again gets a version above any it had.
	if v2 := mustCAS(t, s, k, 0, "b", 0); v2 <= v {
		t.Fatalf("re-created key has version %d, not above the deleted %d", v2, v)
	}
}

// eventually polls cond for up to five seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func testExpiry(t *testing.T, s Store, key func(string) string) {
	short, long := key("short"), key("long")
	mustCAS(t, s, short, 0, "x", 100*time.Millisecond)
	vl := mustCAS(t, s, long, 0, "y", time.Hour)
	eventually(t, "a key with a 100ms ttl expires", func() bool {
		_, v, err := s.Get(ctx(t), short)
		return err == nil && v == 0
	})
	wantValue(t, s, long, "y", vl)
	keys, _, err := s.List(ctx(t), key(""), "", 10)
	if err != nil || !slices.Equal(keys, []string{long}) {
		t.Fatalf("List after expiry = %q, %v; want only %q", keys, err, long)
	}
}

func testWriteResetsExpiry(t *testing.T, s Store, key func(string) string) {
	k := key("task")
	v := mustCAS(t, s, k, 0, "x", 150*time.Millisecond)
	v = mustCAS(t, s, k, v, "y", 0) // no expiry from now on
	time.Sleep(400 * time.Millisecond)
	wantValue(t, s, k, "y", v)
}

func testList(t *testing.T, s Store, key func(string) string) {
	var want []string
	for i := range 25 {
		k := key(fmt.Sprintf("owner/a/%02d", i))
		mustCAS(t, s, k, 0, "t", 0)
		want = append(want, k)
	}
	mustCAS(t, s, key("owner/b/00"), 0, "other owner", 0)
	mustCAS(t, s, key("owner/a"), 0, "no slash: not under owner/a/", 0)
	var got []string
	cursor := ""
	for page := 0; ; page++ {
		keys, next, err := s.List(ctx(t), key("owner/a/"), cursor, 10)
		if err != nil {
			t.Fatalf("List page %d: %v", page, err)
		}
		if len(keys) > 10 {
			t.Fatalf("List page %d has %d keys, above the limit 10", page, len(keys))
		}
		got = append(got, keys...)
		if page == 0 {
			// A key written between pages, before the cursor, changes
			// nothing that follows.
			mustCAS(t, s, key("owner/a/00a"), 0, "late", 0)
		}
		if next == "" {
			break
		}
		if page > 5 {
			t.Fatal("List does not end")
		}
		cursor = next
	}
	if !slices.Equal(got, want) {
		t.Fatalf("List pages gave %q\nwant %q", got, want)
	}
}

func testWaitWakes(t *testing.T, s Store, key func(string) string) {
	for _, change := range []string{"write", "delete", "expire"} {
		t.Run(change, func(t *testing.T) {
			k := key(change)
			ttl := time.Duration(0)
			if change == "expire" {
				ttl = 200 * time.Millisecond
			}
			v := mustCAS(t, s, k, 0, "x", ttl)
			done := make(chan error, 1)
			go func() { done <- s.Wait(ctx(t), k, v) }()
			select {
			case err := <-done:
				t.Fatalf("Wait returned %v before any change", err)
			case <-time.After(50 * time.Millisecond):
			}
			switch change {
			case "write":
				mustCAS(t, s, k, v, "y", 0)
			case "delete":
				if ok, err := s.Delete(ctx(t), k, v); !ok || err != nil {
					t.Fatalf("Delete: %v %v", ok, err)
				}
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("Wait after a %s: %v", change, err)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("Wait did not return within 5s of a %s", change)
			}
		})
	}
}

func testWaitStale(t *testing.T, s Store, key func(string) string) {
	k := key("task")
	v1 := mustCAS(t, s, k, 0, "x", 0)
	mustCAS(t, s, k, v1, "y", 0)
	c, cancel := context.WithTimeout(ctx(t), 2*time.Second)
	defer cancel()
	if err := s.Wait(c, k, v1); err != nil {
		t.Fatalf("Wait at a version already replaced: %v; want nil at once", err)
	}
	if err := s.Wait(c, key("absent"), 5); err != nil {
		t.Fatalf("Wait at version 5 of an absent key: %v; want nil at once", err)
	}
}

func testWaitContext(t *testing.T, s Store, key func(string) string) {
	k := key("task")
	v := mustCAS(t, s, k, 0, "x", 0)
	c, cancel := context.WithTimeout(ctx(t), 100*time.Millisecond)
	defer cancel()
	if err := s.Wait(c, k, v); err == nil {
		t.Fatal("Wait with no change returned nil; want the context's error")
	}
	if err := s.Wait(c, key("absent"), 0); err == nil {
		t.Fatal("Wait on an absent key at version 0 returned nil; want the context's error")
	}
}

// testConcurrentCAS has writers race to add to one counter: every
// successful write must be seen by the next, so none is lost.
func testConcurrentCAS(t *testing.T, s Store, key func(string) string) {
	k := key("counter")
	mustCAS(t, s, k, 0, "0", 0)
	const writers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				for {
					value, v, err := s.Get(ctx(t), k)
					if err != nil {
						errs <- err
						return
					}
					var n int
					fmt.Sscan(string(value), &n)
					_, ok, err := s.CompareAndSwap(ctx(t), k, v, []byte(fmt.Sprint(n+1)), 0)
					if err != nil {
						errs <- err
						return
					}
					if ok {
						break
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	value, _, _ := s.Get(ctx(t), k)
	if string(value) != fmt.Sprint(writers*each) {
		t.Fatalf("counter is %s after %d increments", value, writers*each)
	}
}
