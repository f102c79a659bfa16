package bench

// The bare structs: the same JSON as the generated types, nothing checked.
// They decode the fields mcpgen decodes — the embedded resource of a
// CallToolResult included, parsed rather than kept raw — so that an anchor
// does no less work than the decoder it is compared with. They live in a
// file of their own so that easyjson can generate marshalers for them
// (bare_easyjson.go, made with -no_std_marshalers so that encoding/json and
// the other anchors never call easyjson's code through MarshalJSON).

//go:generate go tool easyjson -no_std_marshalers -all bare.go

type bareTask struct {
	TaskID        string `json:"taskId"`
	Status        string `json:"status"`
	StatusMessage string `json:"statusMessage,omitempty"`
	CreatedAt     string `json:"createdAt"`
	LastUpdatedAt string `json:"lastUpdatedAt"`
	TTL           *int64 `json:"ttl"`
	PollInterval  *int64 `json:"pollInterval,omitempty"`
}

type bareCreateTaskResult struct {
	Meta map[string]any `json:"_meta,omitempty"`
	Task bareTask       `json:"task"`
}

type bareListTasksResult struct {
	Tasks      []bareTask `json:"tasks"`
	NextCursor string     `json:"nextCursor,omitempty"`
}

type bareGetTaskParams struct {
	TaskID string `json:"taskId"`
}

type bareGetTaskRequest struct {
	JSONRPC string            `json:"jsonrpc"`
	ID      int64             `json:"id"`
	Method  string            `json:"method"`
	Params  bareGetTaskParams `json:"params"`
}

// bareResource is an embedded resource's contents: text or blob.
type bareResource struct {
	URI      string `json:"uri"`
	MimeType string `json:"mimeType,omitempty"`
	Text     string `json:"text,omitempty"`
	Blob     string `json:"blob,omitempty"`
}

// bareContent flattens the content-block union into one struct, which
// costs the anchors nothing the generated union saves them.
type bareContent struct {
	Type     string        `json:"type"`
	Text     string        `json:"text,omitempty"`
	Data     string        `json:"data,omitempty"`
	MimeType string        `json:"mimeType,omitempty"`
	URI      string        `json:"uri,omitempty"`
	Name     string        `json:"name,omitempty"`
	Resource *bareResource `json:"resource,omitempty"`
}

type bareCallToolResult struct {
	Content []bareContent `json:"content"`
	IsError bool          `json:"isError,omitempty"`
}
