package gosdk_test

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcpgen-dev/mcpgen/gosdk"
)

func TestWrapReader(t *testing.T) {
	in := strings.Join([]string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"n":12345678901234567890},"task":{"ttl":5}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`not json`,
		`[{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"y"}},{"jsonrpc":"2.0","id":3,"method":"ping"}]`,
		`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"z","_meta":{"` + gosdk.TagKey + `":"{\"ttl\":1}"}}}`,
		`{"jsonrpc":"2.0","id":4,"method":"initialize","params":{"_meta":{"k":1}}}`,
	}, "\n")
	out, err := io.ReadAll(gosdk.WrapReader(io.NopCloser(strings.NewReader(in))))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d lines out:\n%s", len(lines), out)
	}
	tag := func(msg json.RawMessage) any {
		var m struct {
			Params struct {
				Meta map[string]any  `json:"_meta"`
				Task json.RawMessage `json:"task"`
			} `json:"params"`
		}
		if err := json.Unmarshal(msg, &m); err != nil {
			t.Fatalf("%s: %v", msg, err)
		}
		return m.Params.Meta[gosdk.TagKey]
	}
	if got := tag(json.RawMessage(lines[0])); got != `{"ttl":5}` {
		t.Errorf("tools/call with a task: tag %v in %s", got, lines[0])
	}
	if !strings.Contains(lines[0], `"task":{"ttl":5}`) || !strings.Contains(lines[0], `12345678901234567890`) {
		t.Errorf("params changed beyond the tag: %s", lines[0])
	}
	for i, want := range []string{`{"jsonrpc":"2.0","method":"notifications/initialized"}`, `not json`} {
		if lines[i+1] != want {
			t.Errorf("line %d = %s, want it untouched", i+2, lines[i+1])
		}
	}
	var batch []json.RawMessage
	if err := json.Unmarshal([]byte(lines[3]), &batch); err != nil || len(batch) != 2 {
		t.Fatalf("batch: %s (%v)", lines[3], err)
	}
	if got := tag(batch[0]); got != "" {
		t.Errorf("tools/call without a task: tag %#v", got)
	}
	if string(batch[1]) != `{"jsonrpc":"2.0","id":3,"method":"ping"}` {
		t.Errorf("ping in a batch changed: %s", batch[1])
	}
	if got := tag(json.RawMessage(lines[4])); got != "" {
		t.Errorf("a client's own tag survived: %#v", got)
	}
	if got := tag(json.RawMessage(lines[5])); got != "" || !strings.Contains(lines[5], `"k":1`) {
		t.Errorf("initialize: %s", lines[5])
	}
}

// A line over go-sdk's own limit passes through byte for byte.
func TestWrapReaderLongLine(t *testing.T) {
	long := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","task":{},"arguments":{"s":"` +
		strings.Repeat("a", sdk.DefaultMaxLineLength) + `"}}}` + "\n"
	next := `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"y","task":{}}}` + "\n"
	out, err := io.ReadAll(gosdk.WrapReader(io.NopCloser(strings.NewReader(long + next))))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte(long)) {
		t.Fatalf("the long line changed")
	}
	if rest := string(out[len(long):]); !strings.Contains(rest, gosdk.TagKey) {
		t.Errorf("the line after it was not tagged: %s", rest)
	}
}
