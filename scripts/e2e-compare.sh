#!/usr/bin/env bash
# The end-to-end comparison in one command: builds the demo, the naive Redis peer and the load test
# (one at a time), then runs the demo on Redis and the peer alternately (default 3 runs of each) with
# 1,000 WebSocket clients in teams of 50, 10 s of 1 ping/s, 200 users in one team for the Redis counts.
# Each run starts its own redis-server (--save '') and server on free 127.0.0.1 ports and stops them.
# Usage: scripts/e2e-compare.sh [runs] [report]   (default: 3 benchmarks/results/e2e/latest.md)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export NUGET_CERT_REVOCATION_MODE=offline DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
runs="${1:-3}"
report="${2:-benchmarks/results/e2e/latest.md}"
for project in samples/Presence.Demo benchmarks/Presence.NaivePeer benchmarks/Presence.LoadTest; do
  dotnet build "$project" -c Release -nologo -v q
done
lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core)' || true
uptime
exec timeout 3600 dotnet run --project benchmarks/Presence.LoadTest -c Release --no-build -- \
  --compare "$runs" --clients 1000 --teams 20 --duration 10s --ping-interval 1s --redis-users 200 --report "$report"
