#!/usr/bin/env bash
# Reruns every benchmark the report quotes, in rounds that take turns (so
# that a change in the machine's load falls on all of them alike), then
# rewrites the tables of BENCHMARKS.md between its markers and prints them.
# The anchors run from a test binary built without GOEXPERIMENT, as
# encoding/json is then v1's own code; encoding/json/v2's rows come from a
# second binary built with GOEXPERIMENT=jsonv2, when the toolchain has it.
# Usage: MCPGEN_SCHEMA_DIR=DIR testdata/bench/report.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
rounds=${1:-10}
: "${MCPGEN_SCHEMA_DIR:?set MCPGEN_SCHEMA_DIR to the schema directory}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd testdata/bench && go test -c -o "$work/anchors.test" .)
# A toolchain without the experiment refuses its name; any other failure
# to build is an error.
if (cd testdata/bench && GOEXPERIMENT=jsonv2 go test -c -o "$work/jsonv2.test" . 2>"$work/jsonv2.err"); then
  jsonv2=yes
elif grep -q GOEXPERIMENT "$work/jsonv2.err"; then
  jsonv2=
  echo "report.sh: no encoding/json/v2 in this toolchain; its column stays empty" >&2
else
  cat "$work/jsonv2.err" >&2
  exit 1
fi
go test -c -o "$work/generated.test" ./generated
go test -c -o "$work/generator.test" ./generator

engine='GetTask|PlainToolCall|TaskRoundTrip|TaskGet|Envelope|DecodeDeep|CanTransition|ValidateTransition|LifecycleLoop|ValidMovesPerCall'
for ((r = 1; r <= rounds; r++)); do
  echo "report.sh: round $r of $rounds" >&2
  (cd testdata/bench && "$work/anchors.test" -test.run '^$' -test.bench . -test.benchtime 0.1s)
  if [[ -n $jsonv2 ]]; then
    (cd testdata/bench && "$work/jsonv2.test" -test.run '^$' -test.bench '/./^jsonv2$' -test.benchtime 0.1s)
  fi
  (cd generated && "$work/generated.test" -test.run '^$' -test.bench "$engine" -test.benchtime 0.1s -test.benchmem)
  (cd generated && "$work/generated.test" -test.run '^$' -test.bench EngineExtTask -test.benchtime 3000x -test.benchmem)
  (cd generator && "$work/generator.test" -test.run '^$' -test.bench Generate -test.benchtime 3x -test.benchmem)
done >"$work/rounds.txt"

# Where the time goes through json.Unmarshal and json.Marshal, on one
# message: the generated ListTasksResult of 100 tasks.
profile() {
  (cd testdata/bench && "$work/anchors.test" -test.run '^$' -test.bench "$1" \
    -test.benchtime 2s -test.cpuprofile "$work/$2.out" >/dev/null)
  go tool pprof -top -nodecount 12 "$work/anchors.test" "$work/$2.out" 2>/dev/null |
    grep -v '^File:\|^Build ID:\|^Time:\|^Type:' >"$work/$2.txt"
}
profile 'Decode/ListTasks100/^mcpgen$' decode
profile 'Encode/ListTasks100/^mcpgen$' encode

# The whole command against go-jsonschema, in turn.
testdata/bench/compare-generators.sh $((4 * rounds + 1)) >"$work/generators.txt"

cd testdata/bench
go run ./cmd/report -in "$work/rounds.txt" -go "$(go version)" -rounds "$rounds" \
  -quote "Profile: json.Unmarshal into ListTasksResult, 100 tasks (go tool pprof -top)=$work/decode.txt" \
  -quote "Profile: json.Marshal of ListTasksResult, 100 tasks (go tool pprof -top)=$work/encode.txt" \
  -quote "Whole process: compare-generators.sh $((4 * rounds + 1))=$work/generators.txt" \
  -file "$root/BENCHMARKS.md"
