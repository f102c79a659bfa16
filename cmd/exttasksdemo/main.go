// Command exttasksdemo is an MCP server for the tasks extension
// (io.modelcontextprotocol/tasks) over stateless Streamable HTTP, protocol
// 2026-07-28, built only on the generated packages exttasks and mcpdraft.
//
// It listens on a loopback address and prints the MCP endpoint's URL on
// stdout:
//
//	exttasksdemo -addr 127.0.0.1:0
//	http://127.0.0.1:41234/mcp
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback `host:port` to listen on (port 0 picks a free one)")
	syncWait := flag.Duration("sync-wait", 0, "how long a tool that may run as a task may take to answer at once, without a task")
	owners := map[string]string{}
	flag.Func("owner", "`TOKEN=NAME`: requests with \"Authorization: Bearer TOKEN\" act as owner NAME (repeatable)", func(v string) error {
		token, name, ok := strings.Cut(v, "=")
		if !ok || token == "" || name == "" {
			return fmt.Errorf("want TOKEN=NAME, got %q", v)
		}
		owners[token] = name
		return nil
	})
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: exttasksdemo [-addr host:port] [-sync-wait d] [-owner TOKEN=NAME]...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, os.Stdout, Config{Owners: owners, SyncWait: *syncWait}); err != nil {
		fmt.Fprintln(os.Stderr, "exttasksdemo:", err)
		os.Exit(1)
	}
}
