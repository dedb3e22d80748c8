#!/usr/bin/env bash
# Which parts of the request path allocate: a JFR recording (allocation samples) of the packaged
# jar under one wrk scenario, summarized by bench/alloc_sites.py.
# Usage: bench/alloc-profile.sh [scenario, default predict-png] [seconds, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-predict-png}"
duration="${2:-20}"
source bench/server.sh
start_server target/bench-alloc-profile.log
wrk -t2 -c16 -d30s -s "bench/$scenario.lua" "http://localhost:$port" > /dev/null   # JIT warm-up
rec="$PWD/target/alloc-$scenario.jfr"
# Every new TLAB and every allocation outside one: unlike the throttled jdk.ObjectAllocationSample,
# each TLAB stands for its own size, so the split is not skewed by when a sample was taken.
jcmd "$server" JFR.start name=alloc settings="$PWD/bench/alloc.jfc" filename="$rec" > /dev/null
out=$(wrk -t1 -c4 -d"${duration}s" -s "bench/$scenario.lua" "http://localhost:$port")
jcmd "$server" JFR.stop name=alloc > /dev/null
requests=$(awk '/requests in/ {print $1}' <<<"$out")
echo "$scenario: $requests requests in ${duration} s, JFR at $rec"
jfr print --json --stack-depth 64 --events jdk.ObjectAllocationInNewTLAB,jdk.ObjectAllocationOutsideTLAB "$rec" | python3 bench/alloc_sites.py
