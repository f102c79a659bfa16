package redistore_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	ext "github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/redistore/internal/redisserver"
)

// The extension's engine on Redis against the same on the memory store,
// and against the anchor: go-redis doing the same round trips with no
// engine and no compare-and-set (a pipeline where the store runs a
// script). See BENCHMARKS.md.

func benchStores(b *testing.B) map[string]ext.TaskStore {
	srv := redisserver.Start(b)
	s, _ := replicaStore(b, srv)
	return map[string]ext.TaskStore{"memory": ext.NewMemoryStore(), "redis": s}
}

func benchEngine(b *testing.B, store ext.TaskStore) *ext.Engine {
	e := ext.NewEngine(ext.EngineConfig{Store: store, MaxTasks: 1 << 30, MaxTasksPerOwner: 1 << 30, TTL: time.Minute, Logf: b.Logf})
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		e.Close(ctx)
	})
	return e
}

var benchWork = func(context.Context, *ext.TaskRun) (any, error) {
	return map[string]any{"content": []any{map[string]any{"type": "text", "text": "done"}}}, nil
}

// runToCompletion creates a task and reads it with tasks/get until it is
// completed, waiting on the store (not sleeping) between reads.
func runToCompletion(b *testing.B, e *ext.Engine, store ext.TaskStore) string {
	ctx := context.Background()
	ans, err := e.CallTool(ctx, ext.ToolCall{Declared: true, Support: ext.TaskRequired, Work: benchWork})
	if err != nil {
		b.Fatal(err)
	}
	key := "io.modelcontextprotocol/tasks/" + ans.Task.TaskID
	p := json.RawMessage(`{"taskId":"` + ans.Task.TaskID + `","_meta":` + extMeta + `}`)
	for {
		_, version, err := store.Get(ctx, key)
		if err != nil {
			b.Fatal(err)
		}
		raw, rpcErr := e.Dispatch(ctx, ext.MethodGetTask, p)
		if rpcErr != nil {
			b.Fatal(rpcErr)
		}
		if strings.Contains(string(raw), `"status":"completed"`) {
			return ans.Task.TaskID
		}
		if err := store.Wait(ctx, key, version); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTaskGet is one tasks/get of a completed task through the engine.
func BenchmarkTaskGet(b *testing.B) {
	for _, name := range []string{"memory", "redis"} {
		b.Run(name, func(b *testing.B) {
			store := benchStores(b)[name]
			e := benchEngine(b, store)
			id := runToCompletion(b, e, store)
			p := json.RawMessage(`{"taskId":"` + id + `","_meta":` + extMeta + `}`)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, rpcErr := e.Dispatch(ctx, ext.MethodGetTask, p); rpcErr != nil {
					b.Fatal(rpcErr)
				}
			}
		})
	}
}

// BenchmarkTask is one task through the engine: tools/call creating it,
// its work completing, tasks/get reading the result.
func BenchmarkTask(b *testing.B) {
	for _, name := range []string{"memory", "redis"} {
		b.Run(name, func(b *testing.B) {
			store := benchStores(b)[name]
			e := benchEngine(b, store)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				runToCompletion(b, e, store)
			}
		})
	}
}

// BenchmarkRawRedis is the anchor: the round trips of the benchmarks
// above done with go-redis directly on a record of the same size. Get is
// one HMGET (tasks/get's read). Task is a create (HSET, PEXPIRE, ZADD and
// PUBLISH in one pipeline, where the store runs one script), the work's
// read and its completing write (HMGET; HSET and PUBLISH pipelined), the
// watcher's read and the final tasks/get (two HMGETs): five round trips,
// as the engine's create, complete and read make.
func BenchmarkRawRedis(b *testing.B) {
	srv := redisserver.Start(b)
	c := redis.NewClient(&redis.Options{Network: "unix", Addr: srv.Socket})
	b.Cleanup(func() { c.Close() })
	ctx := context.Background()
	record := strings.Repeat("x", 600)
	write := func(key string, create bool) {
		_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
			p.HSet(ctx, key, "v", record, "n", 1)
			if create {
				p.PExpire(ctx, key, time.Minute)
				p.ZAdd(ctx, "raw:idx", redis.Z{Member: key})
			}
			p.Publish(ctx, "raw:c:"+key, 1)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	read := func(key string) {
		if err := c.HMGet(ctx, key, "v", "n").Err(); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("Get", func(b *testing.B) {
		write("raw:k:get", true)
		b.ReportAllocs()
		for range b.N {
			read("raw:k:get")
		}
	})
	b.Run("Task", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			key := "raw:k:" + string(rune('a'+i%26)) + time.Now().Format("150405.000000000")
			write(key, true)
			read(key)
			write(key, false)
			read(key)
			read(key)
		}
	})
}
