module mcpgen-bench

go 1.25.5

require github.com/mcpgen-dev/mcpgen v0.0.0

require (
	github.com/google/jsonschema-go v0.4.3 // indirect
	github.com/mark3labs/mcp-go v1.2.1
	github.com/spf13/cast v1.7.1 // indirect
	github.com/yosida95/uritemplate/v3 v3.0.2 // indirect
)

replace github.com/mcpgen-dev/mcpgen => ../..
