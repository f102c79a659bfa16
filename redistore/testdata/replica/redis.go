// This file is not built with redistore: overlay.json adds it to
// cmd/exttasksdemo, built in the workspace go.work of both modules (see the
// README's "Running tasks across replicas"), so that the demo keeps its
// tasks in Redis and replicas of it serve each other's tasks.

package main

import (
	"context"
	"encoding/hex"
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
	sealKey   = flag.String("state-key", "", "seal the requestState of multi-round tools/calls with this key (`hex`, 32 bytes), the same on every replica; a random one per process when empty")
	maxTasks  = flag.Int("max-tasks", 0, "how many tasks this replica runs at once, per owner and in all; the engine's defaults when zero")
)

func init() {
	configureEngine = func(cfg *exttasks.EngineConfig) {
		if *lease > 0 {
			cfg.Lease = *lease
		}
		if *sealKey != "" {
			key, err := hex.DecodeString(*sealKey)
			if err != nil || len(key) != 32 {
				log.Fatalf("exttasksdemo: -state-key: want 64 hex digits")
			}
			stateKey = (*[32]byte)(key)
		}
		if *maxTasks > 0 {
			cfg.MaxTasks, cfg.MaxTasksPerOwner = *maxTasks, *maxTasks
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
