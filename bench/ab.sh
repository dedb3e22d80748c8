#!/usr/bin/env bash
# Two builds side by side on one wrk scenario: both jars run at once on their own ports with the
# shipped models (each its own store under target/), each is warmed up, then they are loaded in
# turn, round after round and first in turn, so drifts of the machine's speed hit both alike.
# Usage: bench/ab.sh OLD.jar NEW.jar SCENARIO.lua [rounds, default 3] [seconds per round, default 15]
#   e.g. IMAGE=target/bench-photo.jpg TYPE=image/jpeg bench/ab.sh /tmp/old.jar target/dl4j-serving-*.jar bench/predict-png.lua
# OLD_ARGS and NEW_ARGS add arguments to either build, so one jar can run against itself with a
# setting changed: NEW_ARGS=--management.tracing.enabled=false bench/ab.sh app.jar app.jar ...
set -euo pipefail
cd "$(dirname "$0")/.."
old="$1"; new="$2"; scenario="$3"; rounds="${4:-3}"; seconds="${5:-15}"
flags="-XX:+UseShenandoahGC -XX:SoftMaxHeapSize=512m"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start() { # jar port name
  rm -rf "target/ab-store-$3"
  java $flags -jar "$1" --server.port="$2" --dl4j-serving.models-dir="target/ab-store-$3" \
    --dl4j-serving.seed-models-dir=models --dl4j-serving.grpc.port=0 ${NEW_ARGS:-} > "target/ab-$3.log" 2>&1 &
  pids+=($!)
}
# The old build knows no seeds: its store is a copy of the shipped models.
rm -rf target/ab-store-old && cp -r models target/ab-store-old
java $flags -jar "$old" --server.port=18081 --dl4j-serving.models-dir=target/ab-store-old --dl4j-serving.grpc.port=0 ${OLD_ARGS:-} > target/ab-old.log 2>&1 &
pids+=($!)
start "$new" 18082 new
for port in 18081 18082; do
  for _ in $(seq 1 120); do curl -sf "localhost:$port/actuator/health/readiness" > /dev/null && break; sleep 1; done
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ)"
echo "scenario: $scenario ${IMAGE:+(IMAGE=$IMAGE)}, $rounds rounds of ${seconds}s at 8 connections"
for port in 18081 18082; do wrk -t2 -c8 -d30s -s "$scenario" "http://localhost:$port" > /dev/null; done
printf '%-6s %-5s %10s %9s %9s\n' round build 'req/s' p50 p99
for r in $(seq 1 "$rounds"); do
  order="old new"; [ $((r % 2)) -eq 0 ] && order="new old"   # neither build always goes first
  for build in $order; do
    port=$([ "$build" = old ] && echo 18081 || echo 18082)
    out=$(wrk -t2 -c8 -d"${seconds}s" --latency -s "$scenario" "http://localhost:$port")
    printf '%-6s %-5s %10s %9s %9s\n' "$r" "$build" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
      "$(awk '$1 == "50%" {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")"
  done
done
