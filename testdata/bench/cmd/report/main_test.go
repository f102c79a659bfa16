package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
cpu: Test CPU
BenchmarkDecode/GetTaskResult/mcpgen-direct-2   	 100	      600 ns/op	 148.89 MB/s	     272 B/op	       7 allocs/op
BenchmarkDecode/GetTaskResult/goccy-2           	 100	      500 ns/op	 116.70 MB/s	     360 B/op	       9 allocs/op
BenchmarkDecode/GetTaskResult/mcpgen-direct-2   	 100	      800 ns/op	 148.89 MB/s	     272 B/op	       7 allocs/op
BenchmarkDecode/GetTaskResult/goccy-2           	 100	      700 ns/op	 116.70 MB/s	     360 B/op	       9 allocs/op
BenchmarkDecode/GetTaskResult/mcpgen-direct-2   	 100	      400 ns/op	 148.89 MB/s	     272 B/op	       7 allocs/op
BenchmarkDecode/GetTaskResult/goccy-2           	 100	      900 ns/op	 116.70 MB/s	     360 B/op	       9 allocs/op
BenchmarkLifecycleLoop-2   	 1000	      1.5 ns/op	       0 B/op	       0 allocs/op
`

func TestParseMedianSpread(t *testing.T) {
	r, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if r.cpu != "Test CPU" {
		t.Errorf("cpu %q", r.cpu)
	}
	if got, _ := r.ns("Decode/GetTaskResult/mcpgen-direct"); got != 600 {
		t.Errorf("median %v, want 600", got)
	}
	if got := r.timeCell("Decode/GetTaskResult/goccy"); got != "700 ns ± 29%" {
		t.Errorf("cell %q, want 700 ns ± 29%%", got)
	}
	if got := r.allocCell("LifecycleLoop"); got != "0, 0 B" {
		t.Errorf("alloc cell %q", got)
	}
	if got := r.timeCell("Decode/GetTaskResult/sonic"); got != "—" {
		t.Errorf("missing cell %q", got)
	}
}

func TestGoalsSayMetAndMissed(t *testing.T) {
	r, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	out := render(r, "go test", 3)
	// 600 ns against goccy's 700: met; 7 allocations against 9: met.
	if !strings.Contains(out, "GetTaskResult: Decode ≤ 1.0× goccy — met (0.86×") {
		t.Errorf("no met decode goal in:\n%s", out)
	}
	if !strings.Contains(out, "| LifecycleLoop | 1.5 ns ± 0% | 0, 0 B |") {
		t.Errorf("no lifecycle row in:\n%s", out)
	}
	r.bench["Decode/GetTaskResult/goccy"].ns = []float64{100}
	if out := render(r, "go test", 3); !strings.Contains(out, "goccy — **missed** (6.00×") {
		t.Errorf("no missed goal in:\n%s", out)
	}
}

func TestSpliceKeepsProse(t *testing.T) {
	doc := "intro\n" + beginMarker + "\nold\n" + endMarker + "\nafter\n"
	out, err := splice([]byte(doc), "new\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "intro\n" + beginMarker + "\nnew\n" + endMarker + "\nafter\n"
	if string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
	if _, err := splice([]byte("no markers"), "x"); err == nil {
		t.Error("splice without markers: no error")
	}
}

func TestParseRejectsEmpty(t *testing.T) {
	if _, err := parse(strings.NewReader("PASS\n")); err == nil {
		t.Error("no error for output without benchmarks")
	}
}

// TestSpreadIgnoresOneSlowRound: one round in five ten times slower, as a
// loaded machine gives, must not make the spread of the other four.
func TestSpreadIgnoresOneSlowRound(t *testing.T) {
	got := spread([]float64{1000, 100, 120, 110, 100})
	if want := 100 * 10.0 / 110; got < want-1e-9 || got > want+1e-9 {
		t.Errorf("spread %v, want %v", got, want)
	}
}
