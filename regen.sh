#!/bin/sh
# Regenerates every committed package under generated/ (see README).
set -e
cd "$(dirname "$0")"
: "${MCPGEN_SCHEMA_DIR:=../shared/mcp-schema}"
export MCPGEN_SCHEMA_DIR
go generate ./generated/...
