# Sourced by bench/run.sh and bench/soak.sh. start_server LOG: checks for wrk, packages the jar if
# target/ has none, starts it on $BENCH_PORT (default 18080) with $JAVA_OPTS (e.g. -XX:+UseZGC to
# compare collectors, docs/performance.md), its output to LOG, stops it when the script exits, and
# waits until it is ready. Sets port.
start_server() {
  port="${BENCH_PORT:-18080}"
  command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
  local jar
  jar=$(ls target/dl4j-serving-*.jar 2>/dev/null | head -1 || true)
  [ -n "$jar" ] || { ./mvnw -B -q package -DskipTests; jar=$(ls target/dl4j-serving-*.jar | head -1); }
  java ${JAVA_OPTS:-} -jar "$jar" --server.port="$port" > "$1" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
  for _ in $(seq 1 120); do
    curl -sf "localhost:$port/actuator/health/readiness" >/dev/null && break
    sleep 1
  done
}
