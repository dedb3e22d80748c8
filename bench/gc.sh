#!/usr/bin/env bash
# Collectors side by side: for each set of JVM flags given (one argument each), starts the jar,
# warms it up, runs single-PNG requests at 16 connections and prints requests/s, p99 and the
# pauses from -Xlog:gc, and the resident memory at the end. $JAVA (default java) picks the JVM.
# Usage: bench/gc.sh [seconds, default 20] "-XX:+UseG1GC" "-XX:+UseG1GC -Xmn64m" ...
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-20}"
shift
source bench/server.sh
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ)"
printf '%-60s %9s %9s %7s %9s %9s %9s\n' flags 'req/s' p99 pauses 'mean ms' 'max ms' 'RSS MB'
for flags in "$@"; do
  gclog="$PWD/target/bench-gc.log"
  rm -f "$gclog"
  JAVA_OPTS="$flags -Xlog:gc:file=$gclog" start_server target/bench-gc-server.log
  wrk -t2 -c16 -d40s -s bench/predict-png.lua "http://localhost:$port" > /dev/null   # JIT warm-up
  start_line=$(wc -l < "$gclog")
  out=$(wrk -t2 -c16 -d"${duration}s" --latency -s bench/predict-png.lua "http://localhost:$port")
  pauses=$(tail -n +"$((start_line + 1))" "$gclog" | awk '/Pause/ && /ms$/ {gsub("ms", "", $NF); v = $NF + 0; n++; s += v; if (v > m) m = v}
    END {if (n) printf "%7d %9.2f %9.2f", n, s / n, m; else printf "%7d %9s %9s", 0, "-", "-"}')
  printf '%-60s %9s %9s %s %9s\n' "$flags" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")" "$pauses" "$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")"
  kill "$server"; wait "$server" 2>/dev/null || true
done
