//go:build tools

// This module stands for an SDK that vendors mcpgen's task bindings. The
// import keeps the generator in go.sum, so that go generate can run it.
package sdk

import _ "github.com/mcpgen-dev/mcpgen/cmd/mcpgen"
