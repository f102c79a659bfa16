package schema

import (
	"slices"

	"github.com/google/jsonschema-go/jsonschema"
)

// TaskDesign is one era's design of tasks, with the project's data that
// the task bindings of a schema of that design are generated from.
type TaskDesign struct {
	// Name is what -tasks accepts: "core" or "ext".
	Name string
	// Lifecycle and Protocol name the data files in schema/data.
	Lifecycle, Protocol string
	// Methods are the request methods a schema must have, besides the
	// TaskStatus enum, to be of this design.
	Methods []string
}

// TaskDesigns are the designs of tasks MCP has had: in the core protocol
// (2025-11-25, with tasks/result) and as the tasks extension (with
// tasks/update in place of tasks/result).
var TaskDesigns = []TaskDesign{
	{"core", "core-tasks-lifecycle.json", "core-protocol.json", []string{"tasks/get", "tasks/result"}},
	{"ext", "ext-tasks-lifecycle.json", "ext-protocol.json", []string{"tasks/get", "tasks/update"}},
}

// LookupTaskDesign finds a design by name.
func LookupTaskDesign(name string) (TaskDesign, bool) {
	for _, d := range TaskDesigns {
		if d.Name == name {
			return d, true
		}
	}
	return TaskDesign{}, false
}

// DetectTaskDesign finds the design of tasks doc carries: the TaskStatus
// definition and every request method of one design. It reports false
// for a schema without tasks.
func (d *Document) DetectTaskDesign() (TaskDesign, bool) {
	if !slices.ContainsFunc(d.Definitions, func(def Definition) bool { return def.Name == "TaskStatus" }) {
		return TaskDesign{}, false
	}
	methods := map[string]bool{}
	for _, def := range d.Definitions {
		if m, ok := methodConst(def.Schema, 0); ok {
			methods[m] = true
		}
	}
	for _, design := range TaskDesigns {
		if !slices.ContainsFunc(design.Methods, func(m string) bool { return !methods[m] }) {
			return design, true
		}
	}
	return TaskDesign{}, false
}

// methodConst is the string const of a request's "method" property, in
// the schema itself or in the members of its allOf (as the Zod-emitted
// extension writes its requests).
func methodConst(s *jsonschema.Schema, depth int) (string, bool) {
	if s == nil || depth > 4 {
		return "", false
	}
	if p := s.Properties["method"]; p != nil && p.Const != nil {
		if m, ok := (*p.Const).(string); ok {
			return m, true
		}
	}
	for _, member := range s.AllOf {
		if m, ok := methodConst(member, depth+1); ok {
			return m, true
		}
	}
	return "", false
}
