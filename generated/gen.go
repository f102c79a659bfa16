// Package generated holds mcpgen's committed output, one package per MCP
// schema revision, and the tests that hold that output to the schemas:
// every official example decodes and re-encodes exactly, and every package
// is what the generator makes today.
package generated
