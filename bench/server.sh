# Sourced by the bench scripts. Every process started here is stopped when the script exits.
#   start_server LOG [ARGS...]: checks for wrk, packages the jar if target/ has none, starts it on
#     $BENCH_PORT (default 18080) with $JAVA_OPTS (default: the flags of the Dockerfile and the
#     README; e.g. -XX:+UseZGC to compare collectors, docs/performance.md), its output to LOG, and
#     waits until it is ready; $JAVA (default java) picks the JVM; ARGS go to the service. Sets port and
#     server (the pid).
#   start_peer LOG: starts the PyTorch peer of bench/peer/server.py under gunicorn with two
#     workers on $PEER_PORT (default 18081) and waits until it answers. Sets peer_port.
bench_pids=()
# Each step may fail (the process has ended; wait reports its signal): under set -e a failing step
# would end the trap after the first process and leave the others running.
trap 'for p in "${bench_pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done' EXIT

# The flags of the Dockerfile's ENTRYPOINT and pom.xml's spring-boot:run (DeploymentConfigTest checks).
BENCH_DEFAULT_JAVA_OPTS="-XX:+UseShenandoahGC -XX:SoftMaxHeapSize=512m"

start_server() {
  port="${BENCH_PORT:-18080}"
  command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
  local jar
  jar=$(ls target/dl4j-serving-*.jar 2>/dev/null | head -1 || true)
  [ -n "$jar" ] || { ./mvnw -B -q package -DskipTests; jar=$(ls target/dl4j-serving-*.jar | head -1); }
  "${JAVA:-java}" ${JAVA_OPTS-$BENCH_DEFAULT_JAVA_OPTS} -jar "$jar" --server.port="$port" "${@:2}" > "$1" 2>&1 &
  server=$!
  bench_pids+=("$server")
  for _ in $(seq 1 120); do
    curl -sf "localhost:$port/actuator/health/readiness" >/dev/null && break
    sleep 1
  done
}

start_peer() {
  peer_port="${PEER_PORT:-18081}"
  if ! /usr/bin/python3 -c 'import torch, flask, PIL' 2>/dev/null || ! command -v gunicorn >/dev/null; then
    echo "the peer needs: apt-get install python3-torch python3-flask gunicorn python3-pil libopenblas0-pthread" >&2
    exit 1
  fi
  if [ ! -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ]; then
    echo "libopenblas0-pthread is missing: Debian's torch would use the reference BLAS, 40x slower" >&2
    exit 1
  fi
  gunicorn -w 2 --chdir bench/peer -b "127.0.0.1:$peer_port" server:app > "$1" 2>&1 &
  bench_pids+=("$!")
  for _ in $(seq 1 60); do
    curl -sf -F image=@bench/digit.png "localhost:$peer_port/predict" >/dev/null && break
    sleep 1
  done
}
