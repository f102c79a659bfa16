package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
)

// openListen opens a subscriptions/listen stream for taskIDs as the owner
// of token and returns its messages as they arrive.
func openListen(t *testing.T, url, token string, id int64, taskIDs []string, declared bool) (<-chan map[string]any, *http.Response) {
	t.Helper()
	caps := map[string]any{}
	if declared {
		caps["extensions"] = map[string]any{exttasks.ExtensionID: map[string]any{}}
	}
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": methodListen, "params": map[string]any{
		"_meta": map[string]any{
			"io.modelcontextprotocol/protocolVersion":    protocolVersion,
			"io.modelcontextprotocol/clientCapabilities": caps,
		},
		"notifications": map[string]any{"taskIds": taskIDs},
	}})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set(headerProtocolVersion, protocolVersion)
	req.Header.Set(headerMethod, methodListen)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	msgs := make(chan map[string]any, 16)
	go func() {
		defer close(msgs)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var m map[string]any
			if json.Unmarshal([]byte(data), &m) == nil {
				msgs <- m
			}
		}
	}()
	return msgs, resp
}

func next(t *testing.T, msgs <-chan map[string]any, within time.Duration) map[string]any {
	t.Helper()
	select {
	case m := <-msgs:
		return m
	case <-time.After(within):
		return nil
	}
}

// A subscriptions/listen stream acknowledges first, then carries the status
// notifications of the tasks it names, in lifecycle order and tagged with
// its subscription id, and only to the task's owner.
func TestListenDeliversTaskNotifications(t *testing.T) {
	url := newTestServer(t, Config{Owners: map[string]string{"token-a": "alice", "token-b": "bob"}})
	c := &testClient{t: t, url: url, tasks: true, token: "token-a"}
	task, _ := c.callTool("confirm_delete", map[string]any{"filename": "a.txt"})
	alice, resp := openListen(t, url, "token-a", 41, []string{task.TaskID}, true)
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("listen answered %d %s", resp.StatusCode, ct)
	}
	bob, _ := openListen(t, url, "token-b", 42, []string{task.TaskID}, true)
	for who, msgs := range map[string]<-chan map[string]any{"alice": alice, "bob": bob} {
		ack := next(t, msgs, 5*time.Second)
		if ack["method"] != methodAcknowledged {
			t.Fatalf("%s's first message: %v, want the acknowledgement", who, ack)
		}
		params := ack["params"].(map[string]any)
		if params["_meta"].(map[string]any)[subscriptionIDMetaKey] == nil || len(params["notifications"].(map[string]any)["taskIds"].([]any)) != 1 {
			t.Errorf("%s's acknowledgement: %v", who, ack)
		}
	}
	c.waitTask(task.TaskID, func(r exttasks.GetTaskResult) bool { _, ok := r.(*exttasks.GetTaskResultInputRequired); return ok })
	c.ok(exttasks.MethodUpdateTask, map[string]any{"taskId": task.TaskID, "inputResponses": map[string]any{
		"confirm": map[string]any{"action": "accept", "content": map[string]any{"confirm": true}},
	}})
	prev := exttasks.TaskStatusInputRequired
	for !prev.IsTerminal() {
		m := next(t, alice, 5*time.Second)
		if m == nil {
			t.Fatalf("no notification after %s", prev)
		}
		if m["method"] != exttasks.MethodTaskStatusNotification {
			t.Fatalf("alice's stream carried %v", m)
		}
		raw, _ := json.Marshal(m["params"])
		n, err := exttasks.UnmarshalTaskStatusNotificationParams(raw)
		if err != nil {
			t.Fatalf("notification params %s: %v", raw, err)
		}
		var status exttasks.TaskStatus
		var meta *exttasks.NotificationMetaObject
		switch n := n.(type) {
		case *exttasks.TaskStatusNotificationParamsWorking:
			status, meta = exttasks.TaskStatusWorking, n.Meta
		case *exttasks.TaskStatusNotificationParamsCompleted:
			status, meta = exttasks.TaskStatusCompleted, n.Meta
		default:
			t.Fatalf("notification %T", n)
		}
		if !prev.CanTransitionTo(status) {
			t.Fatalf("notification %s after %s", status, prev)
		}
		if meta == nil || meta.IoModelcontextprotocolSubscriptionID == nil || *meta.IoModelcontextprotocolSubscriptionID != exttasks.RequestIdFromInteger(41) {
			t.Errorf("notification _meta %+v, want subscriptionId 41", meta)
		}
		prev = status
	}
	if m := next(t, bob, 300*time.Millisecond); m != nil {
		t.Errorf("bob's stream carried alice's notification %v", m)
	}
}

// Subscribing to tasks needs the extension, as every tasks request does.
func TestListenToTasksNeedsTheExtension(t *testing.T) {
	url := newTestServer(t, Config{})
	_, resp := openListen(t, url, "", 7, []string{"some-task"}, false)
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("listen to tasks without the extension: %d %s, want 400 with -32021", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
