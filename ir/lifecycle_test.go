package ir

import (
	"strings"
	"testing"

	"github.com/mcpgen-dev/mcpgen/schema"
)

const taskSchema = `{
  "$defs": {
    "TaskStatus": {"type": "string", "enum": ["working", "input_required", "completed", "failed", "cancelled"]},
    "Task": {"type": "object", "properties": {"status": {"$ref": "#/$defs/TaskStatus"}, "lastUpdatedAt": {"type": "string"}}, "required": ["status"]},
    "Open": {"anyOf": [{"const": "a"}, {"type": "string"}]}
  }
}`

const goodLifecycle = `{
  "statusType": "TaskStatus", "taskType": "Task", "initial": "working",
  "states": [
    {"state": "working", "next": ["input_required", "completed", "failed", "cancelled"]},
    {"state": "input_required", "next": ["working", "completed", "failed", "cancelled"]},
    {"state": "completed", "terminal": true},
    {"state": "failed", "terminal": true},
    {"state": "cancelled", "terminal": true}
  ]
}`

func buildWithLifecycle(t *testing.T, lifecycle string) (*Package, error) {
	t.Helper()
	doc, err := schema.Load("tasks.json", []byte(taskSchema))
	if err != nil {
		t.Fatal(err)
	}
	l, err := schema.ParseLifecycle("lifecycle.json", []byte(lifecycle))
	if err != nil {
		return nil, err
	}
	return Build(doc, Options{Package: "p", Lifecycle: l})
}

func TestLifecycleAccepted(t *testing.T) {
	pkg, err := buildWithLifecycle(t, goodLifecycle)
	if err != nil {
		t.Fatal(err)
	}
	l := pkg.Lifecycle
	if l.Initial.Value != "working" || len(l.States) != 5 || l.Task == nil || l.StatusField.Name != "Status" || l.UpdatedField.Name != "LastUpdatedAt" {
		t.Fatalf("unexpected lifecycle: %+v", l)
	}
	if !l.States[2].Terminal || len(l.States[0].Next) != 4 || l.States[0].Next[0].Name != "TaskStatusInputRequired" {
		t.Errorf("states not carried over: %+v", l.States)
	}
}

// TestLifecycleContradictions feeds lifecycle data that disagrees with the
// schema; each must be refused with the file, the JSON pointer and why.
func TestLifecycleContradictions(t *testing.T) {
	replace := func(old, new string) string {
		if !strings.Contains(goodLifecycle, old) {
			t.Fatalf("test data has no %q", old)
		}
		return strings.Replace(goodLifecycle, old, new, 1)
	}
	for _, c := range []struct{ name, lifecycle, want string }{
		{"state not in the enum", replace(`{"state": "failed", "terminal": true}`, `{"state": "failed", "terminal": true}, {"state": "sleeping", "terminal": true}`),
			`lifecycle.json: /states/4/state: "sleeping" is not a value of TaskStatus`},
		{"enum value without entry", strings.NewReplacer(`,
    {"state": "cancelled", "terminal": true}`, ``, `, "cancelled"]`, `]`).Replace(goodLifecycle),
			`lifecycle.json: /states: TaskStatus value "cancelled" has no lifecycle entry`},
		{"move out of a terminal state", replace(`{"state": "completed", "terminal": true}`, `{"state": "completed", "terminal": true, "next": ["working"]}`),
			`lifecycle.json: /states/2/next: "completed" is terminal, so no move may leave it`},
		{"unreachable state", replace(`"next": ["input_required", "completed", "failed", "cancelled"]}`, `"next": ["input_required", "completed", "failed"]}`),
			""},
		{"unreachable state 2", strings.Replace(strings.Replace(goodLifecycle, `"next": ["input_required", "completed", "failed", "cancelled"]}`, `"next": ["input_required", "completed", "failed"]}`, 1), `"next": ["working", "completed", "failed", "cancelled"]}`, `"next": ["working", "completed", "failed"]}`, 1),
			`lifecycle.json: /states/4/state: "cancelled" cannot be reached from the initial state "working"`},
		{"move to an unknown state", replace(`"next": ["working", "completed"`, `"next": ["working", "done"`),
			`lifecycle.json: /states/1/next/1: "done" is not a value of TaskStatus`},
		{"duplicate state", replace(`{"state": "failed", "terminal": true}`, `{"state": "completed", "terminal": true}`),
			`lifecycle.json: /states/3/state: state "completed" is listed twice`},
		{"initial not a state", replace(`"initial": "working"`, `"initial": "queued"`),
			`lifecycle.json: /initial: "queued" is not a value of TaskStatus`},
		{"non-terminal without moves", replace(`{"state": "input_required", "next": ["working", "completed", "failed", "cancelled"]}`, `{"state": "input_required"}`),
			`lifecycle.json: /states/1: "input_required" is not terminal but has no moves`},
		{"status type missing", replace(`"statusType": "TaskStatus"`, `"statusType": "Status"`),
			`lifecycle.json: /statusType: the schema has no definition "Status"`},
		{"status type open", replace(`"statusType": "TaskStatus"`, `"statusType": "Open"`),
			`lifecycle.json: /statusType: Open is not a closed string enum`},
		{"unknown key", replace(`"initial"`, `"initail": "x", "initial"`),
			`lifecycle.json: invalid data: json: unknown field "initail"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := buildWithLifecycle(t, c.lifecycle)
			if c.want == "" {
				// Still reachable through input_required: accepted.
				if err != nil {
					t.Fatalf("refused a lifecycle where every state is reachable: %v", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("got %v\nwant %s...", err, c.want)
			}
		})
	}
}
