//go:build ignore

package mcp

// Engine runs the tasks of this package's task design on a TaskStore.
type Engine struct {
	// Store keeps the tasks; a MemoryStore when nil.
	Store TaskStore
}
