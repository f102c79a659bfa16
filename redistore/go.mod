module github.com/mcpgen-dev/mcpgen/redistore

go 1.24.0

require (
	github.com/mcpgen-dev/mcpgen v0.0.0-00010101000000-000000000000
	github.com/redis/go-redis/v9 v9.22.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/google/jsonschema-go v0.4.3 // indirect
	go.uber.org/atomic v1.11.0 // indirect
	golang.org/x/mod v0.32.0 // indirect
	golang.org/x/sys v0.30.0 // indirect
)

// During development the tests use the working tree's mcpgen (for storetest
// and the generated packages); a module that requires redistore by version
// gets mcpgen by version too, since a dependency's replace is not applied.
replace github.com/mcpgen-dev/mcpgen => ../
