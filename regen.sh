#!/bin/sh
# Regenerates every committed package under generated/ (see README).
set -e
cd "$(dirname "$0")"
: "${MCPGEN_SCHEMA_DIR:=../shared/mcp-schema}"
# go generate runs each directive in its package's directory, so a relative
# schema directory is made absolute here, from the repository's root.
MCPGEN_SCHEMA_DIR=$(cd "$MCPGEN_SCHEMA_DIR" && pwd)
export MCPGEN_SCHEMA_DIR
go generate ./generated/...
