package gosdk

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	gen "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// maxTaggedLine and maxTaggedBody are the largest stdio line and HTTP body
// the wrappers rewrite, go-sdk's own default limits: a larger one goes to
// go-sdk untouched (and is refused there, unless its limit was raised).
const (
	maxTaggedLine = sdk.DefaultMaxLineLength
	maxTaggedBody = sdk.DefaultMaxRequestBodyBytes
)

// tagParams rewrites the params of one request: for tools/call it records
// params.task (its JSON text, or "" when absent) under params._meta[TagKey];
// for initialize it records "" there. It reports false, and the params stay
// as they are, for other methods and for params that are not an object
// (go-sdk answers those itself).
func tagParams(method string, params json.RawMessage) (json.RawMessage, bool) {
	if method != gen.MethodCallTool && method != gen.MethodInitialize {
		return params, false
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(params, &obj); err != nil || obj == nil {
		return params, false
	}
	meta := map[string]json.RawMessage{}
	if m, ok := obj["_meta"]; ok && string(m) != "null" {
		if err := json.Unmarshal(m, &meta); err != nil || meta == nil {
			return params, false
		}
	}
	tag := ""
	if method == gen.MethodCallTool {
		if task, ok := obj["task"]; ok {
			tag = string(task)
		}
	}
	var err error
	if meta[TagKey], err = json.Marshal(tag); err != nil {
		return params, false
	}
	if obj["_meta"], err = json.Marshal(meta); err != nil {
		return params, false
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return params, false
	}
	return out, true
}

// tagMessage rewrites one JSON-RPC message, or a batch of them, as
// tagParams does. It reports false, and the data stay as they are, when
// nothing needed a tag or the data are not JSON-RPC.
func tagMessage(data []byte) ([]byte, bool) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var batch []json.RawMessage
		if err := json.Unmarshal(trimmed, &batch); err != nil {
			return data, false
		}
		changed := false
		for i, m := range batch {
			if out, ok := tagMessage(m); ok {
				batch[i], changed = out, true
			}
		}
		if !changed {
			return data, false
		}
		out, err := json.Marshal(batch)
		if err != nil {
			return data, false
		}
		return out, true
	}
	var msg map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &msg); err != nil {
		return data, false
	}
	var method string
	if err := json.Unmarshal(msg["method"], &method); err != nil {
		return data, false
	}
	if _, isCall := msg["id"]; !isCall {
		return data, false
	}
	params, ok := tagParams(method, msg["params"])
	if !ok {
		return data, false
	}
	msg["params"] = params
	out, err := json.Marshal(msg)
	if err != nil {
		return data, false
	}
	return out, true
}

// WrapHTTPHandler tags the requests of every POST body before h (a go-sdk
// mcp.StreamableHTTPHandler) decodes them. Bodies larger than
// sdk.DefaultMaxRequestBodyBytes pass through untagged.
func WrapHTTPHandler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Body == nil || r.Body == http.NoBody {
			h.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxTaggedBody+1))
		if err != nil {
			http.Error(w, "failed to read body", http.StatusBadRequest)
			return
		}
		r2 := r.WithContext(r.Context())
		if len(body) > maxTaggedBody {
			r2.Body = readCloser{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
		} else {
			if out, ok := tagMessage(body); ok {
				body = out
			}
			r2.Body = io.NopCloser(bytes.NewReader(body))
			r2.ContentLength = int64(len(body))
		}
		h.ServeHTTP(w, r2)
	})
}

type readCloser struct {
	io.Reader
	io.Closer
}

// StdioTransport is go-sdk's mcp.StdioTransport with the adapter's tagging
// of what it reads from stdin.
func StdioTransport() *sdk.IOTransport {
	return &sdk.IOTransport{Reader: WrapReader(os.Stdin), Writer: nopWriteCloser{os.Stdout}}
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// WrapReader tags the requests in a stream of newline-delimited JSON-RPC
// messages (MCP's stdio framing), for a go-sdk mcp.IOTransport. Each line is
// rewritten on its own; a line that is not a request needing a tag, or is
// longer than sdk.DefaultMaxLineLength, passes through byte for byte.
func WrapReader(r io.ReadCloser) io.ReadCloser {
	return &lineTagger{src: bufio.NewReaderSize(r, 64<<10), closer: r}
}

type lineTagger struct {
	src    *bufio.Reader
	closer io.Closer
	out    []byte // tagged data not yet read
	err    error  // the source's error, once out is drained
	// skipping is set while passing through the rest of an over-long line.
	skipping bool
}

func (t *lineTagger) Read(p []byte) (int, error) {
	for len(t.out) == 0 {
		if t.err != nil {
			return 0, t.err
		}
		t.fill()
	}
	n := copy(p, t.out)
	t.out = t.out[n:]
	return n, nil
}

// fill reads the next line (or, while skipping, the next piece of one) into out.
func (t *lineTagger) fill() {
	if t.skipping {
		chunk, err := t.src.ReadSlice('\n')
		t.out = append([]byte(nil), chunk...)
		switch err {
		case nil:
			t.skipping = false
		case bufio.ErrBufferFull:
		default:
			t.err = err
		}
		return
	}
	var line []byte
	for {
		chunk, err := t.src.ReadSlice('\n')
		line = append(line, chunk...)
		if err == bufio.ErrBufferFull {
			if len(line) > maxTaggedLine {
				t.out, t.skipping = line, true
				return
			}
			continue
		}
		if err != nil {
			t.err = err
		}
		break
	}
	if len(line) <= maxTaggedLine {
		if out, ok := tagMessage(line); ok {
			line = append(out, '\n')
		}
	}
	t.out = line
}

func (t *lineTagger) Close() error { return t.closer.Close() }

// WrapTransport tags the requests t's connection reads, for transports
// WrapHTTPHandler and WrapReader do not cover (mcp.InMemoryTransport, custom
// ones). The wrapped connection hides go-sdk's unexported optional
// interfaces from go-sdk (serverConnection.sessionUpdated,
// mcp/transport.go:115-120 and mcp/server.go:1574; cancellationPropagator,
// mcp/transport.go:248): on the IO transports that only loses the refusal
// of JSON-RPC batches from 2025-06-18 on (mcp/transport.go:705). Prefer
// WrapReader or WrapHTTPHandler where they apply.
func WrapTransport(t sdk.Transport) sdk.Transport {
	if pvs, ok := t.(sdk.ProtocolVersionSupporter); ok {
		return versionedTransport{transport{t}, pvs}
	}
	return transport{t}
}

type transport struct{ sdk.Transport }

// versionedTransport keeps the exported ProtocolVersionSupporter of the
// wrapped transport (go-sdk consults it, mcp/server.go:966).
type versionedTransport struct {
	transport
	sdk.ProtocolVersionSupporter
}

func (t transport) Connect(ctx context.Context) (sdk.Connection, error) {
	c, err := t.Transport.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return conn{c}, nil
}

type conn struct{ sdk.Connection }

func (c conn) Read(ctx context.Context) (jsonrpc.Message, error) {
	msg, err := c.Connection.Read(ctx)
	if req, ok := msg.(*jsonrpc.Request); ok && err == nil && req.IsCall() {
		if params, ok := tagParams(req.Method, req.Params); ok {
			req.Params = params
		}
	}
	return msg, err
}
