// Package bench measures decoding and encoding of real task messages with
// the generated 2025-11-25 types, against two anchors: bare structs with
// plain encoding/json and no validation (the limit), and mcp-go v1.2.1's
// hand-written types. It is a module of its own so that mcpgen keeps no
// dependency on mcp-go.
package bench

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	mcpgo "github.com/mark3labs/mcp-go/mcp"

	gen "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

const task = `{"taskId":"786512e2-9e0d-44bd-8f29-789f320fe840","status":"working","statusMessage":"The operation is now in progress.","createdAt":"2025-11-25T10:30:00Z","lastUpdatedAt":"2025-11-25T10:40:00Z","ttl":60000,"pollInterval":5000}`

var messages = map[string]string{
	"CreateTaskResult": `{"task":` + task + `,"_meta":{"io.modelcontextprotocol/related-task":{"taskId":"786512e2"}}}`,
	"GetTaskResult":    task,
	"ListTasks100":     listTasks(100),
	"GetTaskRequest":   `{"jsonrpc":"2.0","id":42,"method":"tasks/get","params":{"taskId":"786512e2-9e0d-44bd-8f29-789f320fe840"}}`,
	"CallToolResult":   `{"content":[{"type":"text","text":"The weather in Paris is 18°C and sunny."},{"type":"image","data":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==","mimeType":"image/png"},{"type":"resource_link","uri":"file:///tmp/report.txt","name":"report.txt","mimeType":"text/plain"},{"type":"resource","resource":{"uri":"file:///tmp/data.json","mimeType":"application/json","text":"{\"a\":1}"}}],"isError":false}`,
}

func listTasks(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = strings.Replace(task, "786512e2", fmt.Sprintf("%08x", i), 1)
	}
	return `{"tasks":[` + strings.Join(parts, ",") + `],"nextCursor":"c2"}`
}

// Bare structs: the same JSON, plain encoding/json, nothing checked.
type bareTask struct {
	TaskID        string `json:"taskId"`
	Status        string `json:"status"`
	StatusMessage string `json:"statusMessage,omitempty"`
	CreatedAt     string `json:"createdAt"`
	LastUpdatedAt string `json:"lastUpdatedAt"`
	TTL           *int64 `json:"ttl"`
	PollInterval  *int64 `json:"pollInterval,omitempty"`
}

type bareCreateTaskResult struct {
	Meta map[string]any `json:"_meta,omitempty"`
	Task bareTask       `json:"task"`
}

type bareListTasksResult struct {
	Tasks      []bareTask `json:"tasks"`
	NextCursor string     `json:"nextCursor,omitempty"`
}

type bareGetTaskRequest struct {
	JSONRPC string `json:"jsonrpc"`
	ID      int64  `json:"id"`
	Method  string `json:"method"`
	Params  struct {
		TaskID string `json:"taskId"`
	} `json:"params"`
}

type bareContent struct {
	Type     string          `json:"type"`
	Text     string          `json:"text,omitempty"`
	Data     string          `json:"data,omitempty"`
	MimeType string          `json:"mimeType,omitempty"`
	URI      string          `json:"uri,omitempty"`
	Name     string          `json:"name,omitempty"`
	Resource json.RawMessage `json:"resource,omitempty"`
}

type bareCallToolResult struct {
	Content []bareContent `json:"content"`
	IsError bool          `json:"isError,omitempty"`
}

type kind struct {
	name             string
	gen, bare, mcpgo func() any
}

var kinds = []kind{
	{"CreateTaskResult", func() any { return new(gen.CreateTaskResult) }, func() any { return new(bareCreateTaskResult) }, func() any { return new(mcpgo.CreateTaskResult) }},
	{"GetTaskResult", func() any { return new(gen.GetTaskResult) }, func() any { return new(bareTask) }, func() any { return new(mcpgo.GetTaskResult) }},
	{"ListTasks100", func() any { return new(gen.ListTasksResult) }, func() any { return new(bareListTasksResult) }, func() any { return new(mcpgo.ListTasksResult) }},
	{"GetTaskRequest", func() any { return new(gen.GetTaskRequest) }, func() any { return new(bareGetTaskRequest) }, func() any { return new(mcpgo.GetTaskRequest) }},
	{"CallToolResult", func() any { return new(gen.CallToolResult) }, func() any { return new(bareCallToolResult) }, func() any { return new(mcpgo.CallToolResult) }},
}

func BenchmarkDecode(b *testing.B) {
	for _, k := range kinds {
		data := []byte(messages[k.name])
		for _, impl := range []struct {
			name string
			new  func() any
		}{{"mcpgen", k.gen}, {"bare", k.bare}, {"mcpgo", k.mcpgo}} {
			b.Run(k.name+"/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if err := json.Unmarshal(data, impl.new()); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, k := range kinds {
		data := []byte(messages[k.name])
		for _, impl := range []struct {
			name string
			new  func() any
		}{{"mcpgen", k.gen}, {"bare", k.bare}, {"mcpgo", k.mcpgo}} {
			v := impl.new()
			if err := json.Unmarshal(data, v); err != nil {
				b.Fatal(err)
			}
			b.Run(k.name+"/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := json.Marshal(v); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkMarshalJSON calls the generated MarshalJSON directly, as code
// that writes a message itself can: json.Marshal of the same value adds
// encoding/json's check and compaction of the bytes MarshalJSON returns.
func BenchmarkMarshalJSON(b *testing.B) {
	for _, k := range kinds {
		v := k.gen()
		if err := json.Unmarshal([]byte(messages[k.name]), v); err != nil {
			b.Fatal(err)
		}
		m := v.(json.Marshaler)
		b.Run(k.name+"/mcpgen", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.MarshalJSON(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
