module example.com/sdk

go 1.24.0

// The tests that run this module (TestVendoredSubset in cmd/mcpgen) set
// this to the working tree's version, served by a module proxy built
// from it.
require github.com/mcpgen-dev/mcpgen v0.0.0-00010101000000-000000000000

require (
	github.com/dave/jennifer v1.7.1 // indirect
	github.com/google/jsonschema-go v0.4.3 // indirect
	golang.org/x/mod v0.32.0 // indirect
	golang.org/x/sync v0.19.0 // indirect
	golang.org/x/tools v0.40.0 // indirect
)

tool github.com/mcpgen-dev/mcpgen/cmd/mcpgen
