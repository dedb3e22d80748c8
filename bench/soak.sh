#!/usr/bin/env bash
# The reliability runs of docs/reliability.md: the packaged jar with default settings, a JIT
# warm-up, then bench/LoadGen.java at a fixed rate (the soak) and at three times that rate (the
# overload), each printing per-window statuses, latencies and server memory.
# Usage: bench/soak.sh [rate/s, default 2000] [soak seconds, default 300] [overload seconds, default 120]
# (needs wrk for the warm-up: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:-2000}"
soak="${2:-300}"
overload="${3:-120}"
source bench/server.sh
start_server target/soak-server.log
wrk -t2 -c16 -d60s -s bench/predict-png.lua "http://localhost:$port" > /dev/null   # JIT warm-up, not reported

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ)"
java bench/LoadGen.java --url "http://localhost:$port/predict" --rate "$rate" --seconds "$soak" \
  --connections 64 --window 30
echo
# nstat (iproute2) counts SYNs the listen backlog dropped; each one costs its client a second.
command -v nstat >/dev/null && nstat -n
java bench/LoadGen.java --url "http://localhost:$port/predict" --rate $((rate * 3)) --seconds "$overload" \
  --connections 512 --window 20
command -v nstat >/dev/null && { echo "kernel during the overload:"; nstat | grep -E 'ListenOverflows|SynRetrans' || echo "  no listen overflows, no SYN retransmissions"; }
echo
curl -sf "localhost:$port/actuator/health/readiness"; echo
