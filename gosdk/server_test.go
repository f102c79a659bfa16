package gosdk_test

// The server the tests run: go-sdk tools, some of them task tools, on the
// module's engine.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	gen "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/gosdk"
)

const pollIntervalMS = 50

// taskSupport is the execution.taskSupport of the demo tools.
var taskSupport = map[string]gen.ToolExecutionTaskSupport{
	"echo":     gosdk.Forbidden,
	"slow":     gosdk.Optional,
	"boom":     gosdk.Optional,
	"research": gosdk.Required,
}

type textArgs struct {
	Text string `json:"text"`
}

type slowArgs struct {
	MS   int    `json:"ms" jsonschema:"how long to work, in milliseconds"`
	Text string `json:"text"`
}

type researchArgs struct {
	Topic string `json:"topic"`
}

type researchOut struct {
	Summary string `json:"summary"`
}

func text(s string) *sdk.CallToolResult {
	return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: s}}}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// addTools registers the demo tools with go-sdk, with their task support.
func addTools(tasks *gosdk.Tasks) {
	must(gosdk.AddTool(tasks, &sdk.Tool{Name: "echo", Description: "Echoes text (plain calls only)."},
		func(ctx context.Context, req *sdk.CallToolRequest, in textArgs) (*sdk.CallToolResult, any, error) {
			return text(in.Text), nil, nil
		}, taskSupport["echo"]))
	must(gosdk.AddTool(tasks, &sdk.Tool{Name: "slow", Description: "Works for ms milliseconds, then echoes text."},
		slowTool, taskSupport["slow"]))
	must(gosdk.AddTool(tasks, &sdk.Tool{Name: "boom", Description: "Fails (a tool error, isError)."},
		func(ctx context.Context, req *sdk.CallToolRequest, in textArgs) (*sdk.CallToolResult, any, error) {
			return nil, nil, fmt.Errorf("boom: %s", in.Text)
		}, taskSupport["boom"]))
	must(gosdk.AddTool(tasks, &sdk.Tool{Name: "research", Description: "Writes a report (task-augmented calls only)."},
		func(ctx context.Context, req *sdk.CallToolRequest, in researchArgs) (*sdk.CallToolResult, researchOut, error) {
			select {
			case <-time.After(150 * time.Millisecond):
			case <-ctx.Done():
				return nil, researchOut{}, ctx.Err()
			}
			return nil, researchOut{Summary: "report on " + in.Topic}, nil
		}, taskSupport["research"]))
}

// newServer returns a go-sdk server with the demo tools and task support
// on the engine, with store as its TaskStore (a MemoryStore when nil).
func newServer(logw io.Writer, store gen.TaskStore) (*sdk.Server, *gosdk.Tasks) {
	return newServerWith(logw, gen.EngineOptions{Store: store})
}

// newServerWith is newServer with more engine options.
func newServerWith(logw io.Writer, opts gen.EngineOptions) (*sdk.Server, *gosdk.Tasks) {
	if logw == nil {
		logw = io.Discard
	}
	s := sdk.NewServer(&sdk.Implementation{Name: "gosdk-demo", Version: "0.1.0"},
		&sdk.ServerOptions{Logger: slog.New(slog.NewTextHandler(logw, nil))})
	opts.PollInterval = pollIntervalMS * time.Millisecond
	opts.Logf = func(format string, args ...any) {
		fmt.Fprintf(logw, "engine: "+format+"\n", args...)
	}
	tasks, err := gosdk.New(s, &gosdk.Options{Engine: opts})
	must(err)
	addTools(tasks)
	return s, tasks
}

func slowTool(ctx context.Context, req *sdk.CallToolRequest, in slowArgs) (*sdk.CallToolResult, any, error) {
	select {
	case <-time.After(time.Duration(in.MS) * time.Millisecond):
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	if _, leaked := req.Params.Meta[gosdk.TagKey]; leaked {
		return nil, nil, fmt.Errorf("the adapter's tag reached the tool")
	}
	return text(fmt.Sprintf("slow done: %s", in.Text)), nil, nil
}
