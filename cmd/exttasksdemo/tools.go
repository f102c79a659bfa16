package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/generated/mcpdraft"
)

// A param describes one property of a tool's input schema.
type param struct {
	name, kind, description string
	required                bool
}

// An elicitation is one form the server asks the user to fill in. It is built
// into the request type of whichever package carries it: mcpdraft for an
// InputRequiredResult, exttasks for an input_required task.
type elicitation struct {
	message string
	fields  []formField
}

type formField struct {
	name, title string
	boolean     bool
}

// An answer is the client's reply to one elicitation, whichever package
// decoded it.
type answer struct {
	action  string
	content map[string]any
}

func (a answer) accepted() bool { return a.action == string(mcpdraft.ElicitResultActionAccept) }

func (a answer) text(field string) string {
	s, _ := a.content[field].(string)
	return s
}

func (a answer) flag(field string) bool {
	b, _ := a.content[field].(bool)
	return b
}

// toolInput is what a tool runs on: its arguments and the answers gathered so
// far, by MRTR rounds or by tasks/update.
type toolInput struct {
	args    map[string]any
	answers map[string]answer
}

func (in toolInput) str(name string) string {
	s, _ := in.args[name].(string)
	return s
}

// number reads a numeric argument; decoded params hold numbers as json.Number.
func (in toolInput) number(name string) (float64, bool) {
	switch v := in.args[name].(type) {
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case float64:
		return v, true
	case string:
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	}
	return 0, false
}

// An outcome is one run of a tool: a result, the input it still needs, or a
// JSON-RPC error (a protocol-level failure, not a tool error).
type outcome struct {
	result *mcpdraft.CallToolResult
	need   map[string]elicitation
	err    *exttasks.Error
}

type tool struct {
	name, description string
	params            []param
	support           exttasks.TaskSupport
	// gather lists input collected over MRTR rounds before any task exists
	// (SEP-2663's MRTR → tasks composition): only once every key is answered
	// does the call create its task.
	gather map[string]elicitation
	run    func(ctx context.Context, in toolInput) outcome
}

// missingGather returns the gather inputs not answered yet.
func (t *tool) missingGather(answers map[string]answer) map[string]elicitation {
	var need map[string]elicitation
	for key, el := range t.gather {
		if _, ok := answers[key]; ok {
			continue
		}
		if need == nil {
			need = map[string]elicitation{}
		}
		need[key] = el
	}
	return need
}

// definition is the tool as tools/list shows it.
func (t *tool) definition() mcpdraft.Tool {
	props := map[string]any{}
	var required []string
	for _, p := range t.params {
		props[p.name] = map[string]any{"type": p.kind, "description": p.description}
		if p.required {
			required = append(required, p.name)
		}
	}
	schema := map[string]any{"properties": props}
	if len(required) > 0 {
		schema["required"] = required
	}
	desc := t.description
	switch t.support {
	case exttasks.TaskOptional:
		desc += " Runs as a task for clients that declare " + exttasks.ExtensionID + "."
	case exttasks.TaskRequired:
		desc += " Needs " + exttasks.ExtensionID + ": it always runs as a task."
	}
	return mcpdraft.Tool{
		Name:        t.name,
		Description: desc,
		InputSchema: mcpdraft.ToolInputSchema{AdditionalProperties: schema},
	}
}

func textResult(text string, isError bool) *mcpdraft.CallToolResult {
	r := &mcpdraft.CallToolResult{
		Content:    []mcpdraft.ContentBlock{&mcpdraft.TextContent{Text: text}},
		ResultType: resultComplete,
	}
	if isError {
		r.IsError = &isError
	}
	return r
}

// sleep waits d or until ctx ends, and reports whether it waited it out.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func cancelledOutcome(ctx context.Context) outcome {
	return outcome{err: &exttasks.Error{Code: exttasks.CodeInternalError, Message: "cancelled: " + context.Cause(ctx).Error()}}
}

// toolTimings sets the pace of the fixtures; tests keep the defaults, which
// follow the conformance suite's descriptions.
type toolTimings struct {
	// failAfter is how long failing_job works before it reports its error.
	failAfter time.Duration
	// crashAfter is how long protocol_error_job works before it panics.
	crashAfter time.Duration
	// finishAfter is how long test_tool_with_task works once it has its input.
	finishAfter time.Duration
}

// maxComputeSeconds bounds slow_compute, well inside the default task TTL.
const maxComputeSeconds = 600

var defaultTimings = toolTimings{failAfter: time.Second, crashAfter: 200 * time.Millisecond, finishAfter: 200 * time.Millisecond}

// newTools returns the fixtures the conformance tasks scenarios call, in the
// order tools/list shows them.
func newTools(tm toolTimings) []*tool {
	confirmForm := func(filename string) elicitation {
		return elicitation{
			message: fmt.Sprintf("Delete %s? This cannot be undone.", filename),
			fields:  []formField{{name: "confirm", title: "Delete the file", boolean: true}},
		}
	}
	nameForm := func(message string) elicitation {
		return elicitation{message: message, fields: []formField{
			{name: "name", title: "Name"},
			{name: "confirm", title: "Confirm", boolean: true},
		}}
	}
	tools := []*tool{{
		name:        "greet",
		description: "Greets someone, synchronously.",
		params:      []param{{name: "name", kind: "string", description: "Who to greet.", required: true}},
		support:     exttasks.TaskForbidden,
		run: func(_ context.Context, in toolInput) outcome {
			return outcome{result: textResult("Hello, "+in.str("name")+"!", false)}
		},
	}, {
		name:        "slow_compute",
		description: "Works for the given number of seconds, then reports the label.",
		params: []param{
			{name: "seconds", kind: "number", description: "How long to work.", required: true},
			{name: "label", kind: "string", description: "A label echoed in the result."},
		},
		support: exttasks.TaskOptional,
		run: func(ctx context.Context, in toolInput) outcome {
			secs, ok := in.number("seconds")
			if !ok || secs < 0 || secs > maxComputeSeconds {
				return outcome{result: textResult(fmt.Sprintf("slow_compute: seconds must be a number from 0 to %d", maxComputeSeconds), true)}
			}
			if !sleep(ctx, time.Duration(secs*float64(time.Second))) {
				return cancelledOutcome(ctx)
			}
			return outcome{result: textResult(fmt.Sprintf("slow_compute %q finished after %gs", in.str("label"), secs), false)}
		},
	}, {
		name:        "failing_job",
		description: "Works for a moment, then reports a tool execution error (isError).",
		support:     exttasks.TaskRequired,
		run: func(ctx context.Context, _ toolInput) outcome {
			if !sleep(ctx, tm.failAfter) {
				return cancelledOutcome(ctx)
			}
			return outcome{result: textResult("failing_job: the job failed (simulated tool error)", true)}
		},
	}, {
		name:        "protocol_error_job",
		description: "Works for a moment, then crashes: the call ends in a JSON-RPC error.",
		support:     exttasks.TaskOptional,
		run: func(ctx context.Context, _ toolInput) outcome {
			if !sleep(ctx, tm.crashAfter) {
				return cancelledOutcome(ctx)
			}
			panic("simulated crash in protocol_error_job")
		},
	}, {
		name:        "confirm_delete",
		description: "Asks the user to confirm, then deletes the file (pretend).",
		params:      []param{{name: "filename", kind: "string", description: "The file to delete.", required: true}},
		support:     exttasks.TaskOptional,
		run: func(_ context.Context, in toolInput) outcome {
			filename := in.str("filename")
			a, ok := in.answers["confirm"]
			if !ok {
				return outcome{need: map[string]elicitation{"confirm": confirmForm(filename)}}
			}
			if a.accepted() && a.flag("confirm") {
				return outcome{result: textResult("Deleted "+filename+".", false)}
			}
			return outcome{result: textResult("Kept "+filename+": the user did not confirm.", false)}
		},
	}, {
		name:        "multi_input",
		description: "Asks two questions at once and reports both answers.",
		support:     exttasks.TaskOptional,
		run: func(_ context.Context, in toolInput) outcome {
			need := map[string]elicitation{}
			for _, key := range []string{"first", "second"} {
				if _, ok := in.answers[key]; !ok {
					need[key] = nameForm("Answer the " + key + " question: your name?")
				}
			}
			if len(need) > 0 {
				return outcome{need: need}
			}
			var parts []string
			for _, key := range []string{"first", "second"} {
				a := in.answers[key]
				if a.accepted() {
					parts = append(parts, key+"="+a.text("name"))
				} else {
					parts = append(parts, key+" "+a.action)
				}
			}
			return outcome{result: textResult("multi_input received "+strings.Join(parts, ", "), false)}
		},
	}, {
		name:        "test_tool_with_task",
		description: "Asks for the user's name over MRTR, then finishes the work as a task.",
		support:     exttasks.TaskRequired,
		gather: map[string]elicitation{"user_name": {
			message: "What is your name?",
			fields:  []formField{{name: "name", title: "Your name"}},
		}},
		run: func(ctx context.Context, in toolInput) outcome {
			if !sleep(ctx, tm.finishAfter) {
				return cancelledOutcome(ctx)
			}
			a := in.answers["user_name"]
			if !a.accepted() || a.text("name") == "" {
				return outcome{result: textResult("test_tool_with_task: no name was given ("+a.action+")", true)}
			}
			return outcome{result: textResult("Hello, "+a.text("name")+"! Your task is done.", false)}
		},
	}}
	return tools
}

// invalidArguments checks a call's arguments against the tool's input
// schema and says what is wrong, or "". The tools spec classes such errors
// as tool execution errors (a result with isError), which the model can act
// on, not as protocol errors.
func (t *tool) invalidArguments(args map[string]any) string {
	var problems []string
	for _, p := range t.params {
		v, ok := args[p.name]
		switch {
		case !ok && p.required:
			problems = append(problems, fmt.Sprintf("%q is required", p.name))
		case ok && !hasKind(v, p.kind):
			problems = append(problems, fmt.Sprintf("%q must be a %s", p.name, p.kind))
		}
	}
	if len(problems) == 0 {
		return ""
	}
	return t.name + ": invalid arguments: " + strings.Join(problems, "; ")
}

// hasKind reports whether a decoded argument has the JSON Schema type kind.
func hasKind(v any, kind string) bool {
	switch kind {
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		switch v.(type) {
		case json.Number, float64, int64:
			return true
		}
		return false
	case "boolean":
		_, ok := v.(bool)
		return ok
	}
	return true
}

// work is the task work of a call of t: it runs the tool, asking for the
// input it needs through the engine (the task goes to input_required) until
// the tool has its answer. Without a task the engine refuses to ask; the
// input the tool needs is then left in needed, for an InputRequiredResult.
func (t *tool) work(in toolInput, meta *mcpdraft.ResultMetaObject, needed *map[string]elicitation) exttasks.TaskWork {
	return func(ctx context.Context, run *exttasks.TaskRun) (any, error) {
		for {
			out := t.run(ctx, in)
			switch {
			case out.err != nil:
				return nil, out.err
			case len(out.need) == 0:
				out.result.Meta = meta
				return out.result, nil
			}
			answers, err := run.Ask(ctx, taskInputRequests(out.need))
			if errors.Is(err, exttasks.ErrInputNeedsTask) {
				*needed = out.need
			}
			if err != nil {
				return nil, err
			}
			for key, r := range answers {
				in.answers[key] = taskAnswer(r)
			}
		}
	}
}
