// Package everything holds the test that drives the reference server
// @modelcontextprotocol/server-everything through the 2025-11-25 task
// flows with the generated typed client of
// github.com/mcpgen-dev/mcpgen/generated/mcp20251125 (ServerCaller,
// RemoteTask) over a plain stdio connection.
package everything
