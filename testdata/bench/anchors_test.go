package bench

import (
	"encoding/json"

	"github.com/bytedance/sonic"
	gojson "github.com/goccy/go-json"
	"github.com/mailru/easyjson"
	segjson "github.com/segmentio/encoding/json"
)

// anchor is a non-validating JSON library applied to the bare structs.
type anchor struct {
	name      string
	unmarshal func(data []byte, v any) error
	marshal   func(v any) ([]byte, error)
}

// anchors are the libraries mcpgen's decoders and encoders are held
// against. encoding/json/v2 joins them when the toolchain has it
// (anchors_jsonv2_test.go, GOEXPERIMENT=jsonv2).
var anchors = []anchor{
	{"encoding-json", json.Unmarshal, json.Marshal},
	{"goccy", gojson.Unmarshal, gojson.Marshal},
	{"sonic", sonic.Unmarshal, sonic.Marshal},
	{
		"easyjson",
		func(data []byte, v any) error { return easyjson.Unmarshal(data, v.(easyjson.Unmarshaler)) },
		func(v any) ([]byte, error) { return easyjson.Marshal(v.(easyjson.Marshaler)) },
	},
	{"segmentio", segjson.Unmarshal, segjson.Marshal},
}
