package ir

import "testing"

func TestArticle(t *testing.T) {
	for word, want := range map[string]string{
		"MCPTask": "an", "*MCPTask": "an", "`MCPTaskStatus`": "an", "HTTP": "an", "HTTPS": "an",
		"URL": "a", "URI": "a", "UUID": "a", "ID": "an", "IDs": "an", "RFC": "an", "SSE": "an",
		"TTL": "a", "JSON": "a", "JSONRPCMessage": "a", "MIME": "a", "X": "an", "x": "an", "A": "an",
		"Annotations": "an", "Error": "an", "Icon": "an", "Object": "an", "Task": "a", "ContentBlock": "a",
		"union": "a", "unique": "a", "user": "a", "unknown": "an", "unimplemented": "an", "unprefixed": "an",
		"update": "an", "hour": "an", "hint": "a", "one": "a", "European": "a", "enum": "an",
		"8": "an", "80": "an", "11": "an", "110": "a", "18": "an", "3": "a", "": "a",
		"UnimplementedServerHandler": "an", "UTF-8": "a", "SQL": "a",
	} {
		if got := Article(word); got != want {
			t.Errorf("Article(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestRenameWordsFixesArticles(t *testing.T) {
	names := map[string]string{"TaskStore": "MCPTaskStore", "DecodeError": "MCPDecodeError", "Task": "MCPTask"}
	for in, want := range map[string]string{
		"on a TaskStore.":                  "on an MCPTaskStore.",
		"A DecodeError reports":            "An MCPDecodeError reports",
		"is a *DecodeError, never":         "is an *MCPDecodeError, never",
		"a, TaskStore":                     "a, MCPTaskStore",
		"Task is English; a TaskStoreX no": "Task is English; a TaskStoreX no",
		"x.TaskStore and TaskStore":        "x.MCPTaskStore and MCPTaskStore",
		"a [Task] or a `Task`, a Task":     "an [MCPTask] or an `MCPTask`, a Task",
	} {
		if got := RenameWords(in, names); got != want {
			t.Errorf("RenameWords(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFixArticles(t *testing.T) {
	for in, want := range map[string]string{
		"a out-of-band request":  "an out-of-band request",
		"An URL and a HTTP call": "A URL and an HTTP call",
		"\ta object (code)":      "\ta object (code)",
		"//\ta object (code)":    "//\ta object (code)",
		"// a *Error, if a is b": "// an *Error, if a is b",
	} {
		if got := FixArticles(in); got != want {
			t.Errorf("FixArticles(%q) = %q, want %q", in, got, want)
		}
	}
}
