package main

import (
	"context"
	"encoding/base64"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log"
	"math/bits"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// TestTaskIDsAreRandom128Bits: task IDs must be unguessable. 10 000 tasks
// created by the store get 10 000 distinct IDs, each base64url of at least
// 16 bytes (128 bits), with no shared 64-bit prefix (which a counter behind
// a random prefix would show), every byte position varying, and about half
// the bits set; and the source draws them from crypto/rand, never math/rand.
func TestTaskIDsAreRandom128Bits(t *testing.T) {
	const n = 10000
	// Stores of 200 tasks each: create sweeps the whole store for expired
	// tasks, so one store of 10 000 would be quadratic (slow under -race).
	const perStore = 200
	cfg := Config{PollInterval: time.Millisecond, Now: time.Now}
	var store *taskStore
	done := func(ctx context.Context) (*mcp.CallToolResult, error) { return textResult("ok", false), nil }

	seen := make(map[string]bool, n)
	prefixes := make(map[[8]byte]bool, n)
	var first []byte
	varies := make([]bool, 16)
	ones, total := 0, 0
	for i := range n {
		if i%perStore == 0 {
			if store != nil {
				store.shutdown()
			}
			store = newTaskStore(&cfg, log.New(io.Discard, "", 0), nil)
		}
		task, err := store.create(time.Hour, done)
		if err != nil {
			t.Fatal(err)
		}
		id := task.TaskID
		if seen[id] {
			t.Fatalf("task id %q issued twice", id)
		}
		seen[id] = true
		raw, err := base64.RawURLEncoding.DecodeString(id)
		if err != nil || len(raw) < 16 {
			t.Fatalf("task id %q: %d bytes of base64url (%v), want ≥ 16", id, len(raw), err)
		}
		prefix := [8]byte(raw[:8])
		if prefixes[prefix] {
			t.Fatalf("task id %q repeats the first 64 bits of an earlier id", id)
		}
		prefixes[prefix] = true
		if first == nil {
			first = raw
		}
		for j := range 16 {
			varies[j] = varies[j] || raw[j] != first[j]
		}
		for _, b := range raw {
			ones += bits.OnesCount8(b)
		}
		total += 8 * len(raw)
	}
	store.shutdown()
	for i, v := range varies {
		if !v {
			t.Errorf("byte %d of every task id is the same", i)
		}
	}
	// 1 280 000 fair bits: the share of ones is 0.5 ± 0.0004 (1σ); ±1% is
	// far beyond chance and still catches a biased source.
	if share := float64(ones) / float64(total); share < 0.49 || share > 0.51 {
		t.Errorf("%.4f of the task id bits are ones, want ≈ 0.5", share)
	}
	t.Logf("%d task ids: all distinct, %d bits each, %.4f of bits set", n, total/n, float64(ones)/float64(total))

	// The source: newTaskID reads crypto/rand, and no file of the server
	// imports math/rand.
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checkedNewTaskID := false
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		randName := "" // the local name of crypto/rand in this file
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			switch path {
			case "math/rand", "math/rand/v2":
				t.Errorf("%s imports %s: task ids must come from crypto/rand", file, path)
			case "crypto/rand":
				randName = "rand"
				if imp.Name != nil {
					randName = imp.Name.Name
				}
			}
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Name.Name != "newTaskID" {
				continue
			}
			checkedNewTaskID = true
			if file != "tasks.go" {
				t.Errorf("newTaskID is in %s, want tasks.go", file)
			}
			readsCrypto := false
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && randName != "" && x.Name == randName && (sel.Sel.Name == "Read" || sel.Sel.Name == "Text") {
					readsCrypto = true
				}
				return true
			})
			if !readsCrypto {
				t.Errorf("newTaskID in %s does not call crypto/rand's Read or Text", file)
			}
		}
	}
	if !checkedNewTaskID {
		t.Errorf("no newTaskID function found in the server's sources")
	}
}
