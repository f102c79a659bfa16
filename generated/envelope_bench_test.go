package generated_test

import (
	"testing"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// Decoding a whole JSON-RPC message with UnmarshalJSONRPCMessage, which
// must first find out which of its four members the message is, against
// decoding the same bytes as the member they are.

var (
	envelopeRequest  = []byte(`{"jsonrpc":"2.0","id":7,"method":"tasks/get","params":{"taskId":"786512e2-9e0d-44bd-8f29-789f320fe840"}}`)
	envelopeResponse = []byte(`{"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"The forecast for today: sunny, with a light breeze from the west."},{"type":"image","data":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==","mimeType":"image/png"}],"isError":false}}`)
)

func BenchmarkEnvelopeRequestAsMessage(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m, err := mcp.UnmarshalJSONRPCMessage(envelopeRequest)
		if err != nil {
			b.Fatal(err)
		}
		if _, ok := m.(*mcp.JSONRPCRequest); !ok {
			b.Fatalf("decoded a %T", m)
		}
	}
}

func BenchmarkEnvelopeRequestAsMember(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var r mcp.JSONRPCRequest
		if err := r.UnmarshalJSON(envelopeRequest); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEnvelopeResponseAsMessage(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m, err := mcp.UnmarshalJSONRPCMessage(envelopeResponse)
		if err != nil {
			b.Fatal(err)
		}
		if _, ok := m.(*mcp.JSONRPCResultResponse); !ok {
			b.Fatalf("decoded a %T", m)
		}
	}
}

func BenchmarkEnvelopeResponseAsMember(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var r mcp.JSONRPCResultResponse
		if err := r.UnmarshalJSON(envelopeResponse); err != nil {
			b.Fatal(err)
		}
	}
}
