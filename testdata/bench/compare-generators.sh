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

# measure runs "$@" with its output discarded and prints its wall time and
# its CPU time (user and system, its children's included), in microseconds
# (bash's time keyword, which reads them to the millisecond).
measure() {
  local TIMEFORMAT='%3R %3U %3S'
  { time "$@" >/dev/null 2>&1; } 2>"$work/time"
  awk '{printf "%d %d\n", $1 * 1e6, ($2 + $3) * 1e6}' "$work/time"
}

# stats prints the median, min and max of microsecond times.
stats() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[1], a[NR]}'
}

# summary prints stats in whole ms, as they were read.
summary() {
  stats "$@" | awk '{printf "%.0f ms (min %.0f, max %.0f)", $1/1000, $2/1000, $3/1000}'
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
declare -A wall cpu
run() {
  local w c
  read -r w c <<<"$(measure "${@:2}")"
  wall[$1]+="$w " cpu[$1]+="$c "
}
for i in $(seq "$runs"); do
  run gjs "$work/bin/go-jsonschema" -p out -o "$work/gjs.go" "$schema"
  run one "$work/bin/mcpgen" generate -schema 2025-11-25 -out "$work/one"
  run fresh "$work/bin/mcpgen" generate -schema 2025-11-25 -out "$work/fresh$i"
  run eight all
done

# line prints one command's wall and CPU times.
line() {
  # shellcheck disable=SC2086 # the lists are words
  echo "$(summary ${wall[$1]}); CPU $(stats ${cpu[$1]} | awk '{printf "%.0f ms", $1/1000}')"
}

echo "runs: $runs, in turn; $(go version); $(nproc) cores; wall time, then the median CPU time (user and system)"
echo "go-jsonschema v0.24.1, 2025-11-25 (types only):        $(line gjs)"
echo "mcpgen, 2025-11-25 (types, validation, task bindings): $(line one)"
echo "mcpgen, 2025-11-25, into a new directory each run:     $(line fresh)"
echo "mcpgen, all eight schemas, one process each:          $(line eight)"
# shellcheck disable=SC2086
read -r one_median _ <<<"$(stats ${wall[one]})"
# shellcheck disable=SC2086
read -r gjs_median _ <<<"$(stats ${wall[gjs]})"
echo "median mcpgen / median go-jsonschema (target <= 1.00): $(awk -v a="$one_median" -v b="$gjs_median" 'BEGIN {printf "%.2f", a/b}')"
