#!/usr/bin/env bash
# dl4j-serving side by side with the PyTorch peer (bench/peer/server.py): the same request, one
# 28x28 PNG as multipart to /predict, and the same wrk runs, alternating between the two servers
# round by round so both see the same machine. Prints every run, the medians and the ratios.
# Usage: bench/run.sh [seconds per run, default 10] [rounds, default 3]
# Needs wrk and the peer's Debian packages (bench/peer/server.py says which).
# bench/scenarios.sh runs our other request kinds; bench/alloc.sh measures allocation.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
rounds="${2:-3}"
source bench/server.sh
start_server target/bench-server.log
start_peer target/bench-peer.log

# JIT warm-up, not reported: on 2 cores C2 keeps raising our throughput for about two minutes.
wrk -t2 -c16 -d120s -s bench/predict-png.lua "http://localhost:$port" > /dev/null
wrk -t2 -c16 -d10s -s bench/predict-png.lua "http://localhost:$peer_port" > /dev/null

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)
simd=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_vnni|fma)$' | tr '\n' ' ')
echo "machine: $(nproc) cores, $cpu, $simd; $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%FT%TZ)"
echo "ours: java ${JAVA_OPTS-$BENCH_DEFAULT_JAVA_OPTS} -jar (wrk on the same cores)"
printf '%-6s %-6s %5s %10s %9s %9s %7s\n' round server conns 'req/s' p50 p99 errors
results=$(mktemp)
for round in $(seq 1 "$rounds"); do
  for server in ours peer; do
    target=$([ "$server" = ours ] && echo "$port" || echo "$peer_port")
    for conns in 16 1; do
      out=$(wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${duration}s" --latency -s bench/predict-png.lua \
        "http://localhost:$target")
      rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
      p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
      p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
      # wrk's own counts: responses other than 2xx/3xx, and connect, read, write and timeout errors.
      errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$out")
      printf '%-6s %-6s %5s %10s %9s %9s %7s\n' "$round" "$server" "$conns" "$rps" "$p50" "$p99" "$errors"
      echo "$server $conns $rps $p50 $p99" >> "$results"
    done
  done
done

# Medians over the rounds, latencies in ms, and our figures over the peer's.
python3 - "$results" <<'PY'
import statistics, sys
def ms(v):
    for unit, f in (("us", 1e-3), ("ms", 1.0), ("s", 1e3)):
        if v.endswith(unit):
            return float(v[: -len(unit)]) * f
    return float(v)
runs = {}
for line in open(sys.argv[1]):
    server, conns, rps, p50, p99 = line.split()
    runs.setdefault((server, int(conns)), []).append((float(rps), ms(p50), ms(p99)))
med = {k: [statistics.median(x[i] for x in v) for i in range(3)] for k, v in runs.items()}
print("\nmedians        req/s      p50 ms    p99 ms")
for k in sorted(med):
    print(f"{k[0]:5} c{k[1]:<3} {med[k][0]:10.1f} {med[k][1]:9.2f} {med[k][2]:9.2f}")
o, p = med[("ours", 16)], med[("peer", 16)]
print(f"\nat 16 connections: {o[0] / p[0]:.2f}x the peer's requests/s (target >= 2.5), "
      f"p99 {o[2]:.1f} ms vs {p[2]:.1f} ms (target: no higher)")
print(f"at 1 connection: our p50 {med[('ours', 1)][1]:.2f} ms (target <= 0.5 ms), the peer's {med[('peer', 1)][1]:.2f} ms")
print(f"our p99 at 16 connections over our mean: {o[2] / (16000 / o[0]):.1f}x (target <= 4; the mean from req/s)")
PY
rm -f "$results"
