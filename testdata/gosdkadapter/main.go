// Command gosdkadapter is an example of github.com/mcpgen-dev/mcpgen/gosdk:
// a go-sdk server whose "countdown" tool runs as an MCP task (only: its
// task support is "required"). It serves
// stdio, or Streamable HTTP with -http ADDR.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpgen-dev/mcpgen/gosdk"
)

type countdownArgs struct {
	From int `json:"from" jsonschema:"seconds to count down from"`
}

// countdown counts down a second at a time: long enough to be worth a task,
// and it stops when the task is cancelled.
func countdown(ctx context.Context, req *mcp.CallToolRequest, in countdownArgs) (*mcp.CallToolResult, any, error) {
	for n := in.From; n > 0; n-- {
		select {
		case <-time.After(time.Second):
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "liftoff"}}}, nil, nil
}

func main() {
	addr := flag.String("http", "", "serve Streamable HTTP on this address instead of stdio")
	flag.Parse()

	server := mcp.NewServer(&mcp.Implementation{Name: "countdown", Version: "1.0.0"}, nil)
	tasks, err := gosdk.New(server, nil) // tasks in memory; see gosdk.Options for a store
	if err != nil {
		log.Fatal(err)
	}
	defer tasks.Close(context.Background())
	if err := gosdk.AddTool(tasks, &mcp.Tool{Name: "countdown", Description: "Counts down to liftoff."}, countdown, gosdk.Required); err != nil {
		log.Fatal(err)
	}

	if *addr != "" {
		h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, nil)
		log.Fatal(http.ListenAndServe(*addr, gosdk.WrapHTTPHandler(h)))
	}
	if err := server.Run(context.Background(), gosdk.StdioTransport()); err != nil {
		log.Fatal(err)
	}
}
