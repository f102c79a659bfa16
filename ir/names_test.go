package ir

import "testing"

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"taskId":                               "TaskID",
		"uri":                                  "URI",
		"mimeType":                             "MIMEType",
		"ttl":                                  "TTL",
		"ttlMs":                                "TTLMs",
		"_meta":                                "Meta",
		"jsonrpc":                              "JSONRPC",
		"isError":                              "IsError",
		"uriTemplate":                          "URITemplate",
		"io.modelcontextprotocol/related-task": "IoModelcontextprotocolRelatedTask",
		"task_id":                              "TaskID",
		"HTTPHeader":                           "HTTPHeader",
		"$schema":                              "Schema",
		"2fa":                                  "X2fa",
		"":                                     "",
		"ünïcode":                              "NCode",
	} {
		if got := GoName(in); got != want {
			t.Errorf("GoName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTypeNameKeepsDefinitionNames(t *testing.T) {
	for in, want := range map[string]string{
		"RequestId":         "RequestId",
		"JSONRPCMessage":    "JSONRPCMessage",
		"lower_case":        "LowerCase",
		"Has-Dash":          "HasDash",
		"CreateTaskResult":  "CreateTaskResult",
		"URLElicitationErr": "URLElicitationErr",
	} {
		if got := TypeName(in); got != want {
			t.Errorf("TypeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConstName(t *testing.T) {
	for in, want := range map[string]string{
		"input_required": "InputRequired",
		"tools/call":     "ToolsCall",
		"":               "Empty",
		"2.0":            "X20",
	} {
		if got := ConstName(in); got != want {
			t.Errorf("ConstName(%q) = %q, want %q", in, got, want)
		}
	}
}
