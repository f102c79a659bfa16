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
	// Call sends a request and returns the raw result of its response. A
	// JSON-RPC error response is returned as an error; one of this
	// package's *Error is kept as it is.
	Call(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error)
	// Notify sends a notification.
	Notify(ctx context.Context, method string, params json.RawMessage) error
}
