#!/usr/bin/env bash
# The soak of issue 13: single-PNG requests at a fixed rate for some minutes from hey, a load
# generator much lighter than a JVM one, against the packaged jar with its default flags. Prints,
# minute by minute, the rate held, p50, p99, the status codes and errors, and the service's
# resident memory, so growing latency or memory shows.
# hey -q paces each of its connections (-c) at rate/c requests per second: a closed loop with
# pacing, as wrk's rate scripts are, not a fixed open-loop schedule.
# Usage: bench/soak-light.sh [requests/s, default 1900] [minutes, default 5] [connections, default 16]
# (needs hey and wrk: apt-get install hey wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:-1900}"
minutes="${2:-5}"
conns="${3:-16}"
command -v hey >/dev/null || { echo "hey is not installed (apt-get install hey)" >&2; exit 1; }
source bench/server.sh
start_server target/soak-light-server.log
wrk -t2 -c16 -d120s -s bench/predict-png.lua "http://localhost:$port" > /dev/null   # JIT warm-up, not reported

body=$(mktemp)
boundary=----heyboundary7d3
{ printf -- '--%s\r\nContent-Disposition: form-data; name="image"; filename="digit.png"\r\nContent-Type: image/png\r\n\r\n' "$boundary"
  cat bench/digit.png
  printf -- '\r\n--%s--\r\n' "$boundary"; } > "$body"
rss() { awk '/VmRSS/ {printf "%.1f MB", $2 / 1024}' "/proc/$server/status"; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ)"
echo "target $rate requests/s: hey -c $conns -q $(( rate / conns )) per connection; RSS at start $(rss)"
printf '%-7s %10s %9s %9s %9s %-22s %s\n' minute 'req/s' p50 p99 max statuses 'RSS at end'
for minute in $(seq 1 "$minutes"); do
  out=$(hey -z 60s -c "$conns" -q $(( rate / conns )) -m POST -T "multipart/form-data; boundary=$boundary" \
    -D "$body" "http://localhost:$port/predict")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '/ 50% in/ {printf "%.2fms", $3 * 1000}' <<<"$out")
  p99=$(awk '/ 99% in/ {printf "%.2fms", $3 * 1000}' <<<"$out")
  max=$(awk '/Slowest:/ {printf "%.2fms", $2 * 1000}' <<<"$out")
  statuses=$(awk '/Status code distribution/ {on = 1; next} on && /\[/ {gsub(/[][]/, ""); printf "%s:%s ", $1, $2} on && /^$/ {on = 0}' <<<"$out")
  errors=$(awk '/Error distribution/ {on = 1; next} on && /\[/ {n += substr($1, 2) + 0} END {print n + 0}' <<<"$out")
  printf '%-7s %10s %9s %9s %9s %-22s %s\n' "$minute" "$rps" "$p50" "$p99" "$max" "${statuses}errors:$errors" "$(rss)"
done
rm -f "$body"
