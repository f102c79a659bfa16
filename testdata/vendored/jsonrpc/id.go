// Package jsonrpc is the host SDK's own JSON-RPC id, which the vendored
// task bindings use instead of generating a RequestId of their own.
package jsonrpc

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// ID is a JSON-RPC request id: a string or an integer.
type ID struct {
	Str   string
	Num   int64
	IsNum bool
}

func (id ID) MarshalJSON() ([]byte, error) {
	if id.IsNum {
		return []byte(strconv.FormatInt(id.Num, 10)), nil
	}
	return json.Marshal(id.Str)
}

func (id *ID) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		*id = ID{}
		return json.Unmarshal(data, &id.Str)
	}
	n, err := strconv.ParseInt(string(data), 10, 64)
	if err != nil {
		return fmt.Errorf("jsonrpc: id %s is neither a string nor an integer", data)
	}
	*id = ID{Num: n, IsNum: true}
	return nil
}
