#!/usr/bin/env bash
# Where the tail comes from: the packaged jar under wrk at 16 connections (one 28x28 PNG to
# /predict), recorded by JDK Flight Recorder with bench/tail.jfc: each request's stages (the
# dl4jserving.InferenceRequest event), the safepoints and collector pauses, the CPU. Prints wrk's
# view (the client's) and bench/TailReport.java's (the server's, stage by stage, the slowest 1%).
# Usage: bench/tail.sh [seconds, default 30] [service args...]
#   CONNECTIONS (default 16) sets wrk's connections in the measured run; TAIL_WARMUP its warm-up (90 s).
#   JAVA_OPTS picks the collector and heap (default: the Dockerfile's), JAVA the JVM; service args
#   such as --dl4j-serving.batching.workers=1 change the batching policy.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-30}"
source bench/server.sh
JAVA_OPTS="${JAVA_OPTS-$BENCH_DEFAULT_JAVA_OPTS} -XX:StartFlightRecording=name=tail,settings=$PWD/bench/tail.jfc"
start_server target/bench-tail.log "${@:2}"
jfr="$PWD/target/tail-$(date +%s).jfr"

# The recording runs from the start: started later, JFR redefines the event's class and the JIT's
# work on the request path is thrown away (throughput fell by half for a minute). Only the
# measured window is read.
# JIT warm-up, not reported: on 2 cores C2 keeps raising our throughput for about two minutes.
wrk -t2 -c16 -d"${TAIL_WARMUP:-90}s" -s bench/predict-png.lua "http://localhost:$port" > /dev/null

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ)"
echo "java $JAVA_OPTS -jar ... ${*:2}"
from=$(date +%s%3N)
connections="${CONNECTIONS:-16}"
wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${duration}s" --latency -s bench/predict-png.lua "http://localhost:$port" \
  | awk '/Requests\/sec/ {print "wrk: " $2 " req/s"} /Latency  / {print "wrk: mean " $2} $1 ~ /^(50|90|99)%$/ {print "wrk: p" $1 " " $2}'
to=$(date +%s%3N)
jcmd "$server" JFR.dump name=tail filename="$jfr" > /dev/null
"${JAVA:-java}" bench/TailReport.java "$jfr" "$from" "$to"
