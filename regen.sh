#!/bin/sh
# Regenerates every committed package under generated/ (see README), and
# the vendored subset of testdata/vendored with this tree's mcpgen and the
# arguments its doc.go directive records (that module gets mcpgen from a
# module proxy in its test, TestVendoredSubset). A relative
# MCPGEN_SCHEMA_DIR is taken from the module root by mcpgen, so the
# default works from every package's directory under go generate.
set -e
cd "$(dirname "$0")"
export MCPGEN_SCHEMA_DIR="${MCPGEN_SCHEMA_DIR:-../shared/mcp-schema}"
go generate ./generated/...
go build -o "${TMPDIR:-/tmp}/mcpgen-regen" ./cmd/mcpgen
args=$(sed -n 's|^//go:generate go tool mcpgen ||p' testdata/vendored/mcptasks/doc.go)
case "$MCPGEN_SCHEMA_DIR" in /*) ;; *) MCPGEN_SCHEMA_DIR="$PWD/$MCPGEN_SCHEMA_DIR" ;; esac
(cd testdata/vendored/mcptasks && eval "\"${TMPDIR:-/tmp}/mcpgen-regen\" $args")
rm -f "${TMPDIR:-/tmp}/mcpgen-regen"
