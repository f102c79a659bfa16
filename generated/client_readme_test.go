package generated

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeQuotesExampleRemoteTask keeps the README's "Calling tasks from
// Go" example the code that ExampleRemoteTask compiles and runs: the
// quoted block must be the example's body from the caller on, unindented.
func TestReadmeQuotesExampleRemoteTask(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("example_client_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "This is `ExampleRemoteTask`")
	if !ok {
		t.Fatal("README does not introduce ExampleRemoteTask")
	}
	_, block, _ := strings.Cut(after, "```go\n")
	quoted, _, ok := strings.Cut(block, "```")
	if !ok {
		t.Fatal("README has no go block after the introduction")
	}
	const first = "server := &mcp.ServerCaller{Peer: pipe{d}}"
	_, body, ok := strings.Cut(string(src), "\t"+first)
	if !ok {
		t.Fatalf("ExampleRemoteTask has no line %q", first)
	}
	body, _, _ = strings.Cut(first+body, "\n}\n")
	var want strings.Builder
	for _, line := range strings.Split(body, "\n") {
		want.WriteString(strings.TrimPrefix(line, "\t") + "\n")
	}
	if quoted != want.String() {
		t.Fatalf("README's example differs from ExampleRemoteTask:\n--- README\n%s--- example\n%s", quoted, want.String())
	}
}
