// This file is not built with redistore: replica_test.go adds it to
// cmd/exttasksdemo with go build -overlay, in a workspace of both modules,
// so that the demo's server keeps its tasks in Redis and replicas of it
// serve each other's tasks.

package main

import (
	"context"
	"flag"
	"log"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/redistore"
)

var (
	redisAddr = flag.String("redis", "", "keep the tasks in the Redis at `address` (host:port, or a unix socket's path), shared with other replicas")
	lease     = flag.Duration("lease", 0, "how long a task's lease lasts; the engine's default when zero")
)

func init() {
	configureEngine = func(cfg *exttasks.EngineConfig) {
		if *lease > 0 {
			cfg.Lease = *lease
		}
		if *redisAddr == "" {
			return
		}
		opts := &redis.Options{Addr: *redisAddr, DialTimeout: time.Second}
		if strings.HasPrefix(*redisAddr, "/") {
			opts.Network = "unix"
		}
		store, err := redistore.New(context.Background(), redis.NewClient(opts), redistore.Options{KeyspaceEvents: true})
		if err != nil {
			log.Fatalf("exttasksdemo: %v", err)
		}
		cfg.Store = store
	}
}
