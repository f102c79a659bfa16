package diff

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcpgen-dev/mcpgen/internal/testenv"
	"github.com/mcpgen-dev/mcpgen/ir"
	"github.com/mcpgen-dev/mcpgen/schema"
)

func build(t *testing.T, name, text string) *ir.Package {
	t.Helper()
	doc, err := schema.Load(name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := ir.Build(doc, ir.Options{Package: "p"})
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

func buildRevision(t *testing.T, rev string) *ir.Package {
	t.Helper()
	r, _ := schema.LookupRevision(rev)
	doc, err := schema.LoadFile(filepath.Join(testenv.SchemaDir(t), r.Path))
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := ir.Build(doc, ir.Options{Package: r.Package, Revision: r.Name})
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

// find returns the change for name of kind what, or fails.
func find(t *testing.T, r *Report, what, name string) Change {
	t.Helper()
	for _, c := range r.Changes {
		if c.What == what && c.Name == name {
			return c
		}
	}
	t.Fatalf("no %s change for %s in:\n%s", what, name, r.Text())
	return Change{}
}

func TestClassification(t *testing.T) {
	old := build(t, "old.json", `{"$defs": {
		"Gone": {"type": "string"},
		"Status": {"type": "string", "enum": ["a", "b"]},
		"Msg": {"type": "object", "properties": {
			"method": {"const": "x/do"},
			"keep": {"type": "string"},
			"drop": {"type": "string"},
			"loosen": {"type": "integer"},
			"tighten": {"type": "string"},
			"count": {"type": "integer"},
			"ttl": {"type": "integer"},
			"nested": {"type": "object", "properties": {"deep": {"type": "string"}}}
		}, "required": ["method", "loosen", "ttl"]},
		"U": {"anyOf": [{"$ref": "#/$defs/Msg"}, {"$ref": "#/$defs/Status"}]}
	}}`)
	new := build(t, "new.json", `{"$defs": {
		"Status": {"type": "string", "enum": ["a", "c"]},
		"Added": {"type": "string"},
		"Msg": {"type": "object", "properties": {
			"method": {"const": "x/do"},
			"keep": {"type": "string"},
			"loosen": {"type": "integer"},
			"tighten": {"type": "string"},
			"count": {"type": "number"},
			"ttl": {"type": ["integer", "null"]},
			"nested": {"type": "object", "properties": {"deep": {"type": "string"}, "more": {"type": "string"}}},
			"extra": {"type": "string"},
			"must": {"type": "string"}
		}, "required": ["method", "tighten", "ttl", "must"]},
		"U": {"anyOf": [{"$ref": "#/$defs/Msg"}, {"$ref": "#/$defs/Added"}]}
	}}`)
	r := Compare(old, new)
	for _, c := range []struct {
		what, name string
		breaking   bool
		detail     string
	}{
		{"definition", "Gone", true, ""},
		{"definition", "Added", false, ""},
		{"field", "Msg.drop", true, ""},
		{"field", "Msg.extra", false, "optional string"},
		{"field", "Msg.must", true, "required string; messages without it are now invalid"},
		{"field", "Msg.tighten", true, "optional → required"},
		{"field", "Msg.count", true, "type integer → number"},
		{"field", "Msg.ttl", true, "becomes nullable (the Go field becomes a pointer)"},
		{"field", "Msg.nested.more", false, "optional string"},
		{"enum value", `Status/"b"`, true, ""},
		{"enum value", `Status/"c"`, false, ""},
		{"union member", "U/Status", true, ""},
		{"union member", "U/Added", false, ""},
	} {
		got := find(t, r, c.what, c.name)
		if got.Breaking != c.breaking || got.Detail != c.detail {
			t.Errorf("%s %s: breaking=%v detail=%q, want %v %q", c.what, c.name, got.Breaking, got.Detail, c.breaking, c.detail)
		}
	}
	// required → optional keeps the Go type of a string (additive) but
	// turns an integer into a pointer (breaking).
	loosen := find(t, r, "field", "Msg.loosen")
	if !loosen.Breaking || !strings.Contains(loosen.Detail, "required → optional") {
		t.Errorf("Msg.loosen: %+v", loosen)
	}
	if !r.Breaking() {
		t.Error("Breaking() = false")
	}
	if same := Compare(old, old); len(same.Changes) != 0 || same.Breaking() {
		t.Errorf("a schema differs from itself:\n%s", same.Text())
	}
}

// TestRealRevisions runs the comparisons the issue names on the official
// files.
func TestRealRevisions(t *testing.T) {
	released, patched := buildRevision(t, "2025-11-25-as-released"), buildRevision(t, "2025-11-25")
	r := Compare(released, patched)
	if c := find(t, r, "field", "Task.ttl"); !c.Breaking || !strings.HasPrefix(c.Detail, "becomes nullable") {
		t.Errorf("Task.ttl: %+v", c)
	}
	for _, f := range []string{"minimum", "maximum", "default"} {
		if c := find(t, r, "field", "NumberSchema."+f); c.Detail != "type integer → number" {
			t.Errorf("NumberSchema.%s: %+v", f, c)
		}
	}
	if len(r.Changes) != 7 {
		t.Errorf("as-released → patched: %d changes, want 7 (ttl in four places, three NumberSchema bounds):\n%s", len(r.Changes), r.Text())
	}

	r = Compare(patched, buildRevision(t, "2026-07-28"))
	for _, m := range []string{"tasks/get", "tasks/result", "tasks/list", "tasks/cancel", "notifications/tasks/status"} {
		if c := find(t, r, "method", m); c.Kind != "removed" || !c.Breaking {
			t.Errorf("%s: %+v", m, c)
		}
	}
	for _, d := range []string{"Task", "TaskStatus", "CreateTaskResult", "GetTaskResult", "TaskMetadata", "RelatedTaskMetadata"} {
		if c := find(t, r, "definition", d); c.Kind != "removed" {
			t.Errorf("%s: %+v", d, c)
		}
	}
	if c := find(t, r, "field", "CallToolRequestParams.task"); c.Kind != "removed" {
		t.Errorf("CallToolRequestParams.task: %+v", c)
	}

	r = Compare(buildRevision(t, "2025-06-18"), patched)
	for _, m := range []string{"tasks/get", "tasks/result", "tasks/list", "tasks/cancel", "notifications/tasks/status"} {
		if c := find(t, r, "method", m); c.Kind != "added" || c.Breaking {
			t.Errorf("%s: %+v", m, c)
		}
	}
	if c := find(t, r, "definition", "Task"); c.Kind != "added" || c.Breaking {
		t.Errorf("Task: %+v", c)
	}
	for _, f := range []string{"ServerCapabilities.tasks", "ClientCapabilities.tasks"} {
		if c := find(t, r, "field", f); c.Kind != "added" || c.Breaking {
			t.Errorf("%s: %+v", f, c)
		}
	}
	data, err := json.Marshal(r)
	if err != nil || !strings.Contains(string(data), `"name":"tasks/get"`) {
		t.Errorf("JSON report: %v", err)
	}

	// The extension's Stable revision differs from its draft in $id alone.
	r = Compare(buildRevision(t, "ext-tasks"), buildRevision(t, "ext-tasks-2026-07-28"))
	if len(r.Changes) != 1 || r.Breaking() {
		t.Fatalf("ext-tasks → ext-tasks-2026-07-28: want one additive change:\n%s", r.Text())
	}
	if c := r.Changes[0]; c.What != "schema" || c.Name != "$id" || c.Detail != "https://modelcontextprotocol.io/ext-tasks/schema.json → https://modelcontextprotocol.io/ext-tasks/2026-07-28/schema.json" {
		t.Errorf("ext-tasks → ext-tasks-2026-07-28: %+v", c)
	}
}
