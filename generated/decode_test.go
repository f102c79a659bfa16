package generated_test

// Tests of the decoding and encoding behaviour of the generated packages:
// the errors a schema violation produces (type, path and message), the
// values that must survive a decode/encode round trip, how unions choose
// their member, and the ext-tasks extension's status-discriminated types.
//
// Test names contain Decode, RoundTrip, Union or Ext so that
//
//	go test ./generated/ -run 'Decode|RoundTrip|Union|Ext'
//
// selects them.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// ---------------------------------------------------------------------------
// helpers

// unmarshaler is the constraint for a generated type T whose pointer decodes.
type unmarshaler[T any] interface {
	*T
	json.Unmarshaler
}

// unmarshalAs decodes data into a new T with T's own UnmarshalJSON, so that
// the error is exactly the one the generated code returns.
func unmarshalAs[T any, P unmarshaler[T]](data []byte) (*T, error) {
	v := new(T)
	err := P(v).UnmarshalJSON(data)
	return v, err
}

// decodeWith returns a function that decodes into a T and reports only the error.
func decodeWith[T any, P unmarshaler[T]]() func([]byte) error {
	return func(data []byte) error {
		_, err := unmarshalAs[T, P](data)
		return err
	}
}

// unionDecoder adapts an UnmarshalX union function to report only the error.
func unionDecoder[U any](f func([]byte) (U, error)) func([]byte) error {
	return func(data []byte) error {
		_, err := f(data)
		return err
	}
}

// jsonValue parses data as one JSON value, keeping numbers exact (json.Number),
// so that comparisons notice lost precision and changed number spellings.
func jsonValue(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not valid JSON: %v\n%s", err, data)
	}
	if dec.More() {
		t.Fatalf("trailing data after JSON value:\n%s", data)
	}
	return v
}

// sameJSON fails the test if want and got are different JSON values.
func sameJSON(t *testing.T, want, got []byte) {
	t.Helper()
	if diff := cmp.Diff(jsonValue(t, want), jsonValue(t, got)); diff != "" {
		t.Errorf("JSON differs (-want +got):\n%s\nwant: %s\ngot:  %s", diff, want, got)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %T: %v", v, err)
	}
	return out
}

// roundTrip decodes in as a T, encodes the result and requires the same JSON.
func roundTrip[T any, P unmarshaler[T]](t *testing.T, in string) *T {
	t.Helper()
	v, err := unmarshalAs[T, P]([]byte(in))
	if err != nil {
		t.Fatalf("decode %T: %v\ninput: %s", v, err, in)
	}
	sameJSON(t, []byte(in), mustMarshal(t, v))
	return v
}

// objectFields splits an encoded JSON object into its raw properties.
func objectFields(t *testing.T, data []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, data)
	}
	return m
}

// wantMCPError requires err to be a *mcp20251125.DecodeError equal to want
// whose message is text.
func wantMCPError(t *testing.T, err error, want mcp.DecodeError, text string) {
	t.Helper()
	if err == nil {
		t.Fatalf("decoded without error; want %q", text)
	}
	var de *mcp.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error %q is a %T, not a *mcp20251125.DecodeError", err, err)
	}
	if diff := cmp.Diff(want, *de); diff != "" {
		t.Errorf("DecodeError fields differ (-want +got):\n%s", diff)
	}
	if got := err.Error(); got != text {
		t.Errorf("error text:\n got: %s\nwant: %s", got, text)
	}
}

// wantExtError is wantMCPError for the exttasks package.
func wantExtError(t *testing.T, err error, want exttasks.DecodeError, text string) {
	t.Helper()
	if err == nil {
		t.Fatalf("decoded without error; want %q", text)
	}
	var de *exttasks.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error %q is a %T, not a *exttasks.DecodeError", err, err)
	}
	if diff := cmp.Diff(want, *de); diff != "" {
		t.Errorf("DecodeError fields differ (-want +got):\n%s", diff)
	}
	if got := err.Error(); got != text {
		t.Errorf("error text:\n got: %s\nwant: %s", got, text)
	}
}

func ptr[T any](v T) *T { return &v }

// Timestamps shared by the task fixtures.
const times = `"createdAt":"2025-11-25T10:00:00Z","lastUpdatedAt":"2025-11-25T10:00:05Z"`

// clientRequestMethods is the want list of UnmarshalClientRequest's error, in schema order.
const clientRequestMethods = "initialize, ping, resources/list, resources/templates/list, resources/read, " +
	"resources/subscribe, resources/unsubscribe, prompts/list, prompts/get, tools/list, tools/call, " +
	"tasks/get, tasks/result, tasks/cancel, tasks/list, logging/setLevel, completion/complete"

const jsonrpcMessageMembers = "JSONRPCRequest, JSONRPCNotification, JSONRPCResultResponse, JSONRPCErrorResponse"

// ---------------------------------------------------------------------------
// 1. negative decoding, mcp20251125

func TestDecodeErrors(t *testing.T) {
	decodeTask := decodeWith[mcp.Task]()
	decodeCall := decodeWith[mcp.CallToolRequest]()
	const taskStatusWant = `"cancelled", "completed", "failed", "input_required", "working"`

	tests := []struct {
		name   string
		decode func([]byte) error
		in     string
		want   mcp.DecodeError
		text   string
	}{
		// missing required properties
		{
			name:   "CallToolRequest without params",
			decode: decodeCall,
			in:     `{"jsonrpc":"2.0","id":1,"method":"tools/call"}`,
			want:   mcp.DecodeError{Path: "params", Msg: "required property is missing"},
			text:   "params: required property is missing",
		},
		{
			name:   "CallToolRequest without id",
			decode: decodeCall,
			in:     `{"jsonrpc":"2.0","method":"tools/call","params":{"name":"echo"}}`,
			want:   mcp.DecodeError{Path: "id", Msg: "required property is missing"},
			text:   "id: required property is missing",
		},
		{
			name:   "CallToolRequest without jsonrpc",
			decode: decodeCall,
			in:     `{"id":1,"method":"tools/call","params":{"name":"echo"}}`,
			want:   mcp.DecodeError{Path: "jsonrpc", Msg: "required property is missing"},
			text:   "jsonrpc: required property is missing",
		},
		{
			name:   "Task without taskId",
			decode: decodeTask,
			in:     `{"status":"working",` + times + `,"ttl":null}`,
			want:   mcp.DecodeError{Path: "taskId", Msg: "required property is missing"},
			text:   "taskId: required property is missing",
		},
		{
			// ttl is required even though it may be null: absent is not null.
			name:   "Task without ttl",
			decode: decodeTask,
			in:     `{"taskId":"t1","status":"working",` + times + `}`,
			want:   mcp.DecodeError{Path: "ttl", Msg: "required property is missing"},
			text:   "ttl: required property is missing",
		},
		{
			name:   "CallToolRequest params without name",
			decode: decodeCall,
			in:     `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{"a":1}}}`,
			want:   mcp.DecodeError{Path: "params.name", Msg: "required property is missing"},
			text:   "params.name: required property is missing",
		},
		{
			name:   "ClientRequest tools/call params without name",
			decode: unionDecoder(mcp.UnmarshalClientRequest),
			in:     `{"jsonrpc":"2.0","id":"r1","method":"tools/call","params":{}}`,
			want:   mcp.DecodeError{Path: "params.name", Msg: "required property is missing"},
			text:   "params.name: required property is missing",
		},
		{
			name:   "CallToolResult without content",
			decode: decodeWith[mcp.CallToolResult](),
			in:     `{"isError":true}`,
			want:   mcp.DecodeError{Path: "content", Msg: "required property is missing"},
			text:   "content: required property is missing",
		},

		// enum values
		{
			name:   "Task status not in enum",
			decode: decodeTask,
			in:     `{"taskId":"t1","status":"sleeping",` + times + `,"ttl":null}`,
			want:   mcp.DecodeError{Path: "status", Msg: `unknown TaskStatus "sleeping" (want one of ` + taskStatusWant + `)`},
			text:   `status: unknown TaskStatus "sleeping" (want one of ` + taskStatusWant + `)`,
		},
		{
			name:   "Task status of the wrong case",
			decode: decodeTask,
			in:     `{"taskId":"t1","status":"Working",` + times + `,"ttl":null}`,
			want:   mcp.DecodeError{Path: "status", Msg: `unknown TaskStatus "Working" (want one of ` + taskStatusWant + `)`},
			text:   `status: unknown TaskStatus "Working" (want one of ` + taskStatusWant + `)`,
		},
		{
			name:   "ListToolsResult tools[1].execution.taskSupport not in enum",
			decode: decodeWith[mcp.ListToolsResult](),
			in: `{"tools":[
				{"name":"a","inputSchema":{"type":"object"},"execution":{"taskSupport":"optional"}},
				{"name":"b","inputSchema":{"type":"object"},"execution":{"taskSupport":"sometimes"}}]}`,
			want: mcp.DecodeError{
				Path: "tools[1].execution.taskSupport",
				Msg:  `unknown ToolExecutionTaskSupport "sometimes" (want one of "forbidden", "optional", "required")`,
			},
			text: `tools[1].execution.taskSupport: unknown ToolExecutionTaskSupport "sometimes" (want one of "forbidden", "optional", "required")`,
		},

		// const properties
		{
			name:   "jsonrpc 1.0",
			decode: decodeCall,
			in:     `{"jsonrpc":"1.0","id":1,"method":"tools/call","params":{"name":"echo"}}`,
			want:   mcp.DecodeError{Path: "jsonrpc", Msg: `must be "2.0", got "1.0"`},
			text:   `jsonrpc: must be "2.0", got "1.0"`,
		},
		{
			name:   "jsonrpc given as the number 2.0",
			decode: decodeCall,
			in:     `{"jsonrpc":2.0,"id":1,"method":"tools/call","params":{"name":"echo"}}`,
			want:   mcp.DecodeError{Path: "jsonrpc", Msg: `must be "2.0", got 2.0`},
			text:   `jsonrpc: must be "2.0", got 2.0`,
		},
		{
			name:   "CallToolRequest method tools/list",
			decode: decodeCall,
			in:     `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"name":"echo"}}`,
			want:   mcp.DecodeError{Path: "method", Msg: `must be "tools/call", got "tools/list"`},
			text:   `method: must be "tools/call", got "tools/list"`,
		},
		{
			name:   "TextContent type image",
			decode: decodeWith[mcp.TextContent](),
			in:     `{"type":"image","text":"hi"}`,
			want:   mcp.DecodeError{Path: "type", Msg: `must be "text", got "image"`},
			text:   `type: must be "text", got "image"`,
		},

		// union discriminators
		{
			name:   "ContentBlock type video",
			decode: unionDecoder(mcp.UnmarshalContentBlock),
			in:     `{"type":"video","data":"AAAA","mimeType":"video/mp4"}`,
			want:   mcp.DecodeError{Path: "type", Msg: `unknown value "video" (want text, image, audio, resource_link, resource)`},
			text:   `type: unknown value "video" (want text, image, audio, resource_link, resource)`,
		},
		{
			name:   "ContentBlock without type",
			decode: unionDecoder(mcp.UnmarshalContentBlock),
			in:     `{"text":"hi"}`,
			want:   mcp.DecodeError{Path: "type", Msg: "required property is missing"},
			text:   "type: required property is missing",
		},
		{
			name:   "ContentBlock type not a string",
			decode: unionDecoder(mcp.UnmarshalContentBlock),
			in:     `{"type":5,"text":"hi"}`,
			want:   mcp.DecodeError{Path: "type", Expected: "string", Got: "integer"},
			text:   "type: expected string, got integer",
		},
		{
			name:   "ContentBlock not an object",
			decode: unionDecoder(mcp.UnmarshalContentBlock),
			in:     `["text"]`,
			want:   mcp.DecodeError{Expected: "object", Got: "array"},
			text:   "expected object, got array",
		},
		{
			name:   "CallToolResult content[2] type video",
			decode: decodeWith[mcp.CallToolResult](),
			in:     `{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"},{"type":"video"}]}`,
			want:   mcp.DecodeError{Path: "content[2].type", Msg: `unknown value "video" (want text, image, audio, resource_link, resource)`},
			text:   `content[2].type: unknown value "video" (want text, image, audio, resource_link, resource)`,
		},
		{
			name:   "ClientRequest method nope",
			decode: unionDecoder(mcp.UnmarshalClientRequest),
			in:     `{"jsonrpc":"2.0","id":1,"method":"nope","params":{}}`,
			want:   mcp.DecodeError{Path: "method", Msg: `unknown value "nope" (want ` + clientRequestMethods + `)`},
			text:   `method: unknown value "nope" (want ` + clientRequestMethods + `)`,
		},

		// wrong JSON kinds
		{
			name:   "Task ttl string",
			decode: decodeTask,
			in:     `{"taskId":"t1","status":"working",` + times + `,"ttl":"x"}`,
			want:   mcp.DecodeError{Path: "ttl", Expected: "integer or null", Got: "string"},
			text:   "ttl: expected integer or null, got string",
		},
		{
			name:   "CallToolRequest params.task.ttl string",
			decode: decodeCall,
			in:     `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","task":{"ttl":"x"}}}`,
			want:   mcp.DecodeError{Path: "params.task.ttl", Expected: "integer", Got: "string"},
			text:   "params.task.ttl: expected integer, got string",
		},
		{
			name:   "Task taskId integer",
			decode: decodeTask,
			in:     `{"taskId":7,"status":"working",` + times + `,"ttl":null}`,
			want:   mcp.DecodeError{Path: "taskId", Expected: "string", Got: "integer"},
			text:   "taskId: expected string, got integer",
		},
		{
			name:   "CallToolResult content object",
			decode: decodeWith[mcp.CallToolResult](),
			in:     `{"content":{"type":"text","text":"a"}}`,
			want:   mcp.DecodeError{Path: "content", Expected: "array", Got: "object"},
			text:   "content: expected array, got object",
		},
		{
			name:   "CallToolResult isError string",
			decode: decodeWith[mcp.CallToolResult](),
			in:     `{"content":[],"isError":"yes"}`,
			want:   mcp.DecodeError{Path: "isError", Expected: "boolean", Got: "string"},
			text:   "isError: expected boolean, got string",
		},
		{
			name:   "Task is an array",
			decode: decodeTask,
			in:     `[]`,
			want:   mcp.DecodeError{Expected: "object", Got: "array"},
			text:   "expected object, got array",
		},
		{
			name:   "Task is empty input",
			decode: decodeTask,
			in:     ``,
			want:   mcp.DecodeError{Expected: "object", Got: "nothing"},
			text:   "expected object, got nothing",
		},
		{
			name:   "Task is truncated JSON",
			decode: decodeTask,
			in:     `{"taskId":`,
			want:   mcp.DecodeError{Msg: "invalid JSON: unexpected end of input"},
			text:   "invalid JSON: unexpected end of input",
		},
		{
			name:   "_meta.progressToken of the wrong kind",
			decode: decodeWith[mcp.CallToolRequestParams](),
			in:     `{"name":"n","_meta":{"progressToken":true}}`,
			want:   mcp.DecodeError{Path: "_meta.progressToken", Expected: "string or integer", Got: "boolean"},
			text:   "_meta.progressToken: expected string or integer, got boolean",
		},

		// null
		{
			name:   "Task taskId null",
			decode: decodeTask,
			in:     `{"taskId":null,"status":"working",` + times + `,"ttl":null}`,
			want:   mcp.DecodeError{Path: "taskId", Expected: "string", Got: "null"},
			text:   "taskId: expected string, got null",
		},
		{
			name:   "Task pollInterval null",
			decode: decodeTask,
			in:     `{"taskId":"t1","status":"working",` + times + `,"ttl":null,"pollInterval":null}`,
			want:   mcp.DecodeError{Path: "pollInterval", Expected: "integer", Got: "null"},
			text:   "pollInterval: expected integer, got null",
		},
		{
			name:   "CallToolResult content null",
			decode: decodeWith[mcp.CallToolResult](),
			in:     `{"content":null}`,
			want:   mcp.DecodeError{Path: "content", Expected: "array", Got: "null"},
			text:   "content: expected array, got null",
		},
		{
			name:   "CallToolRequest params null",
			decode: decodeCall,
			in:     `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":null}`,
			want:   mcp.DecodeError{Path: "params", Expected: "object", Got: "null"},
			text:   "params: expected object, got null",
		},

		// integers
		{
			name:   "Task pollInterval 1.5",
			decode: decodeTask,
			in:     `{"taskId":"t1","status":"working",` + times + `,"ttl":null,"pollInterval":1.5}`,
			want:   mcp.DecodeError{Path: "pollInterval", Expected: "integer", Got: "number"},
			text:   "pollInterval: expected integer, got number",
		},
		{
			name:   "Task ttl 1.5",
			decode: decodeTask,
			in:     `{"taskId":"t1","status":"working",` + times + `,"ttl":1.5}`,
			want:   mcp.DecodeError{Path: "ttl", Expected: "integer or null", Got: "number"},
			text:   "ttl: expected integer or null, got number",
		},
		{
			name:   "CallToolRequest params.task.ttl 1.5",
			decode: decodeCall,
			in:     `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","task":{"ttl":1.5}}}`,
			want:   mcp.DecodeError{Path: "params.task.ttl", Expected: "integer", Got: "number"},
			text:   "params.task.ttl: expected integer, got number",
		},
		{
			name:   "Task pollInterval beyond int64",
			decode: decodeTask,
			in:     `{"taskId":"t1","status":"working",` + times + `,"ttl":null,"pollInterval":9223372036854775808}`,
			want:   mcp.DecodeError{Path: "pollInterval", Msg: "integer out of range: 9223372036854775808"},
			text:   "pollInterval: integer out of range: 9223372036854775808",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantMCPError(t, tc.decode([]byte(tc.in)), tc.want, tc.text)
		})
	}
}

// TestDecodeErrorThroughEncodingJSON checks that a DecodeError is still found
// with errors.As when the generated type is decoded by encoding/json, and
// that a failed decode leaves the destination as it was.
func TestDecodeErrorThroughEncodingJSON(t *testing.T) {
	task := mcp.Task{TaskID: "before"}
	err := json.Unmarshal([]byte(`{"taskId":"t1","status":"working",`+times+`,"ttl":"x"}`), &task)
	var de *mcp.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("json.Unmarshal error %v (%T) does not wrap a *mcp20251125.DecodeError", err, err)
	}
	if diff := cmp.Diff(mcp.DecodeError{Path: "ttl", Expected: "integer or null", Got: "string"}, *de); diff != "" {
		t.Errorf("DecodeError differs (-want +got):\n%s", diff)
	}
	if task.TaskID != "before" {
		t.Errorf("failed decode changed the destination: TaskID = %q, want %q", task.TaskID, "before")
	}
}

// TestDecodeNullableAllowed: Task.ttl is ["integer","null"]; null decodes to
// nil and is written back as "ttl":null, never dropped.
func TestDecodeNullableAllowed(t *testing.T) {
	in := `{"taskId":"t1","status":"working",` + times + `,"ttl":null}`
	task, err := unmarshalAs[mcp.Task]([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if task.TTL != nil {
		t.Errorf("TTL = %d, want nil", *task.TTL)
	}
	out := mustMarshal(t, task)
	raw, ok := objectFields(t, out)["ttl"]
	if !ok {
		t.Fatalf(`re-encoded task has no "ttl" property: %s`, out)
	}
	if string(raw) != "null" {
		t.Errorf("re-encoded ttl = %s, want null", raw)
	}
	sameJSON(t, []byte(in), out)

	// A Task built in Go with no TTL means "unlimited" and encodes as null too.
	built := mustMarshal(t, mcp.Task{TaskID: "t2", Status: mcp.TaskStatusCompleted, CreatedAt: "a", LastUpdatedAt: "b"})
	sameJSON(t, []byte(`{"taskId":"t2","status":"completed","createdAt":"a","lastUpdatedAt":"b","ttl":null}`), built)
}

// ---------------------------------------------------------------------------
// 2. round trips, mcp20251125

func TestRoundTripRequestId(t *testing.T) {
	tests := []struct {
		in     string
		str    string
		isStr  bool
		number int64
		isInt  bool
	}{
		{in: `"abc"`, str: "abc", isStr: true},
		{in: `""`, str: "", isStr: true},
		{in: `"42"`, str: "42", isStr: true},
		{in: `42`, number: 42, isInt: true},
		{in: `0`, number: 0, isInt: true},
		{in: `-7`, number: -7, isInt: true},
		{in: `9007199254740993`, number: 9007199254740993, isInt: true},
		{in: `9223372036854775807`, number: 9223372036854775807, isInt: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			id, err := unmarshalAs[mcp.RequestId]([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if id.IsZero() {
				t.Error("IsZero() = true for a decoded id")
			}
			if s, ok := id.AsString(); ok != tc.isStr || s != tc.str {
				t.Errorf("AsString() = %q, %v; want %q, %v", s, ok, tc.str, tc.isStr)
			}
			if n, ok := id.AsInteger(); ok != tc.isInt || n != tc.number {
				t.Errorf("AsInteger() = %d, %v; want %d, %v", n, ok, tc.number, tc.isInt)
			}
			if out := mustMarshal(t, id); string(out) != tc.in {
				t.Errorf("re-encoded %s as %s", tc.in, out)
			}
		})
	}

	// An integer is an integer however it is written, as for plain
	// integer fields: it is kept as the integer and written plainly.
	for in, want := range map[string]int64{`1e3`: 1000, `42.0`: 42, `-2.5E1`: -25, `0e999999999`: 0} {
		t.Run(in, func(t *testing.T) {
			id, err := unmarshalAs[mcp.RequestId]([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if n, ok := id.AsInteger(); !ok || n != want {
				t.Errorf("AsInteger() = %d, %v; want %d", n, ok, want)
			}
		})
	}

	t.Run("constructors", func(t *testing.T) {
		if out := mustMarshal(t, mcp.RequestIdFromInteger(9007199254740993)); string(out) != "9007199254740993" {
			t.Errorf("RequestIdFromInteger(9007199254740993) encodes as %s", out)
		}
		if out := mustMarshal(t, mcp.RequestIdFromString("42")); string(out) != `"42"` {
			t.Errorf(`RequestIdFromString("42") encodes as %s`, out)
		}
		if out := mustMarshal(t, mcp.RequestIdFromInteger(0)); string(out) != "0" {
			t.Errorf("RequestIdFromInteger(0) encodes as %s", out)
		}
		if mcp.RequestIdFromInteger(0).IsZero() || mcp.RequestIdFromString("").IsZero() {
			t.Error("an id holding 0 or \"\" reports IsZero")
		}
	})

	t.Run("large id inside a request", func(t *testing.T) {
		in := `{"jsonrpc":"2.0","id":9007199254740993,"method":"tools/call","params":{"name":"echo"}}`
		req := roundTrip[mcp.CallToolRequest](t, in)
		if n, ok := req.ID.AsInteger(); !ok || n != 9007199254740993 {
			t.Errorf("ID.AsInteger() = %d, %v; want 9007199254740993, true", n, ok)
		}
		// The raw property, not only the parsed value, must be exact.
		if raw := objectFields(t, mustMarshal(t, req))["id"]; string(raw) != "9007199254740993" {
			t.Errorf("re-encoded id = %s", raw)
		}
	})

	t.Run("zero value does not encode", func(t *testing.T) {
		var zero mcp.RequestId
		if !zero.IsZero() {
			t.Error("zero RequestId: IsZero() = false")
		}
		if _, ok := zero.AsString(); ok {
			t.Error("zero RequestId: AsString reports a string")
		}
		if _, ok := zero.AsInteger(); ok {
			t.Error("zero RequestId: AsInteger reports an integer")
		}
		out, err := json.Marshal(zero)
		if err == nil {
			t.Fatalf("zero RequestId encoded as %s, want an error", out)
		}
		if !strings.Contains(err.Error(), "RequestId holds no value") {
			t.Errorf("error %q does not say the RequestId holds no value", err)
		}
		// A request whose required id was never set cannot be sent.
		if out, err := json.Marshal(mcp.CallToolRequest{Params: mcp.CallToolRequestParams{Name: "echo"}}); err == nil {
			t.Errorf("CallToolRequest without ID encoded as %s, want an error", out)
		}
	})

	errTests := []struct {
		in   string
		want mcp.DecodeError
		text string
	}{
		{`true`, mcp.DecodeError{Expected: "string or integer", Got: "boolean"}, "expected string or integer, got boolean"},
		{`1.5`, mcp.DecodeError{Expected: "string or integer", Got: "number"}, "expected string or integer, got number"},
		{`null`, mcp.DecodeError{Expected: "string or integer", Got: "null"}, "expected string or integer, got null"},
		{`{}`, mcp.DecodeError{Expected: "string or integer", Got: "object"}, "expected string or integer, got object"},
		{`9223372036854775808`, mcp.DecodeError{Msg: "integer out of range: 9223372036854775808"}, "integer out of range: 9223372036854775808"},
	}
	for _, tc := range errTests {
		t.Run("error/"+tc.in, func(t *testing.T) {
			_, err := unmarshalAs[mcp.RequestId]([]byte(tc.in))
			wantMCPError(t, err, tc.want, tc.text)

			// The same value as the id of a request names the property.
			in := `{"jsonrpc":"2.0","id":` + tc.in + `,"method":"tools/call","params":{"name":"echo"}}`
			_, err = unmarshalAs[mcp.CallToolRequest]([]byte(in))
			want := tc.want
			want.Path = "id"
			wantMCPError(t, err, want, "id: "+tc.text)
		})
	}
}

func TestRoundTripProgressToken(t *testing.T) {
	for _, tc := range []struct {
		in     string
		str    string
		isStr  bool
		number int64
	}{
		{in: `"tok-1"`, str: "tok-1", isStr: true},
		{in: `7`, number: 7},
		{in: `9007199254740993`, number: 9007199254740993},
	} {
		t.Run(tc.in, func(t *testing.T) {
			tok, err := unmarshalAs[mcp.ProgressToken]([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if s, ok := tok.AsString(); ok != tc.isStr || s != tc.str {
				t.Errorf("AsString() = %q, %v; want %q, %v", s, ok, tc.str, tc.isStr)
			}
			if n, ok := tok.AsInteger(); ok == tc.isStr || n != tc.number {
				t.Errorf("AsInteger() = %d, %v; want %d, %v", n, ok, tc.number, !tc.isStr)
			}
			if out := mustMarshal(t, tok); string(out) != tc.in {
				t.Errorf("re-encoded %s as %s", tc.in, out)
			}
		})
	}

	t.Run("in request _meta", func(t *testing.T) {
		in := `{"name":"echo","_meta":{"progressToken":9007199254740993,"vendor/x":"y"}}`
		p := roundTrip[mcp.CallToolRequestParams](t, in)
		if p.Meta == nil || p.Meta.ProgressToken == nil {
			t.Fatalf("Meta.ProgressToken not decoded: %+v", p.Meta)
		}
		if n, ok := p.Meta.ProgressToken.AsInteger(); !ok || n != 9007199254740993 {
			t.Errorf("ProgressToken.AsInteger() = %d, %v", n, ok)
		}
		if diff := cmp.Diff(map[string]any{"vendor/x": "y"}, p.Meta.AdditionalProperties); diff != "" {
			t.Errorf("Meta.AdditionalProperties (-want +got):\n%s", diff)
		}
	})

	t.Run("zero value does not encode", func(t *testing.T) {
		if out, err := json.Marshal(mcp.ProgressToken{}); err == nil {
			t.Errorf("zero ProgressToken encoded as %s, want an error", out)
		}
	})

	for _, tc := range []struct{ in, got string }{{`true`, "boolean"}, {`1.5`, "number"}, {`null`, "null"}} {
		t.Run("error/"+tc.in, func(t *testing.T) {
			_, err := unmarshalAs[mcp.ProgressToken]([]byte(tc.in))
			wantMCPError(t, err, mcp.DecodeError{Expected: "string or integer", Got: tc.got}, "expected string or integer, got "+tc.got)
		})
	}
}

func TestRoundTripTask(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		ttl          *int64
		pollInterval *int64
	}{
		{"ttl null", `{"taskId":"t1","status":"working",` + times + `,"ttl":null}`, nil, nil},
		{"ttl 5000", `{"taskId":"t1","status":"working",` + times + `,"ttl":5000}`, ptr[int64](5000), nil},
		{"ttl 0", `{"taskId":"t1","status":"working",` + times + `,"ttl":0}`, ptr[int64](0), nil},
		{"pollInterval 0", `{"taskId":"t1","status":"input_required",` + times + `,"ttl":5000,"pollInterval":0}`, ptr[int64](5000), ptr[int64](0)},
		{"pollInterval 250", `{"taskId":"t1","status":"failed","statusMessage":"boom",` + times + `,"ttl":null,"pollInterval":250}`, nil, ptr[int64](250)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			task := roundTrip[mcp.Task](t, tc.in)
			if diff := cmp.Diff(tc.ttl, task.TTL); diff != "" {
				t.Errorf("TTL (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.pollInterval, task.PollInterval); diff != "" {
				t.Errorf("PollInterval (-want +got):\n%s", diff)
			}
			fields := objectFields(t, mustMarshal(t, task))
			if _, ok := fields["ttl"]; !ok {
				t.Error(`re-encoded task lost "ttl"`)
			}
			if _, ok := fields["pollInterval"]; ok != (tc.pollInterval != nil) {
				t.Errorf(`re-encoded task has "pollInterval" = %v, want %v`, ok, tc.pollInterval != nil)
			}
		})
	}
}

func TestRoundTripConstFieldsWritten(t *testing.T) {
	t.Run("CallToolRequest", func(t *testing.T) {
		req := mcp.CallToolRequest{
			ID: mcp.RequestIdFromInteger(7),
			Params: mcp.CallToolRequestParams{
				Name:      "echo",
				Arguments: map[string]any{"text": "hi"},
				Task:      &mcp.TaskMetadata{TTL: ptr[int64](60000)},
			},
		}
		out := mustMarshal(t, req)
		sameJSON(t, []byte(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"},"task":{"ttl":60000}}}`), out)

		// What was written is accepted by the decoder, through the union too.
		back, err := mcp.UnmarshalClientRequest(out)
		if err != nil {
			t.Fatalf("decoding the encoded request: %v", err)
		}
		call, ok := back.(*mcp.CallToolRequest)
		if !ok {
			t.Fatalf("UnmarshalClientRequest chose %T, want *mcp20251125.CallToolRequest", back)
		}
		if n, ok := call.ID.AsInteger(); !ok || n != 7 {
			t.Errorf("ID = %d, %v", n, ok)
		}
		if call.Params.Name != "echo" || call.Params.Task == nil || call.Params.Task.TTL == nil || *call.Params.Task.TTL != 60000 {
			t.Errorf("Params decoded as %+v", call.Params)
		}
		sameJSON(t, out, mustMarshal(t, call))
	})

	t.Run("TextContent", func(t *testing.T) {
		sameJSON(t, []byte(`{"type":"text","text":"hi"}`), mustMarshal(t, mcp.TextContent{Text: "hi"}))
		// As a pointer inside a union-typed list too.
		res := mcp.CallToolResult{Content: []mcp.ContentBlock{
			&mcp.TextContent{Text: "hi"},
			&mcp.ImageContent{Data: "AAAA", MIMEType: "image/png"},
		}}
		sameJSON(t, []byte(`{"content":[{"type":"text","text":"hi"},{"type":"image","data":"AAAA","mimeType":"image/png"}]}`), mustMarshal(t, res))
	})

	t.Run("JSONRPCNotification", func(t *testing.T) {
		sameJSON(t, []byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}`),
			mustMarshal(t, mcp.JSONRPCNotification{Method: "notifications/initialized"}))
	})
}

func TestRoundTripAdditionalProperties(t *testing.T) {
	t.Run("GetTaskResult", func(t *testing.T) {
		in := `{"taskId":"t1","status":"completed",` + times + `,"ttl":null,"_meta":{"k":"v"},"custom":{"a":1},"flag":true}`
		res := roundTrip[mcp.GetTaskResult](t, in)
		if diff := cmp.Diff(map[string]any{"custom": map[string]any{"a": json.Number("1")}, "flag": true}, res.AdditionalProperties); diff != "" {
			t.Errorf("AdditionalProperties (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string]any{"k": "v"}, res.Meta); diff != "" {
			t.Errorf("Meta (-want +got):\n%s", diff)
		}
		if res.TaskID != "t1" || res.Status != mcp.TaskStatusCompleted || res.TTL != nil {
			t.Errorf("fields decoded as TaskID=%q Status=%q TTL=%v", res.TaskID, res.Status, res.TTL)
		}
	})

	t.Run("GetTaskResult built in Go", func(t *testing.T) {
		res := mcp.GetTaskResult{
			TaskID: "t1", Status: mcp.TaskStatusWorking, CreatedAt: "a", LastUpdatedAt: "b", TTL: ptr[int64](5),
			// "taskId" has a field of its own; the field wins and the key is written once.
			AdditionalProperties: map[string]any{"extra": []any{"x"}, "taskId": "ignored"},
		}
		out := mustMarshal(t, res)
		sameJSON(t, []byte(`{"taskId":"t1","status":"working","createdAt":"a","lastUpdatedAt":"b","ttl":5,"extra":["x"]}`), out)
		if n := strings.Count(string(out), `"taskId"`); n != 1 {
			t.Errorf(`"taskId" written %d times: %s`, n, out)
		}
	})

	t.Run("Result", func(t *testing.T) {
		in := `{"_meta":{"trace":"abc"},"anything":[1,"two",{"three":3}],"nothing":null}`
		res := roundTrip[mcp.Result](t, in)
		if diff := cmp.Diff(map[string]any{"anything": []any{json.Number("1"), "two", map[string]any{"three": json.Number("3")}}, "nothing": nil}, res.AdditionalProperties); diff != "" {
			t.Errorf("AdditionalProperties (-want +got):\n%s", diff)
		}
	})

	t.Run("Result inside JSONRPCResultResponse", func(t *testing.T) {
		roundTrip[mcp.JSONRPCResultResponse](t, `{"jsonrpc":"2.0","id":"r","result":{"tools":[],"nextCursor":"c"}}`)
	})

	t.Run("large integer in additional property", func(t *testing.T) {
		roundTrip[mcp.GetTaskResult](t, `{"taskId":"t1","status":"working",`+times+`,"ttl":null,"big":9007199254740993}`)
	})

	t.Run("large integer in tool arguments", func(t *testing.T) {
		roundTrip[mcp.CallToolRequest](t, `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"n","arguments":{"id":9007199254740993}}}`)
	})
}

func TestRoundTripUnknownProperties(t *testing.T) {
	tests := []struct {
		name   string
		decode func(*testing.T, string) any
		in     string
	}{
		{
			"Task extra",
			func(t *testing.T, in string) any { return roundTrip[mcp.Task](t, in) },
			`{"taskId":"t1","status":"working",` + times + `,"ttl":null,"extra":1}`,
		},
		{
			// Unknown properties are kept as raw JSON, so even big integers survive.
			"Task extra big integer and nested value",
			func(t *testing.T, in string) any { return roundTrip[mcp.Task](t, in) },
			`{"taskId":"t1","status":"working",` + times + `,"ttl":null,"big":9007199254740993,"x-vendor":{"deep":[1,2.50,"3"]}}`,
		},
		{
			"nested in CallToolRequest params and params.task",
			func(t *testing.T, in string) any { return roundTrip[mcp.CallToolRequest](t, in) },
			`{"jsonrpc":"2.0","id":1,"method":"tools/call","x-top":true,"params":{"name":"n","x-params":[1],"task":{"ttl":1,"x-task":"y"}}}`,
		},
		{
			"nested in ListToolsResult tools[0]",
			func(t *testing.T, in string) any { return roundTrip[mcp.ListToolsResult](t, in) },
			`{"tools":[{"name":"a","inputSchema":{"type":"object"},"x-vendor":{"k":"v"}}]}`,
		},
		{
			"inside a union member",
			func(t *testing.T, in string) any {
				v, err := mcp.UnmarshalContentBlock([]byte(in))
				if err != nil {
					t.Fatal(err)
				}
				sameJSON(t, []byte(in), mustMarshal(t, v))
				return v
			},
			`{"type":"text","text":"hi","x-vendor":{"a":[null,false]}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.decode(t, tc.in)
		})
	}

	t.Run("not carried over by a later decode", func(t *testing.T) {
		var task mcp.Task
		if err := json.Unmarshal([]byte(`{"taskId":"t1","status":"working",`+times+`,"ttl":null,"extra":1}`), &task); err != nil {
			t.Fatal(err)
		}
		plain := `{"taskId":"t2","status":"working",` + times + `,"ttl":null}`
		if err := json.Unmarshal([]byte(plain), &task); err != nil {
			t.Fatal(err)
		}
		sameJSON(t, []byte(plain), mustMarshal(t, task))
	})
}

func TestRoundTripContentBlocks(t *testing.T) {
	in := `{"content":[
		{"type":"text","text":"hello","annotations":{"audience":["user","assistant"],"priority":0.5}},
		{"type":"image","data":"iVBORw0KGgo=","mimeType":"image/png"},
		{"type":"audio","data":"UklGRg==","mimeType":"audio/wav"},
		{"type":"resource_link","uri":"file:///a.txt","name":"a.txt","mimeType":"text/plain","size":12},
		{"type":"resource","resource":{"uri":"file:///b.txt","mimeType":"text/plain","text":"bee"}},
		{"type":"resource","resource":{"uri":"file:///c.bin","blob":"AAEC"}}
	],"isError":false,"structuredContent":{"ok":true}}`
	res := roundTrip[mcp.CallToolResult](t, in)
	if len(res.Content) != 6 {
		t.Fatalf("decoded %d content blocks, want 6", len(res.Content))
	}
	for i, block := range res.Content {
		switch b := block.(type) {
		case *mcp.TextContent:
			if i != 0 || b.Text != "hello" || b.Annotations == nil || b.Annotations.Priority == nil || *b.Annotations.Priority != 0.5 {
				t.Errorf("content[%d]: unexpected %+v", i, b)
			}
			if b.Annotations != nil {
				if diff := cmp.Diff([]mcp.Role{mcp.Role("user"), mcp.Role("assistant")}, b.Annotations.Audience); diff != "" {
					t.Errorf("content[%d].annotations.audience (-want +got):\n%s", i, diff)
				}
			}
		case *mcp.ImageContent:
			if i != 1 || b.Data != "iVBORw0KGgo=" || b.MIMEType != "image/png" {
				t.Errorf("content[%d]: unexpected %+v", i, b)
			}
		case *mcp.AudioContent:
			if i != 2 || b.Data != "UklGRg==" || b.MIMEType != "audio/wav" {
				t.Errorf("content[%d]: unexpected %+v", i, b)
			}
		case *mcp.ResourceLink:
			if i != 3 || b.URI != "file:///a.txt" || b.Name != "a.txt" || b.Size == nil || *b.Size != 12 {
				t.Errorf("content[%d]: unexpected %+v", i, b)
			}
		case *mcp.EmbeddedResource:
			switch r := b.Resource.(type) {
			case *mcp.TextResourceContents:
				if i != 4 || r.URI != "file:///b.txt" || r.Text != "bee" || r.MIMEType != "text/plain" {
					t.Errorf("content[%d].resource: unexpected %+v", i, r)
				}
			case *mcp.BlobResourceContents:
				if i != 5 || r.URI != "file:///c.bin" || r.Blob != "AAEC" {
					t.Errorf("content[%d].resource: unexpected %+v", i, r)
				}
			default:
				t.Errorf("content[%d].resource decoded as %T", i, r)
			}
		default:
			t.Errorf("content[%d] decoded as %T", i, b)
		}
	}
	if res.IsError == nil || *res.IsError {
		t.Errorf("IsError = %v, want pointer to false", res.IsError)
	}
	if diff := cmp.Diff(map[string]any{"ok": true}, res.StructuredContent); diff != "" {
		t.Errorf("StructuredContent (-want +got):\n%s", diff)
	}
}

func TestRoundTripRequiredEmpty(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"CallToolResult nil content", mcp.CallToolResult{Content: nil}, `{"content":[]}`},
		{"CallToolResult empty content", mcp.CallToolResult{Content: []mcp.ContentBlock{}}, `{"content":[]}`},
		{"ListToolsResult nil tools", mcp.ListToolsResult{}, `{"tools":[]}`},
		{"ListTasksResult nil tasks", mcp.ListTasksResult{}, `{"tasks":[]}`},
		{"exttasks CompletedTask nil result", exttasks.CompletedTask{TaskID: "t", CreatedAt: "a", LastUpdatedAt: "b"},
			`{"taskId":"t","status":"completed","createdAt":"a","lastUpdatedAt":"b","ttlMs":null,"result":{}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := mustMarshal(t, tc.v)
			sameJSON(t, []byte(tc.want), out)
			if bytes.Contains(out, []byte("null")) && !strings.Contains(tc.want, "null") {
				t.Errorf("encoded a null: %s", out)
			}
		})
	}

	// Optional lists and objects that were present but empty stay present.
	roundTrip[mcp.Tool](t, `{"name":"a","inputSchema":{"type":"object","properties":{},"required":[]},"icons":[]}`)
	roundTrip[mcp.CallToolRequestParams](t, `{"name":"n","arguments":{},"_meta":{},"task":{}}`)
	roundTrip[mcp.CallToolResult](t, `{"content":[],"structuredContent":{},"_meta":{},"isError":false}`)
}

// TestRoundTripErrorData: Error.data may be any JSON value, null included.
func TestRoundTripErrorData(t *testing.T) {
	for _, data := range []string{`{"detail":"x"}`, `"text"`, `0`, `false`, `[]`} {
		t.Run(data, func(t *testing.T) {
			roundTrip[mcp.JSONRPCErrorResponse](t, `{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error","data":`+data+`}}`)
		})
	}
	t.Run("null", func(t *testing.T) {
		roundTrip[mcp.JSONRPCErrorResponse](t, `{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error","data":null}}`)
	})
}

// ---------------------------------------------------------------------------
// 3. unions without a discriminator

func TestUnionJSONRPCMessage(t *testing.T) {
	tests := []struct {
		in    string
		check func(*testing.T, mcp.JSONRPCMessage)
	}{
		{`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`, func(t *testing.T, m mcp.JSONRPCMessage) {
			r, ok := m.(*mcp.JSONRPCRequest)
			if !ok {
				t.Fatalf("chose %T, want *JSONRPCRequest", m)
			}
			if n, _ := r.ID.AsInteger(); r.Method != "tools/list" || n != 1 || r.Params != nil {
				t.Errorf("decoded %+v", r)
			}
		}},
		{`{"jsonrpc":"2.0","id":"abc","method":"tools/call","params":{"name":"echo"}}`, func(t *testing.T, m mcp.JSONRPCMessage) {
			r, ok := m.(*mcp.JSONRPCRequest)
			if !ok {
				t.Fatalf("chose %T, want *JSONRPCRequest", m)
			}
			if s, _ := r.ID.AsString(); s != "abc" || r.Method != "tools/call" {
				t.Errorf("decoded %+v", r)
			}
			if diff := cmp.Diff(map[string]any{"name": "echo"}, r.Params); diff != "" {
				t.Errorf("Params (-want +got):\n%s", diff)
			}
		}},
		{`{"jsonrpc":"2.0","method":"notifications/initialized"}`, func(t *testing.T, m mcp.JSONRPCMessage) {
			n, ok := m.(*mcp.JSONRPCNotification)
			if !ok {
				t.Fatalf("chose %T, want *JSONRPCNotification", m)
			}
			if n.Method != "notifications/initialized" {
				t.Errorf("Method = %q", n.Method)
			}
		}},
		{`{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":0.5}}`, func(t *testing.T, m mcp.JSONRPCMessage) {
			if _, ok := m.(*mcp.JSONRPCNotification); !ok {
				t.Fatalf("chose %T, want *JSONRPCNotification", m)
			}
		}},
		{`{"jsonrpc":"2.0","id":1,"result":{}}`, func(t *testing.T, m mcp.JSONRPCMessage) {
			r, ok := m.(*mcp.JSONRPCResultResponse)
			if !ok {
				t.Fatalf("chose %T, want *JSONRPCResultResponse", m)
			}
			if n, _ := r.ID.AsInteger(); n != 1 {
				t.Errorf("ID = %d", n)
			}
		}},
		{`{"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"x"}]}}`, func(t *testing.T, m mcp.JSONRPCMessage) {
			r, ok := m.(*mcp.JSONRPCResultResponse)
			if !ok {
				t.Fatalf("chose %T, want *JSONRPCResultResponse", m)
			}
			if _, ok := r.Result.AdditionalProperties["content"]; !ok {
				t.Errorf("result content not kept: %+v", r.Result)
			}
		}},
		{`{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}}`, func(t *testing.T, m mcp.JSONRPCMessage) {
			r, ok := m.(*mcp.JSONRPCErrorResponse)
			if !ok {
				t.Fatalf("chose %T, want *JSONRPCErrorResponse", m)
			}
			if r.Error.Code != -32601 || r.Error.Message != "Method not found" || r.ID == nil {
				t.Errorf("decoded %+v", r)
			}
		}},
		{`{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"}}`, func(t *testing.T, m mcp.JSONRPCMessage) {
			r, ok := m.(*mcp.JSONRPCErrorResponse)
			if !ok {
				t.Fatalf("chose %T, want *JSONRPCErrorResponse", m)
			}
			if r.ID != nil || r.Error.Code != -32700 {
				t.Errorf("decoded %+v", r)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			m, err := mcp.UnmarshalJSONRPCMessage([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, m)
			sameJSON(t, []byte(tc.in), mustMarshal(t, m))
		})
	}

	errTests := []struct {
		name string
		in   string
		want mcp.DecodeError
		text string
	}{
		{
			name: "only jsonrpc",
			in:   `{"jsonrpc":"2.0"}`,
			want: mcp.DecodeError{Expected: "JSONRPCMessage", Got: "object", Msg: "object matches none of " + jsonrpcMessageMembers},
			text: "object matches none of " + jsonrpcMessageMembers,
		},
		{
			name: "string",
			in:   `"hello"`,
			want: mcp.DecodeError{Expected: "JSONRPCMessage", Got: "string", Msg: "string matches none of " + jsonrpcMessageMembers},
			text: "string matches none of " + jsonrpcMessageMembers,
		},
		{
			name: "null",
			in:   `null`,
			want: mcp.DecodeError{Expected: "JSONRPCMessage", Got: "null", Msg: "null matches none of " + jsonrpcMessageMembers},
			text: "null matches none of " + jsonrpcMessageMembers,
		},
		{
			name: "batch array",
			in:   `[{"jsonrpc":"2.0","method":"notifications/initialized"}]`,
			want: mcp.DecodeError{Expected: "JSONRPCMessage", Got: "array", Msg: "array matches none of " + jsonrpcMessageMembers},
			text: "array matches none of " + jsonrpcMessageMembers,
		},
		{
			name: "jsonrpc 1.0",
			in:   `{"jsonrpc":"1.0","id":1,"method":"ping"}`,
			want: mcp.DecodeError{Expected: "JSONRPCMessage", Got: "object", Msg: "object matches none of " + jsonrpcMessageMembers},
			text: "object matches none of " + jsonrpcMessageMembers,
		},
		{
			name: "without jsonrpc",
			in:   `{"id":1,"method":"ping"}`,
			want: mcp.DecodeError{Expected: "JSONRPCMessage", Got: "object", Msg: "object matches none of " + jsonrpcMessageMembers},
			text: "object matches none of " + jsonrpcMessageMembers,
		},
		{
			name: "result that is not an object",
			in:   `{"jsonrpc":"2.0","id":1,"result":5}`,
			want: mcp.DecodeError{Path: "result", Expected: "object", Got: "integer"},
			text: "result: expected object, got integer",
		},
		{
			name: "error without code",
			in:   `{"jsonrpc":"2.0","id":1,"error":{"message":"m"}}`,
			want: mcp.DecodeError{Path: "error.code", Msg: "required property is missing"},
			text: "error.code: required property is missing",
		},
	}
	for _, tc := range errTests {
		t.Run("error/"+tc.name, func(t *testing.T) {
			m, err := mcp.UnmarshalJSONRPCMessage([]byte(tc.in))
			if m != nil {
				t.Errorf("returned %T alongside the error", m)
			}
			wantMCPError(t, err, tc.want, tc.text)
		})
	}
}

// TestUnionFallsBackToOpenMembers: a value the best-ranked members refuse
// goes to a member of lower rank that takes it, as JSON Schema's anyOf
// has it. A request whose id is no RequestId is, by the schema, a valid
// notification with an extra property (JSON-RPC's rule that a message
// with an id is a request is the transport's to apply); a server result
// whose content is no content list is a valid Result.
func TestUnionFallsBackToOpenMembers(t *testing.T) {
	m, err := mcp.UnmarshalJSONRPCMessage([]byte(`{"jsonrpc":"2.0","id":true,"method":"ping"}`))
	if n, ok := m.(*mcp.JSONRPCNotification); err != nil || !ok || n.Method != "ping" {
		t.Errorf("request with a boolean id: %T, %v; want the notification the schema allows", m, err)
	}
	r, err := mcp.UnmarshalServerResult([]byte(`{"content":{}}`))
	if _, ok := r.(*mcp.Result); err != nil || !ok {
		t.Errorf(`ServerResult {"content":{}}: %T, %v; want a Result`, r, err)
	}
	if out, _ := json.Marshal(r); string(out) != `{"content":{}}` {
		t.Errorf("the Result re-encodes as %s", out)
	}
}

func TestUnionJSONRPCResponse(t *testing.T) {
	r, err := mcp.UnmarshalJSONRPCResponse([]byte(`{"jsonrpc":"2.0","id":1,"result":{"x":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.(*mcp.JSONRPCResultResponse); !ok {
		t.Errorf("chose %T, want *JSONRPCResultResponse", r)
	}
	r, err = mcp.UnmarshalJSONRPCResponse([]byte(`{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"m"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.(*mcp.JSONRPCErrorResponse); !ok {
		t.Errorf("chose %T, want *JSONRPCErrorResponse", r)
	}
	// A request is not a response.
	_, err = mcp.UnmarshalJSONRPCResponse([]byte(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
	wantMCPError(t, err,
		mcp.DecodeError{Expected: "JSONRPCResponse", Got: "object", Msg: "object matches none of JSONRPCResultResponse, JSONRPCErrorResponse"},
		"object matches none of JSONRPCResultResponse, JSONRPCErrorResponse")
}

// TestUnionServerResult: results carry no discriminator; the member is the
// one whose required properties are present and that knows the most of them.
func TestUnionServerResult(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{`{}`, "*mcp20251125.Result"},
		{`{"_meta":{}}`, "*mcp20251125.Result"},
		{`{"content":[{"type":"text","text":"x"}]}`, "*mcp20251125.CallToolResult"},
		{`{"tools":[]}`, "*mcp20251125.ListToolsResult"},
		{`{"tasks":[]}`, "*mcp20251125.ListTasksResult"},
		{`{"completion":{"values":["a"]}}`, "*mcp20251125.CompleteResult"},
		{`{"taskId":"t1","status":"working",` + times + `,"ttl":null}`, "*mcp20251125.GetTaskResult"},
		// CreateTaskResult is not a member of ServerResult in this schema: it is a plain Result.
		{`{"task":{"taskId":"t1","status":"working",` + times + `,"ttl":null}}`, "*mcp20251125.Result"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			v, err := mcp.UnmarshalServerResult([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := typeName(v); got != tc.want {
				t.Errorf("chose %s, want %s", got, tc.want)
			}
			sameJSON(t, []byte(tc.in), mustMarshal(t, v))
		})
	}
}

// TestUnionByKind: unions whose members are told apart by JSON kind.
func TestUnionByKind(t *testing.T) {
	const valueMembers = "ElicitResultContentValueList, ElicitResultContentValueString, ElicitResultContentValueInteger, ElicitResultContentValueBoolean"
	for _, tc := range []struct {
		in   string
		want mcp.ElicitResultContentValue
	}{
		{`"octocat"`, mcp.ElicitResultContentValueString("octocat")},
		{`""`, mcp.ElicitResultContentValueString("")},
		{`30`, mcp.ElicitResultContentValueInteger(30)},
		{`9007199254740993`, mcp.ElicitResultContentValueInteger(9007199254740993)},
		{`false`, mcp.ElicitResultContentValueBoolean(false)},
		{`["a","b"]`, mcp.ElicitResultContentValueList{"a", "b"}},
		{`[]`, mcp.ElicitResultContentValueList{}},
	} {
		t.Run("ElicitResultContentValue/"+tc.in, func(t *testing.T) {
			v, err := mcp.UnmarshalElicitResultContentValue([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, v); diff != "" {
				t.Errorf("decoded (-want +got):\n%s", diff)
			}
			if out := mustMarshal(t, v); string(out) != tc.in {
				t.Errorf("re-encoded %s as %s", tc.in, out)
			}
		})
	}
	for _, tc := range []struct {
		in   string
		want mcp.DecodeError
		text string
	}{
		{`1.5`, mcp.DecodeError{Expected: "ElicitResultContentValue", Got: "number", Msg: "number matches none of " + valueMembers}, "number matches none of " + valueMembers},
		{`null`, mcp.DecodeError{Expected: "ElicitResultContentValue", Got: "null", Msg: "null matches none of " + valueMembers}, "null matches none of " + valueMembers},
		{`{"a":1}`, mcp.DecodeError{Expected: "ElicitResultContentValue", Got: "object", Msg: "object matches none of " + valueMembers}, "object matches none of " + valueMembers},
		{`["a",1]`, mcp.DecodeError{Path: "[1]", Expected: "string", Got: "integer"}, "[1]: expected string, got integer"},
	} {
		t.Run("ElicitResultContentValue/error/"+tc.in, func(t *testing.T) {
			_, err := mcp.UnmarshalElicitResultContentValue([]byte(tc.in))
			wantMCPError(t, err, tc.want, tc.text)
		})
	}

	t.Run("ElicitResult", func(t *testing.T) {
		in := `{"action":"accept","content":{"name":"octocat","age":30,"subscribe":true,"tags":["a"]}}`
		res := roundTrip[mcp.ElicitResult](t, in)
		want := map[string]mcp.ElicitResultContentValue{
			"name":      mcp.ElicitResultContentValueString("octocat"),
			"age":       mcp.ElicitResultContentValueInteger(30),
			"subscribe": mcp.ElicitResultContentValueBoolean(true),
			"tags":      mcp.ElicitResultContentValueList{"a"},
		}
		if diff := cmp.Diff(want, res.Content); diff != "" {
			t.Errorf("Content (-want +got):\n%s", diff)
		}
		if res.Action != mcp.ElicitResultActionAccept {
			t.Errorf("Action = %q", res.Action)
		}
		_, err := unmarshalAs[mcp.ElicitResult]([]byte(`{"action":"accept","content":{"age":30.5}}`))
		wantMCPError(t, err,
			mcp.DecodeError{Path: "content.age", Expected: "ElicitResultContentValue", Got: "number", Msg: "number matches none of " + valueMembers},
			"content.age: number matches none of "+valueMembers)
	})

	t.Run("SamplingMessageContent", func(t *testing.T) {
		in := `[{"type":"text","text":"a"},{"type":"tool_use","id":"u1","name":"f","input":{"x":1}}]`
		v, err := mcp.UnmarshalSamplingMessageContent([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		list, ok := v.(mcp.SamplingMessageContentBlockList)
		if !ok {
			t.Fatalf("chose %T, want SamplingMessageContentBlockList", v)
		}
		if len(list) != 2 {
			t.Fatalf("decoded %d blocks, want 2", len(list))
		}
		if b, ok := list[0].(*mcp.TextContent); !ok || b.Text != "a" {
			t.Errorf("[0] decoded as %#v", list[0])
		}
		if b, ok := list[1].(*mcp.ToolUseContent); !ok || b.ID != "u1" || b.Name != "f" {
			t.Errorf("[1] decoded as %#v", list[1])
		}
		sameJSON(t, []byte(in), mustMarshal(t, v))

		one := `{"type":"tool_result","toolUseId":"u1","content":[{"type":"text","text":"42"}]}`
		v, err = mcp.UnmarshalSamplingMessageContent([]byte(one))
		if err != nil {
			t.Fatal(err)
		}
		if r, ok := v.(*mcp.ToolResultContent); !ok || r.ToolUseID != "u1" || len(r.Content) != 1 {
			t.Errorf("decoded as %#v, want *ToolResultContent", v)
		}
		sameJSON(t, []byte(one), mustMarshal(t, v))
	})
}

// TestUnionElicitRequestParams: the form member's "mode" is an optional
// const, so an absent mode means form, and absent stays absent.
func TestUnionElicitRequestParams(t *testing.T) {
	const schema = `"requestedSchema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}`
	tests := []struct {
		in       string
		want     string
		formMode string
	}{
		{`{"message":"m",` + schema + `}`, "*mcp20251125.ElicitRequestFormParams", ""},
		{`{"mode":"form","message":"m",` + schema + `}`, "*mcp20251125.ElicitRequestFormParams", "form"},
		{`{"mode":"url","message":"m","elicitationId":"e1","url":"https://example.com/auth"}`, "*mcp20251125.ElicitRequestURLParams", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			v, err := mcp.UnmarshalElicitRequestParams([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := typeName(v); got != tc.want {
				t.Fatalf("chose %s, want %s", got, tc.want)
			}
			if f, ok := v.(*mcp.ElicitRequestFormParams); ok && f.Mode != tc.formMode {
				t.Errorf("Mode = %q, want %q", f.Mode, tc.formMode)
			}
			sameJSON(t, []byte(tc.in), mustMarshal(t, v))
		})
	}
	const members = "ElicitRequestURLParams, ElicitRequestFormParams"
	_, err := mcp.UnmarshalElicitRequestParams([]byte(`{"mode":"popup","message":"m",` + schema + `}`))
	wantMCPError(t, err, mcp.DecodeError{Expected: "ElicitRequestParams", Got: "object", Msg: "object matches none of " + members}, "object matches none of "+members)
	// Decoded directly, the form params name the bad mode.
	_, err = unmarshalAs[mcp.ElicitRequestFormParams]([]byte(`{"mode":"","message":"m",` + schema + `}`))
	wantMCPError(t, err, mcp.DecodeError{Path: "mode", Msg: `must be "form", got ""`}, `mode: must be "form", got ""`)
}

// TestUnionEnumSchema: the members of EnumSchema (and so of
// PrimitiveSchemaDefinition, the type of every property of an elicitation
// form) differ only inside "items" for the two multi-select schemas.
func TestUnionEnumSchema(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		bug  string
	}{
		{"untitled single", `{"type":"string","enum":["a","b"]}`, "*mcp20251125.UntitledSingleSelectEnumSchema", ""},
		{"titled single", `{"type":"string","oneOf":[{"const":"a","title":"A"}]}`, "*mcp20251125.TitledSingleSelectEnumSchema", ""},
		{"legacy titled", `{"type":"string","enum":["a"],"enumNames":["A"]}`, "*mcp20251125.LegacyTitledEnumSchema", ""},
		{"untitled multi", `{"type":"array","items":{"type":"string","enum":["a","b"]}}`, "*mcp20251125.UntitledMultiSelectEnumSchema", ""},
		{"titled multi", `{"type":"array","items":{"anyOf":[{"const":"a","title":"A"}]}}`, "*mcp20251125.TitledMultiSelectEnumSchema", ""},
	}
	for _, tc := range tests {
		for _, u := range []struct {
			name   string
			decode func([]byte) (any, error)
		}{
			{"EnumSchema", func(b []byte) (any, error) { return mcp.UnmarshalEnumSchema(b) }},
			{"PrimitiveSchemaDefinition", func(b []byte) (any, error) { return mcp.UnmarshalPrimitiveSchemaDefinition(b) }},
		} {
			t.Run(u.name+"/"+tc.name, func(t *testing.T) {
				if tc.bug != "" {
					t.Skip("BUG: " + tc.bug)
				}
				v, err := u.decode([]byte(tc.in))
				if err != nil {
					t.Fatal(err)
				}
				if got := typeName(v); got != tc.want {
					t.Errorf("chose %s, want %s", got, tc.want)
				}
				sameJSON(t, []byte(tc.in), mustMarshal(t, v))
			})
		}
	}

	// The same, where it matters: a form elicitation asking for a titled
	// multi-select (the official example TitledMultiSelectEnumSchema).
	t.Run("in an elicitation/create request", func(t *testing.T) {
		in := `{"jsonrpc":"2.0","id":3,"method":"elicitation/create","params":{"mode":"form","message":"Pick colours",
			"requestedSchema":{"type":"object","properties":{"colors":{"type":"array","title":"Color Selection","minItems":1,"maxItems":2,
			"items":{"anyOf":[{"const":"#FF0000","title":"Red"},{"const":"#00FF00","title":"Green"}]},"default":["#FF0000"]}}}}}`
		v, err := mcp.UnmarshalServerRequest([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		req, ok := v.(*mcp.ElicitRequest)
		if !ok {
			t.Fatalf("chose %T, want *ElicitRequest", v)
		}
		form, ok := req.Params.(*mcp.ElicitRequestFormParams)
		if !ok {
			t.Fatalf("params decoded as %T, want *ElicitRequestFormParams", req.Params)
		}
		if got := typeName(form.RequestedSchema.Properties["colors"]); got != "*mcp20251125.TitledMultiSelectEnumSchema" {
			t.Errorf("colors decoded as %s", got)
		}
		sameJSON(t, []byte(in), mustMarshal(t, v))
	})
}

// typeName reports the dynamic type of v, as %T does.
func typeName(v any) string { return fmt.Sprintf("%T", v) }

// ---------------------------------------------------------------------------
// 4. the ext-tasks extension

const extTimes = `"createdAt":"2026-08-21T10:00:00Z","lastUpdatedAt":"2026-08-21T10:00:01Z"`

func TestExtDetailedTask(t *testing.T) {
	tests := []struct {
		in    string
		check func(*testing.T, exttasks.DetailedTask)
	}{
		{`{"taskId":"t1","status":"working",` + extTimes + `,"ttlMs":60000,"pollIntervalMs":500}`, func(t *testing.T, d exttasks.DetailedTask) {
			w, ok := d.(*exttasks.WorkingTask)
			if !ok {
				t.Fatalf("chose %T, want *WorkingTask", d)
			}
			if w.TaskID != "t1" || w.TTLMs == nil || *w.TTLMs != 60000 || w.PollIntervalMs == nil || *w.PollIntervalMs != 500 {
				t.Errorf("decoded %+v", w)
			}
		}},
		{`{"taskId":"t2","status":"input_required",` + extTimes + `,"ttlMs":null,"inputRequests":{"r1":{"method":"roots/list"}}}`, func(t *testing.T, d exttasks.DetailedTask) {
			w, ok := d.(*exttasks.InputRequiredTask)
			if !ok {
				t.Fatalf("chose %T, want *InputRequiredTask", d)
			}
			if w.TTLMs != nil {
				t.Errorf("TTLMs = %d, want nil", *w.TTLMs)
			}
			if _, ok := w.InputRequests["r1"].(*exttasks.ListRootsRequest); !ok {
				t.Errorf("inputRequests.r1 decoded as %T, want *ListRootsRequest", w.InputRequests["r1"])
			}
		}},
		{`{"taskId":"t3","status":"completed",` + extTimes + `,"ttlMs":1000,"result":{"content":[{"type":"text","text":"done"}]}}`, func(t *testing.T, d exttasks.DetailedTask) {
			w, ok := d.(*exttasks.CompletedTask)
			if !ok {
				t.Fatalf("chose %T, want *CompletedTask", d)
			}
			want := map[string]any{"content": []any{map[string]any{"type": "text", "text": "done"}}}
			if diff := cmp.Diff(want, w.Result); diff != "" {
				t.Errorf("Result (-want +got):\n%s", diff)
			}
		}},
		{`{"taskId":"t4","status":"failed","statusMessage":"boom",` + extTimes + `,"ttlMs":null,"error":{"code":-32603,"message":"Internal error"}}`, func(t *testing.T, d exttasks.DetailedTask) {
			w, ok := d.(*exttasks.FailedTask)
			if !ok {
				t.Fatalf("chose %T, want *FailedTask", d)
			}
			if w.Error.Code != -32603 || w.Error.Message != "Internal error" || w.StatusMessage != "boom" {
				t.Errorf("decoded %+v", w)
			}
		}},
		{`{"taskId":"t5","status":"cancelled",` + extTimes + `,"ttlMs":null}`, func(t *testing.T, d exttasks.DetailedTask) {
			w, ok := d.(*exttasks.CancelledTask)
			if !ok {
				t.Fatalf("chose %T, want *CancelledTask", d)
			}
			if w.TaskID != "t5" {
				t.Errorf("decoded %+v", w)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			d, err := exttasks.UnmarshalDetailedTask([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, d)
			sameJSON(t, []byte(tc.in), mustMarshal(t, d))
		})
	}

	const statuses = "working, input_required, completed, failed, cancelled"
	errTests := []struct {
		name string
		in   string
		want exttasks.DecodeError
		text string
	}{
		{
			name: "completed without result",
			in:   `{"taskId":"t3","status":"completed",` + extTimes + `,"ttlMs":1000}`,
			want: exttasks.DecodeError{Path: "result", Msg: "required property is missing"},
			text: "result: required property is missing",
		},
		{
			name: "input_required without inputRequests",
			in:   `{"taskId":"t2","status":"input_required",` + extTimes + `,"ttlMs":null}`,
			want: exttasks.DecodeError{Path: "inputRequests", Msg: "required property is missing"},
			text: "inputRequests: required property is missing",
		},
		{
			name: "failed without error",
			in:   `{"taskId":"t4","status":"failed",` + extTimes + `,"ttlMs":null}`,
			want: exttasks.DecodeError{Path: "error", Msg: "required property is missing"},
			text: "error: required property is missing",
		},
		{
			name: "working without ttlMs",
			in:   `{"taskId":"t1","status":"working",` + extTimes + `}`,
			want: exttasks.DecodeError{Path: "ttlMs", Msg: "required property is missing"},
			text: "ttlMs: required property is missing",
		},
		{
			name: "unknown status",
			in:   `{"taskId":"t1","status":"sleeping",` + extTimes + `,"ttlMs":null}`,
			want: exttasks.DecodeError{Path: "status", Msg: `unknown value "sleeping" (want ` + statuses + `)`},
			text: `status: unknown value "sleeping" (want ` + statuses + `)`,
		},
		{
			name: "without status",
			in:   `{"taskId":"t1",` + extTimes + `,"ttlMs":null}`,
			want: exttasks.DecodeError{Path: "status", Msg: "required property is missing"},
			text: "status: required property is missing",
		},
		{
			name: "completed result not an object",
			in:   `{"taskId":"t3","status":"completed",` + extTimes + `,"ttlMs":1,"result":"done"}`,
			want: exttasks.DecodeError{Path: "result", Expected: "object", Got: "string"},
			text: "result: expected object, got string",
		},
		{
			name: "input request with unknown method under a quoted key",
			in:   `{"taskId":"t2","status":"input_required",` + extTimes + `,"ttlMs":null,"inputRequests":{"req-1":{"method":"tools/call"}}}`,
			want: exttasks.DecodeError{Path: `inputRequests["req-1"].method`, Msg: `unknown value "tools/call" (want sampling/createMessage, roots/list, elicitation/create)`},
			text: `inputRequests["req-1"].method: unknown value "tools/call" (want sampling/createMessage, roots/list, elicitation/create)`,
		},
	}
	for _, tc := range errTests {
		t.Run("error/"+tc.name, func(t *testing.T) {
			_, err := exttasks.UnmarshalDetailedTask([]byte(tc.in))
			wantExtError(t, err, tc.want, tc.text)
		})
	}
}

func TestExtGetTaskResult(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{`{"resultType":"complete","taskId":"t1","status":"working",` + extTimes + `,"ttlMs":null}`, "*exttasks.GetTaskResultWorking"},
		{`{"resultType":"complete","taskId":"t1","status":"input_required",` + extTimes + `,"ttlMs":null,"inputRequests":{}}`, "*exttasks.GetTaskResultInputRequired"},
		{`{"resultType":"complete","taskId":"t1","status":"completed",` + extTimes + `,"ttlMs":null,"result":{}}`, "*exttasks.GetTaskResultCompleted"},
		{`{"resultType":"complete","taskId":"t1","status":"failed",` + extTimes + `,"ttlMs":null,"error":{"code":1,"message":"m"}}`, "*exttasks.GetTaskResultFailed"},
		{`{"resultType":"complete","taskId":"t1","status":"cancelled",` + extTimes + `,"ttlMs":5,"x-extra":[1]}`, "*exttasks.GetTaskResultCancelled"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			v, err := exttasks.UnmarshalGetTaskResult([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := typeName(v); got != tc.want {
				t.Errorf("chose %s, want %s", got, tc.want)
			}
			sameJSON(t, []byte(tc.in), mustMarshal(t, v))
		})
	}

	errTests := []struct {
		name string
		in   string
		want exttasks.DecodeError
		text string
	}{
		{
			name: "completed without result",
			in:   `{"resultType":"complete","taskId":"t1","status":"completed",` + extTimes + `,"ttlMs":null}`,
			want: exttasks.DecodeError{Path: "result", Msg: "required property is missing"},
			text: "result: required property is missing",
		},
		{
			name: "input_required without inputRequests",
			in:   `{"resultType":"complete","taskId":"t1","status":"input_required",` + extTimes + `,"ttlMs":null}`,
			want: exttasks.DecodeError{Path: "inputRequests", Msg: "required property is missing"},
			text: "inputRequests: required property is missing",
		},
		{
			name: "resultType task",
			in:   `{"resultType":"task","taskId":"t1","status":"working",` + extTimes + `,"ttlMs":null}`,
			want: exttasks.DecodeError{Path: "resultType", Msg: `must be "complete", got "task"`},
			text: `resultType: must be "complete", got "task"`,
		},
		{
			name: "without resultType",
			in:   `{"taskId":"t1","status":"working",` + extTimes + `,"ttlMs":null}`,
			want: exttasks.DecodeError{Path: "resultType", Msg: "required property is missing"},
			text: "resultType: required property is missing",
		},
	}
	for _, tc := range errTests {
		t.Run("error/"+tc.name, func(t *testing.T) {
			_, err := exttasks.UnmarshalGetTaskResult([]byte(tc.in))
			wantExtError(t, err, tc.want, tc.text)
		})
	}
}

func TestExtCreateTaskResult(t *testing.T) {
	t.Run("ttlMs null", func(t *testing.T) {
		in := `{"resultType":"task","taskId":"t1","status":"working",` + extTimes + `,"ttlMs":null}`
		res := roundTrip[exttasks.CreateTaskResult](t, in)
		if res.TTLMs != nil || res.Status != exttasks.TaskStatus("working") || res.TaskID != "t1" {
			t.Errorf("decoded TTLMs=%v Status=%q TaskID=%q", res.TTLMs, res.Status, res.TaskID)
		}
		if raw := objectFields(t, mustMarshal(t, res))["ttlMs"]; string(raw) != "null" {
			t.Errorf(`re-encoded "ttlMs" = %s, want null`, raw)
		}
	})

	t.Run("ttlMs and extra properties", func(t *testing.T) {
		in := `{"resultType":"task","taskId":"t1","status":"completed",` + extTimes + `,"ttlMs":3600000,"pollIntervalMs":0,"vendor":{"a":"b"}}`
		res := roundTrip[exttasks.CreateTaskResult](t, in)
		if res.TTLMs == nil || *res.TTLMs != 3600000 || res.PollIntervalMs == nil || *res.PollIntervalMs != 0 {
			t.Errorf("decoded TTLMs=%v PollIntervalMs=%v", res.TTLMs, res.PollIntervalMs)
		}
		if diff := cmp.Diff(map[string]any{"vendor": map[string]any{"a": "b"}}, res.AdditionalProperties); diff != "" {
			t.Errorf("AdditionalProperties (-want +got):\n%s", diff)
		}
	})

	t.Run("built in Go", func(t *testing.T) {
		out := mustMarshal(t, exttasks.CreateTaskResult{TaskID: "t1", Status: exttasks.TaskStatus("working"), CreatedAt: "a", LastUpdatedAt: "b"})
		sameJSON(t, []byte(`{"resultType":"task","taskId":"t1","status":"working","createdAt":"a","lastUpdatedAt":"b","ttlMs":null}`), out)
	})

	errTests := []struct {
		name string
		in   string
		want exttasks.DecodeError
		text string
	}{
		{
			name: "resultType complete",
			in:   `{"resultType":"complete","taskId":"t1","status":"working",` + extTimes + `,"ttlMs":null}`,
			want: exttasks.DecodeError{Path: "resultType", Msg: `must be "task", got "complete"`},
			text: `resultType: must be "task", got "complete"`,
		},
		{
			name: "without resultType",
			in:   `{"taskId":"t1","status":"working",` + extTimes + `,"ttlMs":null}`,
			want: exttasks.DecodeError{Path: "resultType", Msg: "required property is missing"},
			text: "resultType: required property is missing",
		},
		{
			name: "without ttlMs",
			in:   `{"resultType":"task","taskId":"t1","status":"working",` + extTimes + `}`,
			want: exttasks.DecodeError{Path: "ttlMs", Msg: "required property is missing"},
			text: "ttlMs: required property is missing",
		},
		{
			name: "ttlMs string",
			in:   `{"resultType":"task","taskId":"t1","status":"working",` + extTimes + `,"ttlMs":"60s"}`,
			want: exttasks.DecodeError{Path: "ttlMs", Expected: "integer or null", Got: "string"},
			text: "ttlMs: expected integer or null, got string",
		},
		{
			name: "status not a task status",
			in:   `{"resultType":"task","taskId":"t1","status":"sleeping",` + extTimes + `,"ttlMs":null}`,
			want: exttasks.DecodeError{Path: "status", Msg: `unknown TaskStatus "sleeping" (want one of "working", "input_required", "completed", "failed", "cancelled")`},
			text: `status: unknown TaskStatus "sleeping" (want one of "working", "input_required", "completed", "failed", "cancelled")`,
		},
	}
	for _, tc := range errTests {
		t.Run("error/"+tc.name, func(t *testing.T) {
			_, err := unmarshalAs[exttasks.CreateTaskResult]([]byte(tc.in))
			wantExtError(t, err, tc.want, tc.text)
		})
	}
}

// TestIntegersWrittenWithAFraction: one rule for numbers everywhere. An
// integer written 1.0 or 1e2 decodes as the integer inside unions and
// multi-kind values as it does in a plain integer field.
func TestIntegersWrittenWithAFraction(t *testing.T) {
	var res mcp.ElicitResult
	if err := json.Unmarshal([]byte(`{"action":"accept","content":{"n":1.0,"m":2e1}}`), &res); err != nil {
		t.Fatal(err)
	}
	if n, ok := res.Content["n"].(mcp.ElicitResultContentValueInteger); !ok || n != 1 {
		t.Errorf("content.n = %#v, want the integer 1", res.Content["n"])
	}
	if m, ok := res.Content["m"].(mcp.ElicitResultContentValueInteger); !ok || m != 20 {
		t.Errorf("content.m = %#v, want the integer 20", res.Content["m"])
	}
	if err := json.Unmarshal([]byte(`{"action":"accept","content":{"x":2.5}}`), &res); err == nil {
		t.Errorf("content.x 2.5 decoded as %#v; the schema takes no fraction there", res.Content["x"])
	}
	var p mcp.ProgressNotificationParams
	if err := json.Unmarshal([]byte(`{"progressToken":1e2,"progress":1}`), &p); err != nil {
		t.Fatal(err)
	}
	if n, ok := p.ProgressToken.AsInteger(); !ok || n != 100 {
		t.Errorf("progressToken 1e2 = %v, want the integer 100", p.ProgressToken)
	}
}

// TestMapKeyRepeated: in a map, as in a struct, a bad value of a key that
// the object repeats later is dropped and the last value wins; a bad last
// value is an error at its key.
func TestMapKeyRepeated(t *testing.T) {
	var res mcp.ElicitResult
	if err := json.Unmarshal([]byte(`{"action":"accept","content":{"n":{},"n":3}}`), &res); err != nil {
		t.Fatalf("a bad first copy of a repeated key: %v", err)
	}
	if n, ok := res.Content["n"].(mcp.ElicitResultContentValueInteger); !ok || n != 3 || len(res.Content) != 1 {
		t.Errorf("content = %#v, want only n = 3", res.Content)
	}
	err := json.Unmarshal([]byte(`{"action":"accept","content":{"n":3,"n":{}}}`), &res)
	if err == nil || !strings.HasPrefix(err.Error(), "content.n: ") {
		t.Errorf("a bad last copy: %v, want an error at content.n", err)
	}
}
