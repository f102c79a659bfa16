package schema

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
)

//go:embed data/*.json
var dataFiles embed.FS

// DataDir is where the project's own data about revisions lives, as the
// files are named in messages.
const DataDir = "schema/data"

// Lifecycle is the task lifecycle of one task design: project data, since
// the schema lists the statuses but not the moves between them.
type Lifecycle struct {
	File        string `json:"-"`
	Description string `json:"description"`
	// StatusType and TaskType name the schema definitions of the status
	// enum and of the task object.
	StatusType string           `json:"statusType"`
	TaskType   string           `json:"taskType"`
	Initial    string           `json:"initial"`
	States     []LifecycleState `json:"states"`
}

// LifecycleState is one status and the statuses it may move to.
type LifecycleState struct {
	State    string   `json:"state"`
	Next     []string `json:"next"`
	Terminal bool     `json:"terminal"`
}

// Protocol holds facts about the methods of a revision that its schema
// does not state in a form a generator can read.
type Protocol struct {
	File        string `json:"-"`
	Description string `json:"description"`
	Sides       []struct {
		Name string `json:"name"`
		// Requests, Notifications and Results name the schema's unions of
		// what this side receives and answers. A schema without such unions
		// (the tasks extension) lists the definitions instead.
		Requests          string   `json:"requests"`
		RequestTypes      []string `json:"requestTypes"`
		Results           string   `json:"results"`
		Notifications     string   `json:"notifications"`
		NotificationTypes []string `json:"notificationTypes"`
		Capabilities      string   `json:"capabilities"`
	} `json:"sides"`
	// ResultExceptions names the result type of methods whose request
	// XRequest is not answered by XResult.
	ResultExceptions map[string]string `json:"resultExceptions"`
	CreateTaskResult string            `json:"createTaskResult"`
	ToolTaskSupport  struct {
		Method    string `json:"method"`
		NameParam string `json:"nameParam"`
		Type      string `json:"type"`
		Default   string `json:"default"`
		Required  string `json:"required"`
		Forbidden string `json:"forbidden"`
	} `json:"toolTaskSupport"`
	// Extension describes an MCP extension's negotiation and errors.
	Extension              *Extension        `json:"extension"`
	RelatedTaskMetaKey     string            `json:"relatedTaskMetaKey"`
	RelatedTaskType        string            `json:"relatedTaskType"`
	TaskStatusNotification string            `json:"taskStatusNotification"`
	TaskMethods            map[string]string `json:"taskMethods"`
}

// Extension holds what an extension adds to negotiation: its identifier,
// where a client declares it on each request, the error codes for a client
// that did not and for a name header that disagrees with the body.
type Extension struct {
	ID                        string            `json:"id"`
	ClientCapabilitiesMetaKey string            `json:"clientCapabilitiesMetaKey"`
	MissingCapabilityCode     int64             `json:"missingCapabilityCode"`
	HeaderMismatchCode        int64             `json:"headerMismatchCode"`
	NameHeader                string            `json:"nameHeader"`
	NameParams                map[string]string `json:"nameParams"`
	Augmentable               []string          `json:"augmentable"`
}

// LoadLifecycle reads a lifecycle file from the project's data.
func LoadLifecycle(name string) (*Lifecycle, error) {
	var l Lifecycle
	if err := loadData(name, &l); err != nil {
		return nil, err
	}
	l.File = DataDir + "/" + name
	return &l, nil
}

// ParseLifecycle reads a lifecycle from data, naming it file in errors;
// tests use it for lifecycles that contradict a schema.
func ParseLifecycle(file string, data []byte) (*Lifecycle, error) {
	var l Lifecycle
	if err := strictDecode(data, &l); err != nil {
		return nil, &Error{File: file, Reason: err.Error()}
	}
	l.File = file
	return &l, nil
}

// LoadProtocol reads a protocol file from the project's data.
func LoadProtocol(name string) (*Protocol, error) {
	var p Protocol
	if err := loadData(name, &p); err != nil {
		return nil, err
	}
	p.File = DataDir + "/" + name
	return &p, nil
}

func loadData(name string, v any) error {
	data, err := dataFiles.ReadFile("data/" + name)
	if err != nil {
		return &Error{File: DataDir + "/" + name, Reason: "no such data file"}
	}
	if err := strictDecode(data, v); err != nil {
		return &Error{File: DataDir + "/" + name, Reason: err.Error()}
	}
	return nil
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("invalid data: %v", err)
	}
	return nil
}
