#!/usr/bin/env bash
# Heap bytes allocated per request, for each kind of request, on the packaged jar: the JVM's own
# count of young-generation allocation (Micrometer's jvm.gc.memory.allocated, exact at each
# collection) read around a fixed number of requests, with a forced collection before each
# reading and an idle interval of the same length subtracted. Also prints the young collections'
# pauses seen under load at 16 connections (from -Xlog:gc). The service runs under G1 here (or
# $JAVA_OPTS): Micrometer counts allocation at young collections, which concurrent collectors
# such as Shenandoah do not make.
# Usage: bench/alloc.sh [seconds per scenario, default 10]   (needs wrk and the JDK's jcmd)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
gclog="$PWD/target/bench-alloc-gc.log"
JAVA_OPTS="${JAVA_OPTS:--XX:+UseG1GC} -Xlog:gc:file=$gclog"
source bench/server.sh
start_server target/bench-alloc.log
scenarios="predict-png predict-row predict-base64 oip-row"

# Allocated bytes so far, counted up to a collection forced now.
allocated() {
  jcmd "$server" GC.run > /dev/null
  curl -sf "localhost:$port/actuator/metrics/jvm.gc.memory.allocated" | sed -E 's/.*"value":([0-9.E+-]+).*/\1/'
}

for scenario in $scenarios; do   # JIT warm-up, not reported
  wrk -t2 -c16 -d20s -s "bench/$scenario.lua" "http://localhost:$port" > /dev/null
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ)"
echo "JAVA_OPTS:${JAVA_OPTS}"
a=$(allocated); sleep "$duration"; b=$(allocated)
idle=$(awk -v a="$a" -v b="$b" 'BEGIN {print b - a}')
printf '%-16s %10s %14s\n' scenario requests 'bytes/request'
for scenario in $scenarios; do
  a=$(allocated)
  out=$(wrk -t1 -c4 -d"${duration}s" -s "bench/$scenario.lua" "http://localhost:$port")
  b=$(allocated)
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  awk -v s="$scenario" -v n="$requests" -v a="$a" -v b="$b" -v idle="$idle" \
    'BEGIN {printf "%-16s %10d %14.0f\n", s, n, (b - a - idle) / n}'
done

echo
echo "young collections under wrk -t2 -c16 -d${duration}s, single PNG:"
start_line=$(wc -l < "$gclog")
wrk -t2 -c16 -d"${duration}s" --latency -s bench/predict-png.lua "http://localhost:$port" \
  | awk '/Requests\/sec/ {print "  requests/s " $2} $1 == "99%" {print "  p99 " $2}'
tail -n +"$((start_line + 1))" "$gclog" | awk '/Pause Young/ {gsub("ms", "", $NF); v = $NF + 0; n++; s += v; if (v > m) m = v}
  END {if (n) printf "  %d pauses, mean %.1f ms, max %.1f ms\n", n, s / n, m; else print "  no young pauses"}'
