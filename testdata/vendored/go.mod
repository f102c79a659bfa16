module example.com/sdk

go 1.24.0

require github.com/mcpgen-dev/mcpgen v0.0.0 // indirect

require (
	github.com/dave/jennifer v1.7.1 // indirect
	github.com/google/jsonschema-go v0.4.3 // indirect
)

replace github.com/mcpgen-dev/mcpgen => ../..

tool github.com/mcpgen-dev/mcpgen/cmd/mcpgen
