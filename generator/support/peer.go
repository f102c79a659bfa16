package support

import (
	"context"
	"encoding/json"
)

// Peer sends JSON-RPC requests and notifications to the other side of a
// connection: an SDK session, a transport, a test pipe. The task engine
// uses it to ask the requestor for input and to send status
// notifications; the typed client sends every request through it.
//
// Its methods use only standard-library types, so that one implementation
// serves every package mcpgen generates.
type Peer interface {
	// Call sends a request and returns the raw result of its response.
	// params is nil for a request without params.
	//
	// A JSON-RPC error response is returned as an error that has the
	// method
	//
	//	RPCError() (code int64, message string, data json.RawMessage)
	//
	// (data is the raw error data, nil when there is none), so that an
	// implementation in any module can report one with standard-library
	// types alone; the *Error of every package mcpgen generates has that
	// method, and one of this package's is kept as it is. The typed
	// callers (ServerCaller, ClientCaller) turn such an error into this
	// package's *Error; any other error is a failure to get an answer.
	Call(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error)
	// Notify sends a notification.
	Notify(ctx context.Context, method string, params json.RawMessage) error
}
