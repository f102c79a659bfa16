package bench

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAnchorsDecodeAlike checks, before any anchor is timed, that every
// anchor decodes every bench message into a value equal to the one
// encoding/json decodes into the same bare struct, and that what each
// anchor encodes decodes back, under encoding/json, to that value again:
// no anchor is timed on a wrong answer.
func TestAnchorsDecodeAlike(t *testing.T) {
	for _, k := range kinds {
		data := []byte(messages[k.name])
		want := k.bare()
		if err := json.Unmarshal(data, want); err != nil {
			t.Fatalf("%s: encoding/json: %v", k.name, err)
		}
		for _, a := range anchors {
			got := k.bare()
			if err := a.unmarshal(data, got); err != nil {
				t.Errorf("%s: %s decode: %v", k.name, a.name, err)
				continue
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s: %s decodes otherwise than encoding/json (-want +got):\n%s", k.name, a.name, d)
			}
			encodesBack(t, k.name+"/"+a.name, a.marshal, got, k.bare, want)
		}
	}
}

// TestBareParsesEmbeddedResource guards the fairness of the bare
// CallToolResult: it must parse the embedded resource, as mcpgen does,
// not keep it raw.
func TestBareParsesEmbeddedResource(t *testing.T) {
	var v bareCallToolResult
	if err := json.Unmarshal([]byte(messages["CallToolResult"]), &v); err != nil {
		t.Fatal(err)
	}
	want := &bareResource{URI: "file:///tmp/data.json", MimeType: "application/json", Text: `{"a":1}`}
	if d := cmp.Diff(want, v.Content[3].Resource); d != "" {
		t.Errorf("embedded resource (-want +got):\n%s", d)
	}
}

// TestImplsRoundTrip checks every timed path, mcpgen's and mcp-go's
// included, on every message: it decodes without error, and what it
// encodes decodes under encoding/json into the bare result.
func TestImplsRoundTrip(t *testing.T) {
	for _, k := range kinds {
		data := []byte(messages[k.name])
		want := k.bare()
		if err := json.Unmarshal(data, want); err != nil {
			t.Fatal(err)
		}
		for _, im := range impls() {
			v := im.new(k)
			if err := im.unmarshal(data, v); err != nil {
				t.Errorf("%s/%s decode: %v", k.name, im.name, err)
				continue
			}
			if im.name == "mcpgo" {
				// mcp-go's own shapes: checked only to encode valid JSON.
				if out, err := im.marshal(v); err != nil || !json.Valid(out) {
					t.Errorf("%s/mcpgo encode: %v\n%s", k.name, err, out)
				}
				continue
			}
			encodesBack(t, k.name+"/"+im.name, im.marshal, v, k.bare, want)
		}
	}
}

// encodesBack reports an error unless marshal encodes v into JSON that
// encoding/json decodes, into a fresh bare value, equal to want.
func encodesBack(t *testing.T, label string, marshal func(any) ([]byte, error), v any, fresh func() any, want any) {
	t.Helper()
	out, err := marshal(v)
	if err != nil {
		t.Errorf("%s encode: %v", label, err)
		return
	}
	back := fresh()
	if err := json.Unmarshal(out, back); err != nil {
		t.Errorf("%s encodes invalid JSON: %v\n%s", label, err, out)
		return
	}
	if d := cmp.Diff(want, back); d != "" {
		t.Errorf("%s encodes otherwise than encoding/json decodes (-want +got):\n%s", label, d)
	}
}
