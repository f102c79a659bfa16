package everything

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/internal/rpcconn"
)

const (
	researchTool    = "simulate-research-query"
	protocolVersion = "2025-11-25"
	clientRoot      = "file:///tmp/mcpgen-everything"
)

// serverEverything returns node and the server's entry point, skipping the
// test when either is missing (failing it under CI).
func serverEverything(t *testing.T) (node, peersDir, script string) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	peersDir = filepath.Join(filepath.Dir(file), "..", "..", "testdata", "peers")
	script = filepath.Join(peersDir, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
	missing := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format, args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not found: %v", err)
	}
	if _, err := os.Stat(script); err != nil {
		missing("server-everything not installed (run npm ci in testdata/peers): %v", err)
	}
	return node, peersDir, script
}

// everythingClient answers what server-everything asks of a client: ping,
// roots/list, and elicitation/create (the clarification its ambiguous
// research query needs).
type everythingClient struct {
	mcp.UnimplementedClientHandler
	mu           sync.Mutex
	elicitations []mcp.ElicitRequestParams
	rootsAsked   int
	onStatus     func(*mcp.TaskStatusNotificationParams)
}

func (c *everythingClient) Ping(context.Context, *mcp.RequestParams) (*mcp.EmptyResult, error) {
	return &mcp.EmptyResult{}, nil
}

func (c *everythingClient) ListRoots(context.Context, *mcp.RequestParams) (*mcp.ListRootsResult, error) {
	c.mu.Lock()
	c.rootsAsked++
	c.mu.Unlock()
	return &mcp.ListRootsResult{Roots: []mcp.Root{{URI: clientRoot, Name: "mcpgen test root"}}}, nil
}

func (c *everythingClient) Elicit(ctx context.Context, p mcp.ElicitRequestParams) (*mcp.ElicitResult, error) {
	c.mu.Lock()
	c.elicitations = append(c.elicitations, p)
	c.mu.Unlock()
	form, ok := p.(*mcp.ElicitRequestFormParams)
	if !ok {
		return nil, &mcp.Error{Code: mcp.CodeInvalidParams, Message: fmt.Sprintf("only form elicitation is supported, got %T", p)}
	}
	if _, ok := form.RequestedSchema.Properties["interpretation"]; !ok {
		return &mcp.ElicitResult{Action: mcp.ElicitResultActionDecline}, nil
	}
	return &mcp.ElicitResult{
		Action:  mcp.ElicitResultActionAccept,
		Content: map[string]mcp.ElicitResultContentValue{"interpretation": mcp.ElicitResultContentValueString("programming")},
	}, nil
}

func (c *everythingClient) OnTaskStatus(ctx context.Context, p *mcp.TaskStatusNotificationParams) error {
	c.onStatus(p)
	return nil
}

// TestServerEverythingTasks drives @modelcontextprotocol/server-everything
// through the core 2025-11-25 task flows with the generated client: a task
// polled to completion, one through input_required with its elicitation
// answered, and one cancelled. RemoteTask holds every status, polled or
// notified, to the lifecycle. Every message the server sends is decoded
// with the generated types and must re-encode to the same JSON.
func TestServerEverythingTasks(t *testing.T) {
	node, peersDir, script := serverEverything(t)
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()

	var (
		tasks    sync.Map // id → *mcp.RemoteTask
		notesMu  sync.Mutex
		notes    = map[string][]mcp.TaskStatus{}
		noteErrs []error
	)
	client := &everythingClient{onStatus: func(p *mcp.TaskStatusNotificationParams) {
		notesMu.Lock()
		defer notesMu.Unlock()
		notes[p.TaskID] = append(notes[p.TaskID], p.Status)
		if v, ok := tasks.Load(p.TaskID); ok {
			if err := v.(*mcp.RemoteTask).ObserveNotification(p); err != nil {
				noteErrs = append(noteErrs, err)
			}
		}
	}}
	caps := mcp.ClientCapabilities{
		Elicitation: &mcp.ClientCapabilitiesElicitation{Form: map[string]any{}},
		Roots:       &mcp.ClientCapabilitiesRoots{ListChanged: ptr(false)},
	}
	d := &mcp.ClientDispatcher{Handler: client, Capabilities: caps}

	cmd := exec.Command(node, script, "stdio")
	cmd.Dir = peersDir
	conn, err := rpcconn.StartProcess(cmd, rpcconn.Dispatch(d.Dispatch), func(method string, params json.RawMessage) { d.Notify(ctx, method, params) })
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	closeAndCheck := func() {
		if closed {
			return
		}
		closed = true
		// Node keeps running on stdin EOF while the server has timers (the
		// task store's TTL timers); server-everything exits on SIGINT.
		conn.Close(200 * time.Millisecond)
		<-conn.Done()
		checkRoundTrips(t, conn.Stream)
	}
	defer func() {
		closeAndCheck()
		if t.Failed() {
			t.Logf("server stderr:\n%s", conn.Stderr())
		}
	}()
	server := &mcp.ServerCaller{Peer: conn}

	initRes, err := server.Initialize(ctx, &mcp.InitializeRequestParams{
		ProtocolVersion: protocolVersion,
		ClientInfo:      mcp.Implementation{Name: "mcpgen-everything-test", Version: "0.0.1"},
		Capabilities:    caps,
	})
	if err != nil {
		t.Fatalf("initialize: %v", err)
	}
	if initRes.ProtocolVersion != protocolVersion {
		t.Fatalf("server answered protocolVersion %q, want %q", initRes.ProtocolVersion, protocolVersion)
	}
	sc := &initRes.Capabilities
	if !sc.TaskAugmentable(mcp.MethodCallTool) || !sc.SupportsTaskList() || !sc.SupportsTaskCancel() {
		t.Fatalf("server does not advertise tasks {list, cancel, requests.tools.call}: %s", mustJSON(sc.Tasks))
	}
	t.Logf("server %s %s, protocol %s, tasks capability %s", initRes.ServerInfo.Name, initRes.ServerInfo.Version, initRes.ProtocolVersion, mustJSON(sc.Tasks))
	if err := server.NotifyInitialized(ctx, &mcp.NotificationParams{}); err != nil {
		t.Fatal(err)
	}

	var tools []mcp.Tool
	params := &mcp.PaginatedRequestParams{}
	for {
		page, err := server.ListTools(ctx, params)
		if err != nil {
			t.Fatalf("tools/list: %v", err)
		}
		tools = append(tools, page.Tools...)
		if page.NextCursor == "" {
			break
		}
		params = &mcp.PaginatedRequestParams{Cursor: page.NextCursor}
	}
	i := slices.IndexFunc(tools, func(tool mcp.Tool) bool { return tool.Name == researchTool })
	if i < 0 {
		t.Fatalf("tools/list (%d tools) has no %s", len(tools), researchTool)
	}
	if ex := tools[i].Execution; ex == nil || ex.TaskSupport != mcp.ToolExecutionTaskSupportRequired {
		t.Fatalf("%s execution = %s, want taskSupport %q", researchTool, mustJSON(ex), mcp.ToolExecutionTaskSupportRequired)
	}

	start := func(t *testing.T, args map[string]any) (*mcp.RemoteTask, *[]mcp.TaskStatus) {
		t.Helper()
		ttl := int64(60000)
		created, err := server.CallToolAsTask(ctx, &mcp.CallToolRequestParams{Name: researchTool, Arguments: args, Task: &mcp.TaskMetadata{TTL: &ttl}})
		if err != nil {
			t.Fatalf("task-augmented tools/call: %v", err)
		}
		checkTask(t, "CreateTaskResult.task", &created.Task)
		if created.Task.Status != mcp.TaskStatusInitial {
			t.Fatalf("new task is %q, want the initial status %q", created.Task.Status, mcp.TaskStatusInitial)
		}
		seen := []mcp.TaskStatus{created.Task.Status}
		task, err := mcp.FollowTask(server, created)
		if err != nil {
			t.Fatal(err)
		}
		task.OnStatus = func(s mcp.Task) {
			if seen[len(seen)-1] != s.Status {
				seen = append(seen, s.Status)
			}
		}
		tasks.Store(task.ID(), task)
		return task, &seen
	}
	research := func(t *testing.T, topic string, ambiguous bool) (string, string) {
		task, seen := start(t, map[string]any{"topic": topic, "ambiguous": ambiguous})
		var res mcp.CallToolResult
		if err := task.Outcome(ctx, &res); err != nil {
			t.Fatalf("task %s: %v (statuses %v)", task.ID(), err, *seen)
		}
		want := []mcp.TaskStatus{mcp.TaskStatusWorking, mcp.TaskStatusCompleted}
		if ambiguous {
			want = []mcp.TaskStatus{mcp.TaskStatusWorking, mcp.TaskStatusInputRequired, mcp.TaskStatusWorking, mcp.TaskStatusCompleted}
		}
		if !slices.Equal(*seen, want) {
			t.Fatalf("task %s went %v, want %v", task.ID(), *seen, want)
		}
		// tasks/result's response MUST carry the related-task _meta.
		if rt, ok := mcp.RelatedTaskOf(res.Meta); !ok || rt.TaskID != task.ID() {
			t.Fatalf("tasks/result's _meta %s does not name task %s", mustJSON(res.Meta), task.ID())
		}
		if res.IsError != nil && *res.IsError {
			t.Fatalf("task result isError: %s", mustJSON(&res))
		}
		t.Logf("task %s: %v", task.ID(), *seen)
		return task.ID(), resultText(t, &res)
	}

	taskIDs := map[string]string{}
	var idsMu sync.Mutex
	t.Run("tasks", func(t *testing.T) {
		t.Run("plain", func(t *testing.T) {
			t.Parallel()
			id, text := research(t, "Go generics", false)
			idsMu.Lock()
			taskIDs[id] = "plain"
			idsMu.Unlock()
			if !strings.Contains(text, "# Research Report: Go generics") || strings.Contains(text, "Clarification") {
				t.Errorf("unexpected report:\n%s", text)
			}
		})
		t.Run("ambiguous", func(t *testing.T) {
			t.Parallel()
			id, text := research(t, "python", true)
			idsMu.Lock()
			taskIDs[id] = "ambiguous"
			idsMu.Unlock()
			if !strings.Contains(text, "# Research Report: python (programming)") {
				t.Errorf("report does not carry the clarification we gave:\n%s", text)
			}
			client.mu.Lock()
			defer client.mu.Unlock()
			mine := 0
			for _, e := range client.elicitations {
				if form, ok := e.(*mcp.ElicitRequestFormParams); ok && form.Meta != nil {
					if rt, ok := mcp.RelatedTaskOf(form.Meta.AdditionalProperties); ok && rt.TaskID == id {
						mine++
					}
				}
			}
			if mine != 1 {
				t.Fatalf("got %d elicitation/create requests tied to task %s, want 1 (all: %d)", mine, id, len(client.elicitations))
			}
		})
		t.Run("cancel", func(t *testing.T) {
			t.Parallel()
			task, seen := start(t, map[string]any{"topic": "to be cancelled"})
			got, err := task.Cancel(ctx)
			if err != nil || got.Status != mcp.TaskStatusCancelled {
				t.Fatalf("tasks/cancel: %v, %v", got.Status, err)
			}
			// The research would move on after its first stage (1 s); the
			// task must stay cancelled.
			time.Sleep(1500 * time.Millisecond)
			if now, err := task.Poll(ctx); err != nil || now.Status != mcp.TaskStatusCancelled {
				t.Fatalf("cancelled task now %v, %v", now.Status, err)
			}
			if _, err := task.Cancel(ctx); !isRPCError(err, mcp.CodeInvalidParams) {
				t.Fatalf("second tasks/cancel: got %v, want error %d", err, mcp.CodeInvalidParams)
			}
			if !slices.Equal(*seen, []mcp.TaskStatus{mcp.TaskStatusWorking, mcp.TaskStatusCancelled}) {
				t.Fatalf("statuses %v", *seen)
			}
			idsMu.Lock()
			taskIDs[task.ID()] = "cancel"
			idsMu.Unlock()
		})
	})
	if t.Failed() {
		return
	}

	listed := map[string]mcp.Task{}
	for tk, err := range mcp.ListRemoteTasks(ctx, server) {
		if err != nil {
			t.Fatalf("tasks/list: %v", err)
		}
		listed[tk.TaskID] = tk
	}
	wantFinal := map[string]mcp.TaskStatus{"plain": mcp.TaskStatusCompleted, "ambiguous": mcp.TaskStatusCompleted, "cancel": mcp.TaskStatusCancelled}
	for id, name := range taskIDs {
		if tk, ok := listed[id]; !ok || tk.Status != wantFinal[name] {
			t.Errorf("tasks/list: %s task %s is %+v (listed %v), want %q", name, id, tk, ok, wantFinal[name])
		}
	}
	t.Logf("tasks/list: %d tasks, including our %d", len(listed), len(taskIDs))

	if _, err := mcp.ResumeTask(server, "no-such-task").Poll(ctx); !isRPCError(err, mcp.CodeInvalidParams) {
		t.Errorf("tasks/get of an unknown task: got %v, want error %d", err, mcp.CodeInvalidParams)
	}

	// The spec: a tool with taskSupport "required" called without params.task
	// MUST be answered with -32601 (Method not found).
	noTask, err := server.CallTool(ctx, &mcp.CallToolRequestParams{Name: researchTool, Arguments: map[string]any{"topic": "no task"}})
	switch {
	case isRPCError(err, mcp.CodeMethodNotFound):
		t.Logf("tools/call without a task: JSON-RPC error %v, as the spec requires", err)
	case err != nil:
		t.Errorf("tools/call without a task: got %v, want JSON-RPC error %d", err, mcp.CodeMethodNotFound)
	default:
		// KNOWN SERVER DEVIATION (server-everything 2026.8.31 on TS SDK
		// 1.32.2): McpServer's tools/call handler throws McpError(-32601)
		// for a "required" tool called without a task, but its own catch
		// turns every McpError except -32042 into a tool error result, so the
		// client gets a successful response {content:[{type:"text",
		// text:"MCP error -32601: ..."}], isError:true} instead of a JSON-RPC
		// error. Pin that exact shape so a change either way is noticed.
		text := resultText(t, noTask)
		if noTask.IsError == nil || !*noTask.IsError || !strings.HasPrefix(text, "MCP error -32601: ") || !strings.Contains(text, "requires task augmentation") {
			t.Fatalf("tools/call without a task: neither the spec's -32601 error nor the known deviation: %s", mustJSON(noTask))
		}
		t.Logf("KNOWN DEVIATION: tools/call of a taskSupport=required tool without params.task answered with a CallToolResult, not JSON-RPC -32601: %s", mustJSON(noTask))
	}

	client.mu.Lock()
	if client.rootsAsked == 0 {
		t.Errorf("server never sent roots/list although the client declared roots")
	}
	client.mu.Unlock()
	notesMu.Lock()
	for id, seq := range notes {
		checkSequence(t, "notifications/tasks/status for "+id, seq)
	}
	if len(noteErrs) > 0 {
		t.Errorf("status notifications RemoteTask refused: %v", noteErrs)
	}
	t.Logf("notifications/tasks/status seen for %d tasks", len(notes))
	notesMu.Unlock()

	closeAndCheck()
	t.Logf("decoded and round-tripped %d messages from the server in %v", len(conn.Received()), time.Since(began).Round(time.Millisecond))
}

func isRPCError(err error, code int64) bool {
	var e *mcp.Error
	return errors.As(err, &e) && e.Code == code
}

func checkTask(t *testing.T, what string, tk *mcp.Task) {
	t.Helper()
	if tk.TaskID == "" || !tk.Status.Valid() {
		t.Fatalf("%s: bad task %s", what, mustJSON(tk))
	}
	for _, ts := range []string{tk.CreatedAt, tk.LastUpdatedAt} {
		if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
			t.Fatalf("%s: timestamp %q is not RFC 3339: %v", what, ts, err)
		}
	}
}

func checkSequence(t *testing.T, what string, seq []mcp.TaskStatus) {
	t.Helper()
	for i := 1; i < len(seq); i++ {
		if seq[i] == seq[i-1] && !seq[i].IsTerminal() {
			continue // a progress update within one status
		}
		if err := mcp.ValidateTransition(seq[i-1], seq[i]); err != nil {
			t.Errorf("%s: %v (sequence %v)", what, err, seq)
		}
	}
}

func resultText(t *testing.T, r *mcp.CallToolResult) string {
	t.Helper()
	if len(r.Content) == 0 {
		t.Fatalf("tool result has no content: %s", mustJSON(r))
	}
	var sb strings.Builder
	for _, b := range r.Content {
		tc, ok := b.(*mcp.TextContent)
		if !ok {
			t.Fatalf("tool result content is %T, want text: %s", b, mustJSON(r))
		}
		sb.WriteString(tc.Text)
	}
	return sb.String()
}

// checkRoundTrips requires every message the server sent to decode with
// the generated types, as an envelope and as its body (the result type of
// the request it answers, the error object, or the params of its method),
// and to re-encode to JSON equal to what was received.
func checkRoundTrips(t *testing.T, conn *rpcconn.Stream) {
	t.Helper()
	dump := os.Getenv("MCPGEN_EVERYTHING_DUMP") != ""
	for i, raw := range conn.Received() {
		if dump {
			t.Logf("#%d %s", i+1, raw)
		}
		env, err := mcp.UnmarshalJSONRPCMessage(raw)
		if err != nil {
			t.Errorf("message %d did not decode: %v\n%s", i+1, err, raw)
			continue
		}
		roundTrip(t, fmt.Sprintf("message %d envelope %T", i+1, env), raw, env)
		var parts struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal(raw, &parts); err != nil {
			t.Errorf("message %d: %v", i+1, err)
			continue
		}
		method, body := parts.Method, parts.Params
		var decode func([]byte) (any, error)
		switch {
		case parts.Error != nil:
			body, decode = parts.Error, func(b []byte) (any, error) { e := new(mcp.Error); return e, e.UnmarshalJSON(b) }
		case parts.Result != nil:
			method, body = conn.MethodOf(parts.ID), parts.Result
			switch method {
			case mcp.MethodCallTool:
				decode = func(b []byte) (any, error) {
					r, task, err := mcp.DecodeCallToolResponse(b)
					if task != nil {
						return task, err
					}
					return r, err
				}
			case mcp.MethodGetTaskPayload:
				decode = func(b []byte) (any, error) { r := new(mcp.CallToolResult); return r, r.UnmarshalJSON(b) }
			}
		}
		info, known := mcp.LookupMethod(method)
		if decode == nil && known {
			decode = info.DecodeParams
			if parts.Result != nil {
				decode = info.DecodeResult
			}
		}
		if decode == nil || body == nil {
			if !known {
				t.Errorf("message %d: method %q is not in mcp.Methods", i+1, method)
			}
			continue
		}
		v, err := decode(body)
		if err != nil {
			t.Errorf("message %d (%s) did not decode: %v\n%s", i+1, method, err, body)
			continue
		}
		roundTrip(t, fmt.Sprintf("message %d (%s) as %T", i+1, method, v), body, v)
	}
}

func roundTrip(t *testing.T, what string, raw []byte, v any) {
	t.Helper()
	diff, enc, err := roundTripDiff(raw, v)
	switch {
	case err != nil:
		t.Errorf("%s: %v", what, err)
	case diff != "":
		t.Errorf("%s does not survive a round trip (-received +re-encoded):\n%s\nreceived: %s\nre-encoded: %s", what, diff, raw, enc)
	}
}

// roundTripDiff re-encodes v and compares it with raw as decoded JSON values.
func roundTripDiff(raw []byte, v any) (diff string, enc []byte, err error) {
	enc, err = json.Marshal(v)
	if err != nil {
		return "", nil, fmt.Errorf("re-encoding: %w", err)
	}
	var want, got any
	if err := json.Unmarshal(raw, &want); err != nil {
		return "", enc, fmt.Errorf("received JSON: %w", err)
	}
	if err := json.Unmarshal(enc, &got); err != nil {
		return "", enc, fmt.Errorf("re-encoded JSON: %w", err)
	}
	return cmp.Diff(want, got), enc, nil
}

// TestRoundTripCheck shows the check is not vacuous: a generated type keeps
// properties the schema does not name, a plain struct loses them, and the
// check tells the two apart.
func TestRoundTripCheck(t *testing.T) {
	raw := []byte(`{"content":[{"type":"text","text":"hi","x-block":1}],"isError":false,"x-extra":{"a":[1,2]},"_meta":{"io.modelcontextprotocol/related-task":{"taskId":"t1"}}}`)
	var typed mcp.CallToolResult
	if err := json.Unmarshal(raw, &typed); err != nil {
		t.Fatal(err)
	}
	if diff, _, err := roundTripDiff(raw, &typed); err != nil || diff != "" {
		t.Errorf("generated CallToolResult loses data: %v\n%s", err, diff)
	}
	if rt, ok := mcp.RelatedTaskOf(typed.Meta); !ok || rt.TaskID != "t1" {
		t.Errorf("RelatedTaskOf = %+v, %v", rt, ok)
	}
	var lossy struct {
		Content []map[string]any `json:"content"`
		IsError bool             `json:"isError"`
	}
	if err := json.Unmarshal(raw, &lossy); err != nil {
		t.Fatal(err)
	}
	if diff, _, err := roundTripDiff(raw, &lossy); err != nil || diff == "" {
		t.Errorf("round-trip check missed lost properties (err %v)", err)
	}
}

func mustJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return string(data)
}

func ptr[T any](v T) *T { return &v }
