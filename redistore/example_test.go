package redistore_test

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"

	exttasks "github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/redistore"
)

// Example runs the extension's task engine on Redis; the README quotes it.
// (It has no Output line, so go test compiles it and does not run it: it
// needs a Redis at addr.)
func Example() {
	ctx := context.Background()
	addr := "127.0.0.1:6379"
	store, err := redistore.New(ctx, redis.NewClient(&redis.Options{Addr: addr}), redistore.Options{KeyspaceEvents: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	engine := exttasks.NewEngine(exttasks.EngineConfig{Store: store}) // or mcp20251125.NewEngine, or a prefixed copy
	defer engine.Close(ctx)
}
