#!/usr/bin/env bash
# The event-stream flood of issue 32 against a trainer and a serving replica that forwards training
# to it: a long job is started, then bench/stream_flood.py makes 10,000 attempts to open its event
# stream from one address on each replica in turn, timing /predict and liveness meanwhile.
# Usage: bench/stream-flood.sh [attempts, default 10000]
set -euo pipefail
cd "$(dirname "$0")/.."
attempts="${1:-10000}"
source bench/server.sh
start_server target/stream-flood-trainer.log
trainer_port=$port
BENCH_PORT=$((trainer_port + 2)) start_server target/stream-flood-serving.log \
  --dl4j-serving.training.trainer-url="http://127.0.0.1:$trainer_port" --dl4j-serving.models-dir=target/flood-serving-store
serving_port=$port
id=$(curl -sf -H 'Content-Type: application/json' "localhost:$trainer_port/jobs" \
  -d '{"model": "breast-cancer-logreg", "promote": "never", "hyperparameters": {"epochs": 10000, "batchSize": 1}}' \
  | sed -E 's/^\{"id":"([^"]+)".*/\1/')
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ); job $id"
echo -n "trainer: "; python3 bench/stream_flood.py "$trainer_port" "$id" "$attempts"
echo -n "serving replica: "; python3 bench/stream_flood.py "$serving_port" "$id" "$attempts"
curl -sf -X POST "localhost:$trainer_port/jobs/$id/cancel" > /dev/null
