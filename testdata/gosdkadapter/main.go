// Command gosdkadapter is an example of github.com/mcpgen-dev/mcpgen/gosdk:
// a go-sdk server whose "report" tool also runs as an MCP task. It serves
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

type reportArgs struct {
	Topic string `json:"topic"`
}

type report struct {
	Summary string `json:"summary"`
}

func writeReport(ctx context.Context, req *mcp.CallToolRequest, in reportArgs) (*mcp.CallToolResult, report, error) {
	select {
	case <-time.After(2 * time.Second): // the long work a task is for
	case <-ctx.Done():
		return nil, report{}, ctx.Err()
	}
	return nil, report{Summary: "a report on " + in.Topic}, nil
}

func main() {
	addr := flag.String("http", "", "serve Streamable HTTP on this address instead of stdio")
	flag.Parse()

	server := mcp.NewServer(&mcp.Implementation{Name: "reports", Version: "1.0.0"}, nil)
	tasks, err := gosdk.New(server, nil) // tasks in memory; see gosdk.Options for a store
	if err != nil {
		log.Fatal(err)
	}
	defer tasks.Close(context.Background())
	if err := gosdk.AddTool(tasks, &mcp.Tool{Name: "report", Description: "Writes a report."}, writeReport, gosdk.Optional); err != nil {
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
