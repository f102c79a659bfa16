// Package benchmod holds the main module's test of testdata/bench, the
// nested module of benchmarks and their anchors, so that go test ./...
// of mcpgen keeps that module building, its anchors checked and its
// easyjson output current.
package benchmod
