#!/usr/bin/env bash
# One mnist-mlp FP32 row of 784 values, batch 1, over the Open Inference Protocol's REST form
# (POST /v2/models/mnist-mlp/infer, JSON) and over its gRPC form (ModelInfer with the row as
# raw_input_contents, and as typed fp32_contents). REST is driven by wrk, as in the other benchmarks
# (h2load 1.52's HTTP/1.1 client counts Tomcat's status line, which has no reason phrase, as a
# failure); gRPC by h2load over h2c, both native generators on the same two cores; each run also
# prints the generator's own CPU time per 1,000 requests. Rounds alternate REST and gRPC; each prints
# requests/s and the round's p50/p99. Concurrency 16: 16 HTTP/1.1 connections for REST; for gRPC 16
# streams on one connection (a gRPC client's channel) and 16 connections of one stream each. Before and after, the server's dl4j_inference_requests count shows every gRPC call
# succeeded (h2load sees HTTP 200 whatever the grpc-status trailer says).
# Needs wrk, h2load (apt-get install wrk nghttp2-client) and Debian's python3-grpcio python3-grpc-tools.
# Usage: bench/grpc.sh [seconds per run] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/server.sh
seconds="${1:-10}"; rounds="${2:-3}"
command -v h2load >/dev/null || { echo "h2load is not installed (apt-get install nghttp2-client)" >&2; exit 1; }
work=target/bench-grpc; rm -rf "$work"; mkdir -p "$work"
/usr/bin/python3 bench/grpc_bodies.py "$work" > /dev/null
grpc_port="${BENCH_GRPC_PORT:-18091}"
start_server "$work/server.log" --dl4j-serving.grpc.port="$grpc_port" --dl4j-serving.models-dir="$work/store"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ)"
echo "$rounds rounds of ${seconds}s per case, 2 s warm-up each, one mnist-mlp FP32 row [1, 784] per request"

successes() { # protocol -> successful mnist-mlp requests so far
  curl -sf "localhost:$port/actuator/prometheus" \
    | awk -v p="protocol=\"$1\"" 'index($0, "dl4j_inference_requests_seconds_count{model=\"mnist-mlp\",outcome=\"success\"") == 1 && index($0, p) { n += $2 } END { print n + 0 }'
}

server_cpu() { # the server's user+sys CPU seconds so far, from /proc
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$server/stat"
}

report() { # label req/s p50-ms p99-ms requests generator-cpu-seconds server-cpu-seconds
  printf "%-18s %6.0f req/s  p50 %5.2f ms  p99 %5.2f ms  CPU per request: server %4.0f us, generator %3.0f us\n" \
    "$1" "$2" "$3" "$4" "$(echo "$7 $5" | awk '{ print ($2 > 0 ? $1 * 1e6 / $2 : 0) }')" \
    "$(echo "$6 $5" | awk '{ print ($2 > 0 ? $1 * 1e6 / $2 : 0) }')"
}

TIMEFORMAT='%U %S'
timed() { # command...: runs it, its output to $work/out, its user+sys CPU seconds to $work/cpu, the
  # server's CPU seconds meanwhile to $work/server-cpu (warm-up included, as in the request count)
  local s0; s0=$(server_cpu)
  { time "$@" > "$work/out" 2>&1; } 2> "$work/time"
  awk '{ print $1 + $2 }' "$work/time" > "$work/cpu"
  echo "$(server_cpu) $s0" | awk '{ print $1 - $2 }' > "$work/server-cpu"
}

rest() {
  local out used
  BODY="$work/row.json" wrk -t2 -c16 -d2s -s bench/oip-mlp-row.lua "http://127.0.0.1:$port" > /dev/null # warm-up
  BODY="$work/row.json" timed wrk -t2 -c16 -d"${seconds}s" --latency -s bench/oip-mlp-row.lua "http://127.0.0.1:$port"
  out=$(cat "$work/out"); used=$(cat "$work/cpu")
  echo "$out" | grep -q 'unexpected status' && { echo "$out" >&2; exit 1; }
  local ms='function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }'
  report "rest-wrk-c16" \
    "$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')" \
    "$(echo "$out" | awk "$ms"' $1 == "50%" { print ms($2) }')" \
    "$(echo "$out" | awk "$ms"' $1 == "99%" { print ms($2) }')" \
    "$(echo "$out" | awk '/requests in/ { print $1 }')" "$used" "$(cat "$work/server-cpu")"
}

grpc() { # label, body, connections, streams per connection
  local log="$work/$1.log" out used
  rm -f "$log"
  timed h2load -D "$seconds" --warm-up-time=2 --log-file="$log" -c"$3" -m"$4" -d "$work/$2" \
    -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://127.0.0.1:$grpc_port/inference.GRPCInferenceService/ModelInfer"
  out=$(cat "$work/out"); used=$(cat "$work/cpu")
  echo "$out" | awk '/^requests:/ { if ($10 + $12 + $14 > 0) { print "h2load: " $0; exit 1 } }' >&2 || exit 1
  # The log has one line per request: start (us), HTTP status, microseconds to the end of the response.
  local n p50 p99
  n=$(wc -l < "$log")
  p50=$(sort -n -k3 "$log" | awk -v n="$n" 'NR == int(n * 0.5) { print $3 / 1000 }')
  p99=$(sort -n -k3 "$log" | awk -v n="$n" 'NR == int(n * 0.99) { print $3 / 1000 }')
  # h2load's log leaves out the warm-up; the server's CPU includes it: count its requests too.
  local all; all=$(echo "$out" | awk '/^finished in/ { sub(",", "", $4); print $4 * ('"$seconds"' + 2) }')
  report "$1" "$(echo "$out" | awk '/^finished in/ { sub(",", "", $4); print $4 }')" "$p50" "$p99" "$all" "$used" \
    "$(cat "$work/server-cpu")"
}

before=$(successes grpc)
echo "--- warm-up (not counted): each case once, REST twice (its JSON path takes longer to compile)"
rest > /dev/null
rest > /dev/null
grpc "warm-up" row-raw.grpc 1 16 > /dev/null
grpc "warm-up" row-raw.grpc 16 1 > /dev/null
grpc "warm-up" row-typed.grpc 1 16 > /dev/null
for r in $(seq 1 "$rounds"); do
  echo "--- round $r"
  rest
  grpc "grpc-raw-c1-m16" row-raw.grpc 1 16
  grpc "grpc-raw-c16-m1" row-raw.grpc 16 1
  grpc "grpc-typed-c1-m16" row-typed.grpc 1 16
done
echo "gRPC calls answered with success by the server during the runs (warm-up included): $(( $(successes grpc) - before ))"
