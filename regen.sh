#!/bin/sh
# Regenerates every committed package under generated/ (see README). A
# relative MCPGEN_SCHEMA_DIR is taken from the module root by mcpgen, so
# the default works from every package's directory under go generate.
set -e
cd "$(dirname "$0")"
MCPGEN_SCHEMA_DIR="${MCPGEN_SCHEMA_DIR:-../shared/mcp-schema}" go generate ./generated/...
