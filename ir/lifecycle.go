package ir

import (
	"fmt"
	"slices"

	"github.com/mcpgen-dev/mcpgen/schema"
)

// Lifecycle is a task lifecycle checked against the schema's status enum.
type Lifecycle struct {
	// File names the project data it came from.
	File   string
	Doc    string
	Status *Decl // the status enum
	Task   *Decl // the task struct, or nil
	// StatusField and UpdatedField are the task's status and
	// lastUpdatedAt fields, when Task is set.
	StatusField, UpdatedField *Field
	Initial                   EnumValue
	States                    []LifecycleState
}

// LifecycleState is one status with the statuses it may move to.
type LifecycleState struct {
	Value    EnumValue
	Terminal bool
	Next     []EnumValue
}

// checkLifecycle turns project data into a Lifecycle, refusing data that
// contradicts the schema: a state the status enum lacks, an enum value with
// no entry, a move out of a terminal state, a move to an undeclared state,
// or a state the initial one cannot reach.
func (b *builder) checkLifecycle(l *schema.Lifecycle) (*Lifecycle, error) {
	fail := func(ptr, format string, args ...any) error {
		return &schema.Error{File: l.File, Pointer: ptr, Reason: fmt.Sprintf(format, args...)}
	}
	status := b.defs[l.StatusType]
	if status == nil {
		return nil, fail("/statusType", "the schema has no definition %q", l.StatusType)
	}
	status = status.Resolve()
	if status.Kind != Enum || status.Open {
		return nil, fail("/statusType", "%s is not a closed string enum in the schema", l.StatusType)
	}
	out := &Lifecycle{File: l.File, Doc: l.Description, Status: status}
	value := func(ptr, v string) (EnumValue, error) {
		for _, ev := range status.Values {
			if ev.Value == v {
				return ev, nil
			}
		}
		return EnumValue{}, fail(ptr, "%q is not a value of %s in the schema (it has %s)", v, status.Name, joinValues(status.Values))
	}
	declared := map[string]bool{}
	for i, st := range l.States {
		ptr := fmt.Sprintf("/states/%d/state", i)
		ev, err := value(ptr, st.State)
		if err != nil {
			return nil, err
		}
		if declared[st.State] {
			return nil, fail(ptr, "state %q is listed twice", st.State)
		}
		declared[st.State] = true
		if st.Terminal && len(st.Next) > 0 {
			return nil, fail(fmt.Sprintf("/states/%d/next", i), "%q is terminal, so no move may leave it (found %d)", st.State, len(st.Next))
		}
		if !st.Terminal && len(st.Next) == 0 {
			return nil, fail(fmt.Sprintf("/states/%d", i), "%q is not terminal but has no moves; mark it terminal or list its moves", st.State)
		}
		out.States = append(out.States, LifecycleState{Value: ev, Terminal: st.Terminal})
	}
	for i, st := range l.States {
		for j, n := range st.Next {
			ptr := fmt.Sprintf("/states/%d/next/%d", i, j)
			ev, err := value(ptr, n)
			if err != nil {
				return nil, err
			}
			if !declared[n] {
				return nil, fail(ptr, "move to %q, which has no entry in states", n)
			}
			if slices.Contains(out.States[i].Next, ev) {
				return nil, fail(ptr, "move %q → %q is listed twice", st.State, n)
			}
			out.States[i].Next = append(out.States[i].Next, ev)
		}
	}
	for _, ev := range status.Values {
		if !declared[ev.Value] {
			return nil, fail("/states", "%s value %q has no lifecycle entry", status.Name, ev.Value)
		}
	}
	initial, err := value("/initial", l.Initial)
	if err != nil {
		return nil, err
	}
	out.Initial = initial
	// Every state must be reachable from the initial one.
	reached := map[string]bool{l.Initial: true}
	queue := []string{l.Initial}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, st := range l.States {
			if st.State != cur {
				continue
			}
			for _, n := range st.Next {
				if !reached[n] {
					reached[n] = true
					queue = append(queue, n)
				}
			}
		}
	}
	for i, st := range l.States {
		if !reached[st.State] {
			return nil, fail(fmt.Sprintf("/states/%d/state", i), "%q cannot be reached from the initial state %q", st.State, l.Initial)
		}
	}
	if l.TaskType != "" {
		task := b.defs[l.TaskType]
		if task == nil || task.Resolve().Kind != Struct {
			return nil, fail("/taskType", "the schema has no object definition %q", l.TaskType)
		}
		out.Task = task.Resolve()
		for _, f := range out.Task.Fields {
			switch {
			case f.JSONName == "status" && f.Type != nil && f.Type.Kind == TRef && f.Type.Decl.Resolve() == status:
				out.StatusField = f
			case f.JSONName == "lastUpdatedAt" && f.Type != nil && f.Type.Kind == TString:
				out.UpdatedField = f
			}
		}
		if out.StatusField == nil || out.UpdatedField == nil {
			return nil, fail("/taskType", "%s needs a status field of type %s and a string lastUpdatedAt", l.TaskType, status.Name)
		}
	}
	return out, nil
}

func joinValues(vs []EnumValue) string {
	var s []string
	for _, v := range vs {
		s = append(s, fmt.Sprintf("%q", v.Value))
	}
	return joinAnd(s)
}

// joinAnd joins words as a list: "a", "a and b", "a, b and c".
func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return "nothing"
	case 1:
		return s[0]
	}
	out := ""
	for i, x := range s {
		switch {
		case i == len(s)-1:
			out += " and " + x
		case i > 0:
			out += ", " + x
		default:
			out += x
		}
	}
	return out
}
