#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to the project's
# PublicAPI.Unshipped.txt, and removes declared symbols that no longer exist (RS0017).
# Usage: scripts/update-public-api.sh [project.csproj ...]   (default: every project under src/)
# Review the diff: it is the public API change you are about to ship.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export NUGET_CERT_REVOCATION_MODE=offline
projects=("$@"); [ ${#projects[@]} -eq 0 ] && projects=(src/*/*.csproj)
for proj in "${projects[@]}"; do
  dir=$(dirname "$proj"); file="$dir/PublicAPI.Unshipped.txt"
  [ -f "$file" ] || printf '#nullable enable\n' >"$file"
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' >"$dir/PublicAPI.Shipped.txt"
  grep -q '^#nullable enable' "$file" || sed -i '1i #nullable enable' "$file"
  out=$(dotnet build "$proj" -c Release -nologo -v q --no-incremental 2>&1)
  add=$(grep -o "RS0016: Symbol '[^']*'" <<<"$out" | sed "s/^RS0016: Symbol '//; s/'\$//" | sort -u)
  del=$(grep -o "RS0017: Symbol '[^']*'" <<<"$out" | sed "s/^RS0017: Symbol '//; s/'\$//" | sort -u)
  if [ -n "$del" ]; then grep -vxFf <(printf '%s\n' "$del") "$file" >"$file.tmp"; mv "$file.tmp" "$file"; fi
  [ -n "$add" ] && printf '%s\n' "$add" >>"$file"
  { head -1 "$file"; tail -n +2 "$file" | grep -v '^$' | sort -u; } >"$file.tmp" && mv "$file.tmp" "$file"
  echo "$proj: +$(grep -c . <<<"$add") -$(grep -c . <<<"$del")"
done
