// Package bench measures decoding and encoding of real task messages with
// the generated 2025-11-25 types against anchors: the bare structs of
// bare.go under every fast JSON library a Go SDK author might pick (see
// anchors_test.go), and mcp-go v1.2.1's hand-written types. It is a module
// of its own so that mcpgen takes none of these dependencies.
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

// impl is one way of decoding and encoding a message, timed beside the
// others under Decode/MESSAGE/IMPL and Encode/MESSAGE/IMPL.
type impl struct {
	name      string
	new       func(k kind) any
	unmarshal func(data []byte, v any) error
	marshal   func(v any) ([]byte, error)
}

// impls lists mcpgen's two paths, the anchors, and mcp-go. "mcpgen-direct"
// calls the generated UnmarshalJSON and MarshalJSON themselves, as the
// generated dispatcher does; "mcpgen" goes through json.Unmarshal and
// json.Marshal, which check the whole input first and compact the output.
func impls() []impl {
	list := []impl{
		{
			name:      "mcpgen-direct",
			new:       func(k kind) any { return k.gen() },
			unmarshal: func(data []byte, v any) error { return v.(json.Unmarshaler).UnmarshalJSON(data) },
			marshal:   func(v any) ([]byte, error) { return v.(json.Marshaler).MarshalJSON() },
		},
		{name: "mcpgen", new: func(k kind) any { return k.gen() }, unmarshal: json.Unmarshal, marshal: json.Marshal},
	}
	for _, a := range anchors {
		list = append(list, impl{name: a.name, new: func(k kind) any { return k.bare() }, unmarshal: a.unmarshal, marshal: a.marshal})
	}
	return append(list, impl{name: "mcpgo", new: func(k kind) any { return k.mcpgo() }, unmarshal: json.Unmarshal, marshal: json.Marshal})
}

func BenchmarkDecode(b *testing.B) {
	for _, k := range kinds {
		data := []byte(messages[k.name])
		for _, im := range impls() {
			b.Run(k.name+"/"+im.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if err := im.unmarshal(data, im.new(k)); err != nil {
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
		for _, im := range impls() {
			v := im.new(k)
			if err := im.unmarshal(data, v); err != nil {
				b.Fatal(err)
			}
			b.Run(k.name+"/"+im.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := im.marshal(v); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
