#!/usr/bin/env bash
# The soak of issue 32: an open-loop mixed load (PNG uploads, JSON table rows, OIP tensors, in turn)
# at 70% of the capacity measured just before, for 30 minutes by default, with a training job running
# throughout; bench/LoadGen.java prints per minute the statuses, latency percentiles, heap, JavaCPP
# off-heap and resident memory.
# Usage: bench/soak-mixed.sh [soak seconds, default 1800] [capacity share, default 0.7]
set -euo pipefail
cd "$(dirname "$0")/.."
soak="${1:-1800}"
share="${2:-0.7}"
source bench/server.sh
start_server target/soak-mixed-server.log
mix="png,row,oip"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ)"
java bench/LoadGen.java --url "http://localhost:$port/predict" --mix "$mix" --rate 2000 --seconds 60 \
  --connections 64 --window 60 > /dev/null   # JIT warm-up, not reported
# A training job on the trainer's core for the whole soak: the MLP, as many epochs as fit.
curl -sf -H 'Content-Type: application/json' "localhost:$port/jobs" \
  -d '{"model": "mnist-mlp", "promote": "never", "hyperparameters": {"epochs": 200}}' | head -c 200; echo
sleep 10
# Capacity: 60,000 requests as fast as 64 connections take them; the server is saturated throughout,
# so the answers per second of wall time are what it can serve with the job running.
echo "# capacity: 60,000 requests at an unreachable rate, 64 connections"
t0=$(date +%s.%N)
java bench/LoadGen.java --url "http://localhost:$port/predict" --mix "$mix" --rate 20000 --seconds 3 \
  --connections 64 --window 3 | tail -3
t1=$(date +%s.%N)
capacity=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%d", 60000 / (b - a)}')
rate=$(awk -v c="$capacity" -v s="$share" 'BEGIN {printf "%d", c * s}')
echo "# capacity ${capacity} answers/s; soak at ${rate}/s (${share} of it) for ${soak} s"
java bench/LoadGen.java --url "http://localhost:$port/predict" --mix "$mix" --rate "$rate" --seconds "$soak" \
  --connections 64 --window 60
curl -sf "localhost:$port/jobs?status=RUNNING" | head -c 300; echo
