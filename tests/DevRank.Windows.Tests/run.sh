#!/usr/bin/env bash
# Publishes DevRank.Windows.Tests for win-x64 and runs it under Wine (Debian's wine64). Arguments go to the program
# (--trx FILE, --filter TEXT, --verbose). Exits with the program's code: non-zero on any failure or when nothing passed.
set -euo pipefail
cd "$(dirname "$0")"
wine=/usr/lib/wine/wine64
[[ -x $wine ]] || { echo "windows: $wine is missing (apt-get install wine64)" >&2; exit 1; }

work="$(mktemp -d)"
export WINEPREFIX="$work/prefix" WINEDEBUG=-all
# Stop this prefix's wineserver (it would linger a few seconds) before the folder goes.
trap '/usr/lib/wine/wineserver -k >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

dotnet publish -c Release -o "$work/app" --nologo -v quiet
# Measured: with W^X on (the .NET default) the runtime dies under Wine 8 with "Internal CLR error (0x80131506)" in
# DynamicResolver.DestroyScout.Finalize, after System.Text.Json's emitted code is collected. Wine's double mapping
# of executable memory, not our code: W^X off, three runs out of three pass.
export DOTNET_EnableWriteXorExecute=0
# Wine's first start in a fresh prefix creates it (about 15 s here) and says so on stderr.
timeout 900 "$wine" "$work/app/DevRank.Windows.Tests.exe" "$@" 2> >(grep -v '^wine: ' >&2)
