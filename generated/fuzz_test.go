package generated_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ext "github.com/mcpgen-dev/mcpgen/generated/exttasks"
	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// fuzzSeeds are messages of both designs, valid and slightly broken.
func fuzzSeeds(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"a":[1,2.5,"s",null]},"task":{"ttl":60000}}}`,
		`{"jsonrpc":"2.0","id":"r","result":{"task":{"taskId":"t","status":"working","createdAt":"c","lastUpdatedAt":"c","ttl":null,"pollInterval":5}}}`,
		`{"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"m","data":null}}`,
		`{"jsonrpc":"2.0","method":"notifications/tasks/status","params":{"taskId":"t","status":"completed","createdAt":"c","lastUpdatedAt":"c","ttl":1}}`,
		`{"content":[{"type":"text","text":"t"},{"type":"image","data":"AA==","mimeType":"image/png"},{"type":"resource_link","uri":"u","name":"n"}],"isError":false}`,
		`{"taskId":"t","status":"input_required","createdAt":"c","lastUpdatedAt":"c","ttlMs":null,"inputRequests":{"k":{"method":"roots/list"}},"resultType":"complete"}`,
		`{"resultType":"task","taskId":"t","status":"working","createdAt":"c","lastUpdatedAt":"c","ttlMs":9007199254740993}`,
		`9007199254740993`, `"id"`, `null`, `[]`, `{}`, `{"taskId":1}`,
	} {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "golden", "*.json"))
	for _, file := range files[:1] {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
}

// roundTripStable decodes data as definition name; whatever decodes must
// be JSON by encoding/json's judgment, encode, decode again, and encode to
// the same bytes. What does not decode for being malformed must not be
// JSON.
func roundTripStable(t *testing.T, name string, data []byte, decode func(string, []byte) (any, error)) {
	v, err := decode(name, data)
	if err != nil {
		if strings.Contains(err.Error(), "invalid JSON") && json.Valid(data) {
			t.Fatalf("%s: %v, but encoding/json finds %q valid", name, err, data)
		}
		return
	}
	if !json.Valid(data) {
		t.Fatalf("%s decoded from %q, which encoding/json finds invalid", name, data)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s decoded from %s but does not encode: %v", name, data, err)
	}
	v2, err := decode(name, out)
	if err != nil {
		t.Fatalf("%s re-encoded as %s does not decode: %v (input %s)", name, out, err, data)
	}
	out2, err := json.Marshal(v2)
	if err != nil || !bytes.Equal(out, out2) {
		t.Fatalf("%s is not stable: %s then %s (%v)", name, out, out2, err)
	}
}

var fuzzDefinitions20251125 = []string{"JSONRPCMessage", "ClientRequest", "ServerRequest", "ServerResult", "ServerNotification",
	"CallToolRequest", "CallToolResult", "CreateTaskResult", "GetTaskResult", "ListTasksResult", "Task", "RequestId", "ContentBlock", "ElicitRequestParams"}

func FuzzDecode20251125(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range fuzzDefinitions20251125 {
			roundTripStable(t, name, data, mcp.UnmarshalDefinition)
		}
	})
}

var fuzzDefinitionsExt = []string{"DetailedTask", "GetTaskResult", "CreateTaskResult", "TaskStatusNotification", "UpdateTaskRequest", "InputRequests", "RequestId", "JSONValue"}

func FuzzDecodeExtTasks(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range fuzzDefinitionsExt {
			roundTripStable(t, name, data, ext.UnmarshalDefinition)
		}
	})
}

// FuzzDispatcher sends arbitrary params to every method of both
// dispatchers: never a panic, and every answer is a result that is valid
// JSON or a JSON-RPC error with a code.
func FuzzDispatcher(f *testing.F) {
	fuzzSeeds(f)
	core := newDispatcher(&toolServer{}, taskCaps)
	extD := &ext.ServerDispatcher{Handler: &extServer{tasks: map[string]ext.GetTaskResult{}}}
	f.Fuzz(func(t *testing.T, params []byte) {
		ctx := context.Background()
		for _, m := range mcp.Methods {
			if m.Notification {
				core.Notify(ctx, m.Method, params)
				continue
			}
			res, e := core.Dispatch(ctx, m.Method, params)
			checkAnswer(t, m.Method, params, res, e != nil, func() int64 { return e.Code })
		}
		for _, m := range ext.Methods {
			if m.Notification {
				continue
			}
			res, e := extD.Dispatch(ctx, m.Method, params)
			checkAnswer(t, m.Method, params, res, e != nil, func() int64 { return e.Code })
		}
	})
}

func checkAnswer(t *testing.T, method string, params, res []byte, isErr bool, code func() int64) {
	t.Helper()
	if isErr {
		if code() == 0 {
			t.Fatalf("%s(%s): error without a code", method, params)
		}
		return
	}
	if !json.Valid(res) {
		t.Fatalf("%s(%s): result is not JSON: %s", method, params, res)
	}
}
