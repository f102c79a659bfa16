package redistore_test

import (
	"context"
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
