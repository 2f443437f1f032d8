#!/usr/bin/env bash
# The full-size reliability run behind docs/reliability.md: every suite at the published sizes (5,000 kills, 50
# power-cut rounds per file system and level), then the figures as one Markdown table. Needs root, strace and
# xfsprogs for the power-cut, fault and permission suites (they skip visibly otherwise). About 45 minutes on 2 cores.
#   tests/reliability-figures.sh [figures-file]      sizes: DEVRANK_KILLS, DEVRANK_POWERCUT_ROUNDS, DEVRANK_TX_KILLS, DEVRANK_TX_PINGPONG_MS
set -euo pipefail
cd "$(dirname "$0")/.."
figures="${1:-$(mktemp)}"
: > "$figures"
export DEVRANK_FIGURES="$(realpath "$figures")"
DEVRANK_KILLS="${DEVRANK_KILLS:-5000}" DEVRANK_POWERCUT_ROUNDS="${DEVRANK_POWERCUT_ROUNDS:-50}" \
  DEVRANK_TX_KILLS="${DEVRANK_TX_KILLS:-1000}" DEVRANK_TX_PINGPONG_MS="${DEVRANK_TX_PINGPONG_MS:-60000}" \
  dotnet test tests/DevRank.Reliability.Tests -c Release
dotnet test tests/DevRank.AtomicStore.Tests -c Release --filter "FullyQualifiedName~BadInputTests"
echo
echo "| suite | figure | value |"
echo "| --- | --- | --- |"
sort "$figures"
