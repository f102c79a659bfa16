package generated_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// TestEngineFlood: 30 000 tasks created and finished on one engine are
// all listed, once each, in pages no larger than the page size, and what
// the flood costs is logged (the old taskdemo took O(n) per create and
// did not list 30 000 tasks within a minute).
func TestEngineFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 30 000 tasks")
	}
	const n = 30000
	ctx := context.Background()
	e := mcp.NewEngine(mcp.EngineOptions{ListWithoutOwner: true, NoStatusNotifications: true})
	defer e.Close(ctx)
	done := func(context.Context, *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{Content: []mcp.ContentBlock{&mcp.TextContent{Text: "ok"}}}, nil
	}
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	for i := range n {
		for e.RunningTasks() >= 900 { // under the default MaxTasksPerOwner, 1 000
			runtime.Gosched()
		}
		if _, err := e.StartTool(ctx, &mcp.CallToolRequestParams{Name: "t", Task: &mcp.TaskMetadata{}}, done); err != nil {
			t.Fatalf("task %d: %v", i, err)
		}
	}
	created := time.Since(start)
	for e.RunningTasks() > 0 {
		time.Sleep(10 * time.Millisecond)
	}
	start = time.Now()
	seen := map[string]bool{}
	pages, cursor := 0, ""
	for {
		p := &mcp.PaginatedRequestParams{}
		if cursor != "" {
			p.Cursor = cursor
		}
		page, err := e.ListTasks(ctx, p)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		pages++
		for _, task := range page.Tasks {
			if seen[task.TaskID] {
				t.Fatalf("task %s listed twice", task.TaskID)
			}
			seen[task.TaskID] = true
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	listed := time.Since(start)
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if len(seen) != n {
		t.Errorf("listed %d tasks, want %d", len(seen), n)
	}
	t.Logf("%d tasks: created in %v (%v each), listed in %d pages in %v; heap %d MB after, %d MB before",
		n, created.Round(time.Millisecond), (created / n).Round(time.Microsecond), pages, listed.Round(time.Millisecond),
		after.HeapAlloc>>20, before.HeapAlloc>>20)
}
