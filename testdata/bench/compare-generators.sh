#!/usr/bin/env bash
# Times the built mcpgen as a whole process beside go-jsonschema (pinned),
# both on the 2025-11-25 schema, and mcpgen on all eight schemas.
# Usage: MCPGEN_SCHEMA_DIR=DIR testdata/bench/compare-generators.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-21}
: "${MCPGEN_SCHEMA_DIR:?set MCPGEN_SCHEMA_DIR to the schema directory}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
GOBIN="$work/bin" go install github.com/atombender/go-jsonschema@v0.24.1
go build -o "$work/bin/mcpgen" ./cmd/mcpgen
schema="$MCPGEN_SCHEMA_DIR/core/2025-11-25/schema.json"

# elapsed prints the wall time of running "$@" in microseconds.
elapsed() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(( (end - start) / 1000 ))
}

# stats prints the median, min and max of microsecond times.
stats() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[1], a[NR]}'
}

# summary prints stats in ms.
summary() {
  stats "$@" | awk '{printf "%.1f ms (min %.1f, max %.1f)\n", $1/1000, $2/1000, $3/1000}'
}

all() {
  for rev in 2024-11-05 2025-03-26 2025-06-18 2025-11-25-as-released 2025-11-25 2026-07-28 draft ext-tasks; do
    "$work/bin/mcpgen" generate -schema "$rev" -out "$work/all-$rev" -package p
  done
}

# The commands take turns, so that a change in the machine's load falls on
# all of them alike.
# "one" regenerates over its own earlier output, as go generate does, where
# files that do not change are not rewritten; "fresh" writes into a new
# directory every time.
gjs=() one=() fresh=() eight=()
for i in $(seq "$runs"); do
  gjs+=("$(elapsed "$work/bin/go-jsonschema" -p out -o "$work/gjs.go" "$schema")")
  one+=("$(elapsed "$work/bin/mcpgen" generate -schema 2025-11-25 -out "$work/one")")
  fresh+=("$(elapsed "$work/bin/mcpgen" generate -schema 2025-11-25 -out "$work/fresh$i")")
  eight+=("$(elapsed all)")
done

echo "runs: $runs, in turn; $(go version); $(nproc) cores"
echo "go-jsonschema v0.24.1, 2025-11-25 (types only):        $(summary "${gjs[@]}")"
echo "mcpgen, 2025-11-25 (types, validation, task bindings): $(summary "${one[@]}")"
echo "mcpgen, 2025-11-25, into a new directory each run:     $(summary "${fresh[@]}")"
echo "mcpgen, all eight schemas, one process each:          $(summary "${eight[@]}")"
read -r one_median _ <<<"$(stats "${one[@]}")"
read -r gjs_median _ <<<"$(stats "${gjs[@]}")"
echo "median mcpgen / median go-jsonschema (target <= 1.00): $(awk -v a="$one_median" -v b="$gjs_median" 'BEGIN {printf "%.2f", a/b}')"
