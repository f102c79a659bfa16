package gosdk_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	gen "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/gosdk"
)

type reportArgs struct {
	Topic string `json:"topic"`
}

type report struct {
	Summary string `json:"summary"`
}

// writeReport is an ordinary go-sdk tool handler.
func writeReport(ctx context.Context, req *mcp.CallToolRequest, in reportArgs) (*mcp.CallToolResult, report, error) {
	select {
	case <-time.After(100 * time.Millisecond): // the long work a task is for
	case <-ctx.Done(): // tasks/cancel, or the engine closing
		return nil, report{}, ctx.Err()
	}
	return nil, report{Summary: "a report on " + in.Topic}, nil
}

func Example() {
	ctx := context.Background()

	// The server: go-sdk as ever, with task support added.
	server := mcp.NewServer(&mcp.Implementation{Name: "reports", Version: "1.0.0"}, nil)
	tasks, err := gosdk.New(server, &gosdk.Options{Engine: gen.EngineOptions{
		// Store: any gen.TaskStore (a gen.MemoryStore when nil).
		PollInterval: 50 * time.Millisecond,
	}})
	if err != nil {
		log.Fatal(err)
	}
	defer tasks.Close(ctx)
	// "optional": a task when the client asks for one, a plain call otherwise.
	if err := gosdk.AddTool(tasks, &mcp.Tool{Name: "report", Description: "Writes a report."}, writeReport, gosdk.Optional); err != nil {
		log.Fatal(err)
	}
	// Serve it with a wrapped transport, which keeps params.task:
	//	server.Run(ctx, gosdk.StdioTransport())
	//	http.Handle("/mcp", gosdk.WrapHTTPHandler(mcp.NewStreamableHTTPHandler(...)))
	// Here, in memory, to a go-sdk client.
	st, ct := mcp.NewInMemoryTransports()
	ss, err := server.Connect(ctx, gosdk.WrapTransport(st), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer ss.Close()

	// The client: go-sdk's, driven through mcpgen's typed client.
	client := mcp.NewClient(&mcp.Implementation{Name: "reader", Version: "1.0.0"}, nil)
	if err := gosdk.RegisterTaskMethods(client); err != nil {
		log.Fatal(err)
	}
	cs, err := client.Connect(ctx, gosdk.WrapClientTransport(ct), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer cs.Close()
	caller := &gen.ServerCaller{Peer: gosdk.NewPeer(cs)}

	created, err := caller.CallToolAsTask(ctx, &gen.CallToolRequestParams{
		Name:      "report",
		Arguments: map[string]any{"topic": "tides"},
		Task:      &gen.TaskMetadata{},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", created.Task.Status)
	task, err := gen.FollowTask(caller, created)
	if err != nil {
		log.Fatal(err)
	}
	var res gen.CallToolResult
	if err := task.Outcome(ctx, &res); err != nil { // polls tasks/get, then tasks/result
		log.Fatal(err)
	}
	last, _ := task.Last()
	fmt.Println("ended:", last.Status)
	fmt.Println("summary:", res.StructuredContent["summary"])
	// Output:
	// created: working
	// ended: completed
	// summary: a report on tides
}
