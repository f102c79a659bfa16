// Command taskdemo is a stdio MCP server (revision 2025-11-25) that shows
// the task bindings of github.com/mcpgen-dev/mcpgen/generated/mcp20251125 at work. It reads
// newline-delimited JSON-RPC 2.0 on stdin, writes on stdout and logs to
// stderr, and depends on nothing but that package and the standard library.
//
// Tools (tools/list shows each one's execution.taskSupport):
//
//	slow_compute {seconds}  required  works in the background, then a text result
//	echo {text}             optional  the text back, plainly or as a task
//	always_fails {mode?}    optional  "result" (default): CallToolResult isError:true;
//	                                  "error": JSON-RPC error -32603
//	confirm_delete {filename} required  asks the client (elicitation/create, the task
//	                                  input_required meanwhile), then says what it did
//	greet {name?}           (absent)  forbidden: a task-augmented call is -32601
//
// Every task rule is the generated engine's (mcp20251125.Engine): ids,
// ttl, the lifecycle, cancellation, the blocking tasks/result, tasks/list,
// input requests and status notifications. The demo holds its tools, its
// transport and its flags.
//
// Choices the specification leaves open:
//   - A task whose tool answers isError:true, or a JSON-RPC error, ends
//     "failed" with the error text as statusMessage; tasks/result then answers
//     exactly what the plain call would have: that CallToolResult (with the
//     related-task _meta), or that JSON-RPC error. Plain and task calls of a
//     tool thus agree.
//   - tasks/result of a cancelled task is -32602: there is no result to give.
//   - A task whose work panics ends "failed" with a generic message; the
//     panic's value goes to the log (stderr) alone.
//   - Task IDs are 128 random bits, base64url. task.ttl defaults to
//     -default-ttl, is capped at -max-ttl, and must be ≥ 1 ms (else -32602);
//     Task.ttl reports the ttl granted. A task is deleted ttl after its
//     creation, whatever its status (its work is stopped); it is then unknown
//     (-32602).
//   - tasks/list pages hold -page-size tasks in creation order; the cursor is
//     opaque, and a malformed one is -32602. Over stdio the one requestor
//     is the process that started the server, so tasks are bound to no
//     identity and all of them are listed.
//   - tools/call of an unknown tool is -32602, with or without params.task.
//   - notifications/cancelled ends the request it names (a blocking
//     tasks/result, say) and no response is sent for it.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	var cfg Config
	flag.BoolVar(&cfg.Notify, "notify", true, "send notifications/tasks/status on every task status change")
	flag.IntVar(&cfg.PageSize, "page-size", 2, "tasks per tasks/list page")
	flag.DurationVar(&cfg.PollInterval, "poll-interval", 250*time.Millisecond, "pollInterval suggested to clients")
	flag.DurationVar(&cfg.DefaultTTL, "default-ttl", 5*time.Minute, "ttl of a task created without task.ttl")
	flag.DurationVar(&cfg.MaxTTL, "max-ttl", time.Hour, "largest ttl granted")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: taskdemo [flags]  (MCP over stdio)\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	cfg.Log = log.New(os.Stderr, "taskdemo: ", log.Lmicroseconds)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := NewServer(cfg)
	cfg.Log.Printf("serving MCP %s on stdio (%v)", ProtocolVersion, srv)
	if err := srv.Serve(ctx, os.Stdin, os.Stdout); err != nil && ctx.Err() == nil {
		cfg.Log.Printf("%v", err)
		os.Exit(1)
	}
}
