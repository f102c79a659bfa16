package main

import (
	"encoding/base64"
	"go/ast"
	"go/parser"
	"go/token"
	"math/bits"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestTaskIDsAreRandom128Bits: task IDs must be unguessable. 2 000 tasks
// created over the wire get 2 000 distinct IDs, each base64url of 16
// bytes (128 bits), with no shared 64-bit prefix (which a counter behind a
// random prefix would show), every byte position varying, and about half
// the bits set. The IDs are the generated engine's (whose own test reads
// its source for crypto/rand); the demo draws none itself, and none of its
// files imports math/rand.
func TestTaskIDsAreRandom128Bits(t *testing.T) {
	const n = 2000
	c := startServer(t, func(cfg *Config) { cfg.Notify = false })
	seen := make(map[string]bool, n)
	prefixes := make(map[[8]byte]bool, n)
	var first []byte
	varies := make([]bool, 16)
	ones := 0
	for range n {
		id := c.startTask("echo", map[string]any{"text": "x"}, nil).TaskID
		raw, err := base64.RawURLEncoding.DecodeString(id)
		if err != nil || len(raw) != 16 || seen[id] || prefixes[[8]byte(raw)] {
			t.Fatalf("task id %q: not 16 bytes of base64url (%v), or repeated", id, err)
		}
		seen[id], prefixes[[8]byte(raw)] = true, true
		if first == nil {
			first = raw
		}
		for j := range 16 {
			varies[j] = varies[j] || raw[j] != first[j]
		}
		for _, b := range raw {
			ones += bits.OnesCount8(b)
		}
	}
	for i, v := range varies {
		if !v {
			t.Errorf("byte %d of every task id is the same", i)
		}
	}
	// 256 000 fair bits: the share of ones is 0.5 ± 0.001 (1σ); ±2% is far
	// beyond chance and still catches a biased source.
	if share := float64(ones) / (n * 128); share < 0.48 || share > 0.52 {
		t.Errorf("%.4f of the task id bits are ones, want ≈ 0.5", share)
	}

	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			switch path, _ := strconv.Unquote(imp.Path.Value); path {
			case "math/rand", "math/rand/v2", "crypto/rand":
				t.Errorf("%s imports %s: task ids are the engine's", file, path)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if fn, ok := n.(*ast.FuncDecl); ok && strings.Contains(strings.ToLower(fn.Name.Name), "taskid") {
				t.Errorf("%s declares %s: task ids are the engine's", file, fn.Name.Name)
			}
			return true
		})
	}
}
