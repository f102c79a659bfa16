package generated_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// greeter is a server's own handler: its tools, and nothing about tasks.
type greeter struct{ mcp.UnimplementedServerHandler }

var greeterTools = []mcp.Tool{{
	Name:        "greet",
	InputSchema: mcp.ToolInputSchema{Properties: map[string]map[string]any{"name": {"type": "string"}}},
	Execution:   &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportOptional},
}}

func (greeter) ListTools(ctx context.Context, p *mcp.PaginatedRequestParams) (*mcp.ListToolsResult, error) {
	return &mcp.ListToolsResult{Tools: greeterTools}, nil
}

func (greeter) CallTool(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
	name, _ := p.Arguments["name"].(string)
	return &mcp.CallToolResult{Content: []mcp.ContentBlock{&mcp.TextContent{Text: "Hello, " + name + "!"}}}, nil
}

// A complete core-era server: its tools, the generated engine for every
// task rule, and the generated dispatcher in front of both. The transport's
// part is two lines per request: the Peer back to the client, and the
// reply gate it opens once the reply is written.
func ExampleEngine() {
	engine := mcp.NewEngine(mcp.EngineOptions{})
	server := &mcp.ServerDispatcher{
		Handler:         engine.ServerHandler(greeter{}),
		Capabilities:    mcp.ServerCapabilities{Tools: &mcp.ServerCapabilitiesTools{}, Tasks: engine.ServerTasks()},
		ToolTaskSupport: mcp.ToolTaskSupportOf(greeterTools),
	}

	client := &printingPeer{}
	serve := func(method, params string) (json.RawMessage, *mcp.Error) {
		ctx, replied := mcp.WithReplyGate(mcp.WithPeer(context.Background(), client))
		defer replied() // after the reply is written
		res, err := server.Dispatch(ctx, method, json.RawMessage(params))
		return res, err
	}

	res, _ := serve(mcp.MethodCallTool, `{"name":"greet","arguments":{"name":"Ada"},"task":{"ttl":60000}}`)
	var created mcp.CreateTaskResult
	created.UnmarshalJSON(res)
	fmt.Printf("tools/call: a task, %s, kept %d ms\n", created.Task.Status, *created.Task.TTL)
	task := `{"taskId":"` + created.Task.TaskID + `"}`

	res, _ = serve(mcp.MethodGetTaskPayload, task) // waits for the task
	var result mcp.CallToolResult
	result.UnmarshalJSON(res)
	related, _ := mcp.RelatedTaskOf(result.Meta)
	fmt.Printf("tasks/result: %s (related task: %v)\n", result.Content[0].(*mcp.TextContent).Text, related.TaskID == created.Task.TaskID)

	res, _ = serve(mcp.MethodGetTask, task)
	var got mcp.GetTaskResult
	got.UnmarshalJSON(res)
	fmt.Println("tasks/get:", got.Status)

	_, err := serve(mcp.MethodCancelTask, task)
	fmt.Println("tasks/cancel:", err.Code, err.Message)

	engine.Close(context.Background())
	client.print()
	// Output:
	// tools/call: a task, working, kept 60000 ms
	// tasks/result: Hello, Ada! (related task: true)
	// tasks/get: completed
	// tasks/cancel: -32602 cannot cancel a task that is already completed
	// notifications/tasks/status: completed
}

// TestReadmeQuotesExampleEngine: the README's section on the engine quotes
// ExampleEngine: each line of its code block, but for the comments that
// begin "// …", is a line of this file.
func TestReadmeQuotesExampleEngine(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("example_engine_test.go")
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(string(src), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	_, section, ok := strings.Cut(string(readme), "## Tasks: the engine\n")
	_, block, ok2 := strings.Cut(section, "```go\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("README.md has no Go code block under \"## Tasks: the engine\"")
	}
	quoted := 0
	for _, l := range strings.Split(block, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "// …") {
			continue
		}
		quoted++
		if !lines[l] {
			t.Errorf("README.md quotes a line ExampleEngine does not have: %s", l)
		}
	}
	if quoted < 8 {
		t.Errorf("the README quotes %d lines of ExampleEngine", quoted)
	}
}

// printingPeer stands for the client's side of the connection.
type printingPeer struct {
	mu    sync.Mutex
	notes []string
}

func (p *printingPeer) Call(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
	return nil, &mcp.Error{Code: mcp.CodeMethodNotFound, Message: "no input here"}
}

func (p *printingPeer) Notify(ctx context.Context, method string, params json.RawMessage) error {
	var n mcp.TaskStatusNotificationParams
	n.UnmarshalJSON(params)
	p.mu.Lock()
	p.notes = append(p.notes, method+": "+string(n.Status))
	p.mu.Unlock()
	return nil
}

func (p *printingPeer) print() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, n := range p.notes {
		fmt.Println(n)
	}
}
