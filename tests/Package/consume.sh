#!/usr/bin/env bash
# The package as a user meets it: pack DevRank.AtomicStore into a temp feed, check the nupkg's layout, create a
# fresh console project outside the repository, add the package from that feed (listed first in its nuget.config),
# build it with warnings as errors, run it, check the files it wrote, then publish it trimmed and assert that no
# trim warning appears, and the same with Native AOT (needs clang; .ci/run installs it). Run by .ci/run; prints
# "package: ok" at the end.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A version of its own per run, so that no NuGet cache can hand the test an older build.
version="0.1.0-ci.$(date +%s)"

echo "package: packing $version"
dotnet pack "$repo/runtime/DevRank.AtomicStore" -c Release -o "$work/feed" -p:Version="$version" -v quiet -nologo >/dev/null
nupkg="$work/feed/DevRank.AtomicStore.$version.nupkg"
test -f "$work/feed/DevRank.AtomicStore.$version.snupkg" || { echo "package: no symbols package"; exit 1; }

layout="$(unzip -Z1 "$nupkg")"
for entry in lib/net8.0/DevRank.AtomicStore.dll lib/net10.0/DevRank.AtomicStore.dll lib/net10.0/DevRank.AtomicStore.xml \
             analyzers/dotnet/cs/DevRank.Generators.dll analyzers/dotnet/cs/DevRank.Generators.CodeFixes.dll \
             buildTransitive/DevRank.AtomicStore.targets README.md; do
  grep -qx "$entry" <<<"$layout" || { echo "package: $entry missing from the nupkg"; echo "$layout"; exit 1; }
done
# The generator must not leak in as a lib reference or a package dependency.
if grep -q '^lib/.*DevRank.Generators' <<<"$layout"; then echo "package: generator under lib/"; exit 1; fi
if unzip -p "$nupkg" DevRank.AtomicStore.nuspec | grep -q '<dependency '; then echo "package: unexpected dependencies"; exit 1; fi

mkdir -p "$work/app" && cd "$work/app"
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="DevRank.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
dotnet new console -n Consumer -o . --framework net10.0 >/dev/null
dotnet add package DevRank.AtomicStore --version "$version" >/dev/null
cp "$repo/tests/Package/Program.cs.txt" Program.cs
# Warnings as errors, XML docs and the recommended analysis level: the generated code must pass all of them.
sed -i 's|</PropertyGroup>|  <TreatWarningsAsErrors>true</TreatWarningsAsErrors>\n    <GenerateDocumentationFile>true</GenerateDocumentationFile>\n    <NoWarn>$(NoWarn);CS1591</NoWarn>\n    <AnalysisLevel>latest-recommended</AnalysisLevel>\n    <DefineConstants Condition="'"'"'$(TrimmedOnly)'"'"' == '"'"'true'"'"'">$(DefineConstants);TRIMMED_ONLY</DefineConstants>\n  </PropertyGroup>|' Consumer.csproj

echo "package: building and running the consumer"
dotnet build -c Release -nologo -v quiet || exit 1
out="$(dotnet run -c Release --no-build -- "$work/data")"
echo "$out"
grep -q '"octocat":"2026-11-25T00:00:00+00:00"' "$work/data/tracker.json" || { echo "package: tracker.json is not what the app saved"; exit 1; }
grep -q '"Hubot":null' "$work/data/tracker.json" || { echo "package: the update did not land"; exit 1; }
grep -q '"N":1' "$work/data/x.json" || { echo "package: x.json wrong"; exit 1; }
grep -q '"hello"' "$work/data/notes.json" || { echo "package: notes.json wrong"; exit 1; }
test -z "$(find "$work/data" -name '.*.tmp')" || { echo "package: temp files left"; exit 1; }

# Publish the context-based stores (the reflection one compiled out), fail on any trim/AOT warning, run the result.
publish_and_run() {
  local label="$1" out="$work/$2"; shift 2
  echo "package: publishing the context-based stores $label"
  local log
  log="$(dotnet publish -c Release -r linux-x64 -p:TrimmedOnly=true -o "$out" -nologo "$@" 2>&1)" || { echo "$log"; exit 1; }
  if grep -E 'warning (IL|CS)[0-9]+' <<<"$log"; then echo "package: warnings when publishing $label"; exit 1; fi
  "$out/Consumer" "$out.data"
  grep -q '"N":1' "$out.data/x.json" || { echo "package: the app published $label did not save"; exit 1; }
}
publish_and_run trimmed trimmed --self-contained -p:PublishTrimmed=true
publish_and_run "with Native AOT" aot -p:PublishAot=true
echo "package: ok"
