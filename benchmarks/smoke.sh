#!/usr/bin/env bash
# Proves the benchmarks build in Release and execute: every benchmark once (BenchmarkDotNet's dry job, in process)
# at the 1 KB size only, plus a 20-save peer comparison when write-file-atomic is installed. Exits non-zero on any
# failure. Measures nothing worth quoting: see docs/benchmarks.md for the real run. Takes well under a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build benchmarks/DevRank.Benchmarks -c Release --nologo -v quiet
artifacts="$(mktemp -d /var/tmp/devrank-bench-smoke.XXXXXX)"
trap 'rm -rf "$artifacts"' EXIT
export DEVRANK_BENCH_DIR="$artifacts/data"

log="$artifacts/smoke.log"
if ! DEVRANK_BENCH_SIZES=1KB dotnet benchmarks/DevRank.Benchmarks/bin/Release/net10.0/DevRank.Benchmarks.dll \
    --filter '*' --job dry --inProcess --artifacts "$artifacts/bdn" >"$log" 2>&1; then
  tail -50 "$log"
  echo "benchmarks smoke: FAILED" >&2
  exit 1
fi
# BenchmarkDotNet may exit 0 when a benchmark throws; it then prints the exception and "Benchmarks with issues".
if grep -qE "Exception|Benchmarks with issues|// ERROR" "$log"; then
  grep -nE -A3 "Exception|Benchmarks with issues|// ERROR" "$log" | head -40
  echo "benchmarks smoke: a benchmark failed" >&2
  exit 1
fi
executed="$(grep -oE 'executed benchmarks: [0-9]+' "$log" | tail -1)"
echo "benchmarks smoke: ok ($executed)"

if command -v node >/dev/null 2>&1 && [[ -d benchmarks/peer/node_modules/write-file-atomic ]]; then
  dotnet benchmarks/DevRank.Benchmarks/bin/Release/net10.0/DevRank.Benchmarks.dll peer 20 1 | tail -5
else
  echo "benchmarks smoke: peer comparison skipped (run 'npm ci' in benchmarks/peer to include it)"
fi
