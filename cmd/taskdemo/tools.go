package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// A Tool is one entry of the server's tool table.
type Tool struct {
	// Def is what tools/list shows; Def.Execution.TaskSupport is what the
	// dispatcher enforces (absent = forbidden).
	Def mcp.Tool
	// Hidden keeps the tool out of tools/list (test-only tools).
	Hidden bool
	// Check, if set, validates the arguments before the tool runs, so that
	// bad arguments are answered -32602 at once, with or without a task. It
	// returns an *argError naming the argument.
	Check func(args map[string]any) error
	// Run does the work. A *mcp.Error (or any error) is a JSON-RPC error
	// answer; a result with isError is a tool-level failure.
	Run func(ctx context.Context, args map[string]any) (*mcp.CallToolResult, error)
}

// TaskSupport is the tool's execution.taskSupport, "forbidden" when absent.
func (t *Tool) TaskSupport() mcp.ToolExecutionTaskSupport {
	if t.Def.Execution == nil || t.Def.Execution.TaskSupport == "" {
		return mcp.ToolExecutionTaskSupportForbidden
	}
	return t.Def.Execution.TaskSupport
}

// maxSlowSeconds bounds slow_compute.
const maxSlowSeconds = 600

// DefaultTools is the demo's tool table.
func DefaultTools() []Tool {
	return []Tool{{
		Def: mcp.Tool{
			Name:        "slow_compute",
			Description: "Works for the given number of seconds, then answers with a text result. Must be called as a task.",
			InputSchema: mcp.ToolInputSchema{
				Properties: map[string]map[string]any{
					"seconds": {"type": "number", "minimum": 0, "maximum": maxSlowSeconds, "description": "how long to work"},
				},
				Required: []string{"seconds"},
			},
			Execution: &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportRequired},
		},
		Check: func(args map[string]any) error {
			_, err := secondsArg(args)
			return err
		},
		Run: func(ctx context.Context, args map[string]any) (*mcp.CallToolResult, error) {
			secs, err := secondsArg(args)
			if err != nil {
				return nil, err
			}
			timer := time.NewTimer(time.Duration(secs * float64(time.Second)))
			defer timer.Stop()
			select {
			case <-timer.C:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			return textResult(fmt.Sprintf("slow_compute: computed for %ss", strconv.FormatFloat(secs, 'f', -1, 64)), false), nil
		},
	}, {
		Def: mcp.Tool{
			Name:        "echo",
			Description: "Answers with the given text. May be called plainly or as a task.",
			InputSchema: mcp.ToolInputSchema{
				Properties: map[string]map[string]any{"text": {"type": "string"}},
				Required:   []string{"text"},
			},
			Execution: &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportOptional},
		},
		Check: func(args map[string]any) error {
			_, err := stringArg(args, "text", true)
			return err
		},
		Run: func(ctx context.Context, args map[string]any) (*mcp.CallToolResult, error) {
			text, err := stringArg(args, "text", true)
			if err != nil {
				return nil, err
			}
			return textResult(text, false), nil
		},
	}, {
		Def: mcp.Tool{
			Name: "always_fails",
			Description: `Always fails. mode "result" (default): a CallToolResult with isError true ` +
				`(as a task: status failed, and tasks/result gives that same result). ` +
				`mode "error": a JSON-RPC error -32603 (as a task: status failed, and tasks/result gives that error).`,
			InputSchema: mcp.ToolInputSchema{
				Properties: map[string]map[string]any{"mode": {"type": "string", "enum": []any{"result", "error"}}},
			},
			Execution: &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportOptional},
		},
		Check: func(args map[string]any) error {
			_, err := failMode(args)
			return err
		},
		Run: func(ctx context.Context, args map[string]any) (*mcp.CallToolResult, error) {
			mode, err := failMode(args)
			if err != nil {
				return nil, err
			}
			if mode == "error" {
				return nil, &mcp.Error{Code: mcp.CodeInternalError, Message: "always_fails: simulated protocol error"}
			}
			return textResult("always_fails: simulated tool failure", true), nil
		},
	}, {
		Def: mcp.Tool{
			Name: "confirm_delete",
			Description: "Asks the user (elicitation/create, while the task is input_required) whether to delete the file, " +
				"then says what it did. Must be called as a task.",
			InputSchema: mcp.ToolInputSchema{
				Properties: map[string]map[string]any{"filename": {"type": "string"}},
				Required:   []string{"filename"},
			},
			Execution: &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportRequired},
		},
		Check: func(args map[string]any) error {
			_, err := stringArg(args, "filename", true)
			return err
		},
		Run: func(ctx context.Context, args map[string]any) (*mcp.CallToolResult, error) {
			name, err := stringArg(args, "filename", true)
			if err != nil {
				return nil, err
			}
			var answer mcp.ElicitResult
			err = mcp.RequestInput(ctx, mcp.MethodElicit, &mcp.ElicitRequestFormParams{
				Message: "Delete " + name + "?",
				RequestedSchema: mcp.ElicitRequestFormParamsRequestedSchema{
					Properties: map[string]mcp.PrimitiveSchemaDefinition{"confirm": &mcp.BooleanSchema{Title: "Delete the file"}},
					Required:   []string{"confirm"},
				},
			}, &answer)
			if err != nil {
				return nil, err
			}
			if confirm, _ := answer.Content["confirm"].(mcp.ElicitResultContentValueBoolean); answer.Action == mcp.ElicitResultActionAccept && bool(confirm) {
				return textResult("confirm_delete: deleted "+name, false), nil
			}
			return textResult("confirm_delete: kept "+name+" ("+string(answer.Action)+")", false), nil
		},
	}, {
		Def: mcp.Tool{
			Name:        "greet",
			Description: "Says hello. Has no execution property, so task-augmented calls are refused (forbidden by default).",
			InputSchema: mcp.ToolInputSchema{
				Properties: map[string]map[string]any{"name": {"type": "string"}},
			},
		},
		Check: func(args map[string]any) error {
			_, err := stringArg(args, "name", false)
			return err
		},
		Run: func(ctx context.Context, args map[string]any) (*mcp.CallToolResult, error) {
			name, err := stringArg(args, "name", false)
			if err != nil {
				return nil, err
			}
			if name == "" {
				name = "world"
			}
			return textResult("Hello, "+name+"!", false), nil
		},
	}}
}

func textResult(text string, isError bool) *mcp.CallToolResult {
	res := &mcp.CallToolResult{Content: []mcp.ContentBlock{&mcp.TextContent{Text: text}}}
	if isError {
		res.IsError = &isError
	}
	return res
}

// argError reports a bad tool argument; it answers -32602 with the JSON path
// of the argument, as the dispatcher does for params.
type argError struct {
	name, msg string
}

func (e *argError) Error() string { return "params.arguments." + e.name + ": " + e.msg }

func (e *argError) rpcError() *mcp.Error {
	return &mcp.Error{
		Code:    mcp.CodeInvalidParams,
		Message: "invalid params: " + e.Error(),
		Data:    map[string]any{"path": "params.arguments." + e.name},
	}
}

// asRPCError turns an argument error into its -32602 answer and leaves any
// other error alone.
func asRPCError(err error) error {
	var ae *argError
	if errors.As(err, &ae) {
		return ae.rpcError()
	}
	return err
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number, float64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func secondsArg(args map[string]any) (float64, error) {
	v, ok := args["seconds"]
	if !ok {
		return 0, &argError{"seconds", "required argument is missing"}
	}
	var f float64
	switch n := v.(type) {
	case json.Number: // how the generated decoder gives numbers
		var err error
		if f, err = n.Float64(); err != nil {
			return 0, &argError{"seconds", "not a number: " + n.String()}
		}
	case float64:
		f = n
	default:
		return 0, &argError{"seconds", "expected number, got " + kindOf(v)}
	}
	if f < 0 || f > maxSlowSeconds {
		return 0, &argError{"seconds", fmt.Sprintf("must be between 0 and %d, got %v", maxSlowSeconds, f)}
	}
	return f, nil
}

func stringArg(args map[string]any, name string, required bool) (string, error) {
	v, ok := args[name]
	if !ok {
		if required {
			return "", &argError{name, "required argument is missing"}
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", &argError{name, "expected string, got " + kindOf(v)}
	}
	return s, nil
}

func failMode(args map[string]any) (string, error) {
	mode, err := stringArg(args, "mode", false)
	if err != nil {
		return "", err
	}
	switch mode {
	case "", "result":
		return "result", nil
	case "error":
		return "error", nil
	}
	return "", &argError{"mode", fmt.Sprintf(`expected "result" or "error", got %q`, mode)}
}
