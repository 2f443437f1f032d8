#!/usr/bin/env bash
# What the compiler reports for our generator and analyzers on the sample's compilation, and where that time goes.
# Builds the sample once with -p:ReportAnalyzer=true to capture its exact csc command line, then runs that csc
# command N times (default 8) in two analyzer orders, alternating: as the SDK orders them (ours before the SDK's
# generators) and with ours moved last. Prints each run and the medians. See docs/benchmarks.md, "Generator build time".
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-8}"
work="$(mktemp -d /var/tmp/devrank-gentime.XXXXXX)"
trap 'rm -rf "$work"' EXIT

dotnet build samples/DevRank.Sample --no-incremental -p:ReportAnalyzer=true -v:d >"$work/build.log" 2>&1
line="$(grep -m1 -E '^ +/.*/csc .*/out:obj/[^ ]*/DevRank\.Sample\.dll' "$work/build.log" | sed -E 's/^ +//')"
csc_dll="$(dirname "${line%% *}")/csc.dll"
ours="$(grep -o -- '/analyzer:[^ ]*/DevRank\.Generators\.dll' <<<"$line")"
# Same compilation, outputs elsewhere, so the sample's obj/ is left as the build wrote it.
rsp="$(sed -E -e 's#^[^ ]+ ##' -e "s#/out:[^ ]+#/out:$work/out.dll#" -e "s#/refout:[^ ]+#/refout:$work/ref.dll#" \
  -e "s#/generatedfilesout:[^ ]+#/generatedfilesout:$work/gen#" <<<"$line")"
printf '%s\n' "$rsp" >"$work/sdk-order.rsp"
printf '%s %s\n' "${rsp/$ours /}" "$ours" >"$work/ours-last.rsp"

# One csc run: our generator's seconds, STJ's generator's seconds, our analyzers' seconds.
measure() {
  local out
  out="$(cd samples/DevRank.Sample && dotnet "$csc_dll" "@$1" 2>&1)"
  local gen="${out#*Total generator execution time}" ana="${out#*Total analyzer execution time}"
  ana="${ana%%Total generator execution time*}"
  printf '%s %s %s\n' \
    "$(grep -m1 'DevRank.Generators, Version' <<<"$gen" | awk '{print $1}')" \
    "$(grep -m1 'System.Text.Json.SourceGeneration, Version' <<<"$gen" | awk '{print $1}')" \
    "$(grep -m1 'DevRank.Generators, Version' <<<"$ana" | awk '{print $1}')"
}

for i in $(seq 1 "$runs"); do
  for order in sdk-order ours-last; do
    echo "$order $(measure "$work/$order.rsp")" | tee -a "$work/runs.txt"
  done
done

# The analyzer line is often missing (under the report's threshold): "-" when no run had it.
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "medians over $runs runs (seconds): order, our generator, STJ's generator, our analyzers"
for order in sdk-order ours-last; do
  echo "$order $(awk -v o=$order '$1==o {print $2}' "$work/runs.txt" | median)" \
    "$(awk -v o=$order '$1==o {print $3}' "$work/runs.txt" | median)" \
    "$(awk -v o=$order '$1==o && $4!="" {print $4}' "$work/runs.txt" | median)"
done
