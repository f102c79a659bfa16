package rpcconn

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
)

// HTTP is a client of stateless Streamable HTTP (protocol 2026-07-28):
// every request is one POST that carries the protocol version, the
// method and, for the methods that act on a name, Mcp-Name as headers,
// and Meta in params._meta.
type HTTP struct {
	URL string
	// ProtocolVersion goes in the MCP-Protocol-Version header.
	ProtocolVersion string
	// Meta is added to the params._meta of every request: the protocol
	// version, client info and capabilities the protocol wants on each.
	Meta   map[string]any
	Client *http.Client

	nextID atomic.Int64
}

// Call posts a request and reads its JSON response.
func (h *HTTP) Call(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
	var body map[string]any
	if len(params) > 0 {
		if err := json.Unmarshal(params, &body); err != nil {
			return nil, fmt.Errorf("params: %w", err)
		}
	}
	if body == nil {
		body = map[string]any{}
	}
	meta, _ := body["_meta"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
	}
	for k, v := range h.Meta {
		meta[k] = v
	}
	body["_meta"] = meta
	id := h.nextID.Add(1)
	data, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": body})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", h.ProtocolVersion)
	req.Header.Set("Mcp-Method", method)
	for _, key := range []string{"taskId", "name"} {
		if v, ok := body[key].(string); ok {
			req.Header.Set("Mcp-Name", v)
			break
		}
	}
	client := h.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var m message
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("HTTP %d: not a JSON-RPC response: %w: %.200s", resp.StatusCode, err, raw)
	}
	if m.Error != nil {
		return nil, m.Error
	}
	if m.Result == nil {
		return nil, fmt.Errorf("HTTP %d: a response without result or error: %.200s", resp.StatusCode, raw)
	}
	return m.Result, nil
}

// Notify posts a notification.
func (h *HTTP) Notify(ctx context.Context, method string, params json.RawMessage) error {
	return fmt.Errorf("%s: notifications are not sent over this connection", method)
}
