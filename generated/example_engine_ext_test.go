package generated_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
)

// A server of the tasks extension is its tools plus a few lines: the engine
// decides per call between a result and a task, runs the work detached from
// the request, and serves tasks/get, tasks/update and tasks/cancel.
func Example_extensionTaskEngine() {
	engine := exttasks.NewEngine(exttasks.EngineConfig{PollInterval: 10 * time.Millisecond})
	defer engine.Close(context.Background())

	type tool struct {
		support exttasks.TaskSupport
		work    func(args map[string]any) exttasks.TaskWork
	}
	tools := map[string]tool{
		"report": {exttasks.TaskRequired, func(map[string]any) exttasks.TaskWork {
			return func(ctx context.Context, _ *exttasks.TaskRun) (any, error) {
				time.Sleep(20 * time.Millisecond) // the slow part
				return textResult("report ready"), nil
			}
		}},
		"delete": {exttasks.TaskOptional, func(args map[string]any) exttasks.TaskWork {
			return func(ctx context.Context, run *exttasks.TaskRun) (any, error) {
				file, _ := args["file"].(string)
				answers, err := run.Ask(ctx, exttasks.InputRequests{"confirm": &exttasks.ElicitRequest{
					Params: &exttasks.ElicitRequestFormParams{Message: "Delete " + file + "?"},
				}})
				if err != nil {
					return nil, err
				}
				if a, ok := answers["confirm"].(*exttasks.ElicitResult); !ok || a.Action != exttasks.ElicitResultActionAccept {
					return textResult("kept " + file), nil
				}
				return textResult("deleted " + file), nil
			}
		}},
	}

	// serve answers one request: tools/call through the engine, the tasks
	// methods (and -32601 for the rest) through its dispatcher.
	serve := func(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
		if method != "tools/call" {
			res, rpcErr := engine.Dispatch(ctx, method, params)
			if rpcErr != nil {
				return nil, rpcErr
			}
			return res, nil
		}
		var call struct {
			Name      string         `json:"name"`
			Arguments map[string]any `json:"arguments"`
			Meta      map[string]any `json:"_meta"`
		}
		if err := json.Unmarshal(params, &call); err != nil {
			return nil, &exttasks.Error{Code: exttasks.CodeInvalidParams, Message: err.Error()}
		}
		t, ok := tools[call.Name]
		if !ok {
			return nil, &exttasks.Error{Code: exttasks.CodeInvalidParams, Message: "unknown tool: " + call.Name}
		}
		ans, err := engine.CallTool(ctx, exttasks.ToolCall{
			Declared: exttasks.ExtensionDeclared(call.Meta),
			Support:  t.support,
			Work:     t.work(call.Arguments),
		})
		switch {
		case err != nil:
			return nil, err
		case ans.Task != nil:
			return json.Marshal(ans.Task)
		}
		return ans.Result, nil
	}

	// A client that declared the extension.
	ctx := context.Background()
	meta := `"_meta":{"io.modelcontextprotocol/clientCapabilities":{"extensions":{"io.modelcontextprotocol/tasks":{}}}}`
	request := func(method, params string) map[string]any {
		raw, err := serve(ctx, method, json.RawMessage(`{`+params+`,`+meta+`}`))
		if err != nil {
			fmt.Println(method, "error:", err)
			return nil
		}
		var m map[string]any
		json.Unmarshal(raw, &m)
		return m
	}
	await := func(id, status string) map[string]any {
		for {
			if t := request("tasks/get", `"taskId":"`+id+`"`); t["status"] == status {
				return t
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	text := func(task map[string]any) any {
		return task["result"].(map[string]any)["content"].([]any)[0].(map[string]any)["text"]
	}

	created := request("tools/call", `"name":"report"`)
	fmt.Println("report:", created["resultType"], created["status"])
	fmt.Println("report:", text(await(created["taskId"].(string), "completed")))

	created = request("tools/call", `"name":"delete","arguments":{"file":"notes.txt"}`)
	id := created["taskId"].(string)
	asked := await(id, "input_required")["inputRequests"].(map[string]any)["confirm"].(map[string]any)
	fmt.Println("delete asks:", asked["params"].(map[string]any)["message"])
	request("tasks/update", `"taskId":"`+id+`","inputResponses":{"confirm":{"action":"accept"}}`)
	fmt.Println("delete:", text(await(id, "completed")))

	request("tasks/result", `"taskId":"`+id+`"`)
	// Output:
	// report: task working
	// report: report ready
	// delete asks: Delete notes.txt?
	// delete: deleted notes.txt
	// tasks/result error: method not found: tasks/result (-32601)
}

func textResult(text string) map[string]any {
	return map[string]any{"content": []any{map[string]any{"type": "text", "text": text}}}
}

// The README's section on the engine quotes Example_extensionTaskEngine:
// each of its Go blocks must be in the example, so that what it shows
// compiles and runs.
func TestReadmeQuotesEngineExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("example_engine_ext_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## The task engine of the tasks extension\n")
	if !ok {
		t.Fatal("README has no section on the extension task engine")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	unindented := func(s string) string {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimLeft(l, "\t ")
		}
		return strings.Join(lines, "\n")
	}
	blocks := strings.Split(section, "```go\n")[1:]
	if len(blocks) == 0 {
		t.Fatal("the README section quotes no Go")
	}
	for _, b := range blocks {
		code, _, _ := strings.Cut(b, "```")
		if !strings.Contains(unindented(string(example)), unindented(strings.TrimSpace(code))) {
			t.Errorf("the README quotes code that is not in example_engine_ext_test.go:\n%s", code)
		}
	}
}
