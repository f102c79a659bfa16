//go:build goexperiment.jsonv2

package bench

import jsonv2 "encoding/json/v2"

func init() {
	anchors = append(anchors, anchor{
		"jsonv2",
		func(data []byte, v any) error { return jsonv2.Unmarshal(data, v) },
		func(v any) ([]byte, error) { return jsonv2.Marshal(v) },
	})
}
