package support

import (
	"testing"

	"github.com/mcpgen-dev/mcpgen/storetest"
)

func TestMemoryStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return NewMemoryStore() })
}
