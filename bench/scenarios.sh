#!/usr/bin/env bash
# Runs every wrk scenario at 1, 16 and 64 connections against the packaged jar and prints one
# table row per run, followed by where the time went according to the service's own metrics.
# Usage: bench/scenarios.sh [seconds per run, default 20]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-20}"
source bench/server.sh
start_server target/bench-server.log

# JIT warm-up, not reported: on 2 cores C2 keeps raising throughput for over a minute.
for scenario in predict-png predict-row predict-png; do
  wrk -t2 -c16 -d30s -s "bench/$scenario.lua" "http://localhost:$port" > /dev/null
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"
printf '%-28s %5s %10s %9s %9s %9s %7s\n' scenario conns 'req/s' p50 p90 p99 errors
for scenario in predict-png predict-row predict-batch32 generate16; do
  for conns in 1 16 64; do
    threads=$(( conns < 2 ? 1 : 2 ))
    out=$(wrk -t"$threads" -c"$conns" -d"${duration}s" --latency -s "bench/$scenario.lua" "http://localhost:$port")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p90=$(awk '$1 == "90%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(grep -c 'unexpected status' <<<"$out" || true)
    printf '%-28s %5s %10s %9s %9s %9s %7s\n' "$scenario" "$conns" "$rps" "$p50" "$p90" "$p99" "$errors"
  done
done

echo
echo "where the time went (means over the whole run, from /actuator/prometheus):"
curl -s "localhost:$port/actuator/prometheus" | awk '
  /^http_server_requests_seconds_(sum|count)\{.*uri="\/predict/ { split($0, a, " "); if ($0 ~ /_sum/) hs += a[2]; else hc += a[2] }
  /^dl4j_inference_requests_seconds_(sum|count)\{/ { split($0, a, " "); if ($0 ~ /_sum/) is += a[2]; else ic += a[2] }
  /^dl4j_inference_queue_seconds_(sum|count)\{/ { split($0, a, " "); if ($0 ~ /_sum/) qs += a[2]; else qc += a[2] }
  /^dl4j_inference_forward_seconds_(sum|count)\{/ { split($0, a, " "); if ($0 ~ /_sum/) fs += a[2]; else fc += a[2] }
  /^dl4j_inference_batch_size_(sum|count)\{/ { split($0, a, " "); if ($0 ~ /_sum/) bs += a[2]; else bc += a[2] }
  END {
    if (hc) printf "  HTTP request (Tomcat + Spring, all of it)  %8.3f ms over %d requests\n", 1000 * hs / hc, hc
    if (ic) printf "  inference call (decode, prepare, queue, forward) %8.3f ms\n", 1000 * is / ic
    if (qc) printf "  of which waiting in the batch queue        %8.3f ms\n", 1000 * qs / qc
    if (fc) printf "  forward pass, per batch                    %8.3f ms over %d passes, %.2f inputs each\n", 1000 * fs / fc, fc, bs / bc
  }'
