#!/usr/bin/env bash
# Runs every test project of the solution; extra arguments go to `dotnet test` (CI adds -c Release and a TRX logger).
# Tests that need strace, root or loop devices skip with a visible reason when those are missing.
set -euo pipefail
cd "$(dirname "$0")"
exec dotnet test DevRank.Generators.sln "$@"
