module example.com/gosdkadapter

go 1.25.0

// The test that runs this module (internal/gosdk) sets mcpgen and its gosdk
// module to the working tree's version, served by a module proxy built
// from it.
require (
	github.com/mcpgen-dev/mcpgen/gosdk v0.0.0-00010101000000-000000000000
	github.com/modelcontextprotocol/go-sdk v1.8.0
)
