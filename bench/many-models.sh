#!/usr/bin/env bash
# Many models under a memory budget (issue 31): MODELS copies of the shipped MLP, each with weights
# of its own (bench/ManyModels.java), uploaded through the service into an S3 store (s3proxy), then a
# Zipf-distributed /predict mix over them (bench/ZipfMix.java) against two servers in turn, ROUNDS
# times: one that holds every model ("all loaded") and one whose dl4j-serving.registry.max-loaded-bytes
# holds ROOM of them. Each run sends the mix for WARMUP seconds uncounted, then SECONDS counted: the
# statuses, latency percentiles (all, the HOT most called models, the rest), cold starts (hit rate)
# and unloads in the counted window, the load time of its cold starts (the server's log), the budget's
# bytes in use and the server's resident memory (VmRSS) at the end.
#
# Usage: bench/many-models.sh [MODELS=200] [ROOM=20] [SECONDS=60] [ROUNDS=2] [RATE=20] [WARMUP=30]
# RATE is requests per second, sent on schedule (open loop) to both servers alike.
# Needs the jar (./mvnw package -DskipTests) and target/s3proxy (./mvnw process-test-resources).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/server.sh
models=${1:-200}
room=${2:-20}
seconds=${3:-60}
rounds=${4:-2}
rate=${5:-20}
warmup=${6:-30}
zipf=1.0
hot=10
port=${BENCH_PORT:-18080}
s3port=${S3_PORT:-19000}
work=$(mktemp -d /tmp/many-models.XXXXXX)
jar=$(ls target/dl4j-serving-*.jar | head -1)
[ -f target/s3proxy/s3proxy.jar ] || ./mvnw -B -q process-test-resources
[ -f target/classpath.txt ] || ./mvnw -B -q compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; work in $work"

export AWS_ACCESS_KEY_ID=bench-access AWS_SECRET_ACCESS_KEY=bench-secret
mkdir -p "$work/s3/models"
cat > "$work/s3.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/s3
PROPS
java -Xmx256m -jar target/s3proxy/s3proxy.jar --properties "$work/s3.properties" > "$work/s3proxy.log" 2>&1 &
bench_pids+=($!)
for _ in $(seq 1 60); do (echo > /dev/tcp/127.0.0.1/$s3port) 2>/dev/null && break; sleep 1; done

java -cp "target/classes:$(cat target/classpath.txt)" bench/ManyModels.java \
  models/mnist-mlp/1/model.zip "$work/zips" "$models"

# A server over the bucket, without shipped models; $1 is its log, the rest its settings.
serve() {
  local log=$1
  shift
  java $BENCH_DEFAULT_JAVA_OPTS -jar "$jar" --server.port="$port" --dl4j-serving.grpc.port=0 \
    --dl4j-serving.registry.store=s3 --dl4j-serving.registry.s3.endpoint="http://127.0.0.1:$s3port" \
    --dl4j-serving.registry.s3.bucket=models --dl4j-serving.models-dir="$work/local" \
    --dl4j-serving.seed-models-dir= "$@" > "$log" 2>&1 &
  server=$!
  bench_pids+=("$server")
  for _ in $(seq 1 300); do
    curl -sf "localhost:$port/v2/health/live" >/dev/null && break
    sleep 1
  done
}

stop() {
  kill "$server"
  wait "$server" 2>/dev/null || true
}

# Waits until the server lists every model.
listed() {
  for _ in $(seq 1 600); do
    n=$(curl -s "localhost:$port/models" | grep -o '"name":"m[0-9]*"' | wc -l)
    [ "$n" -ge "$models" ] && return
    sleep 1
  done
  echo "only $n of $models models listed" >&2
  exit 1
}

serve "$work/upload.log"
start=$(date +%s)
for zip in "$work"/zips/m*.zip; do
  name=$(basename "$zip" .zip)
  sed "s/\"name\" *: *\"mnist-mlp\"/\"name\": \"$name\"/" models/mnist-mlp/1/model.json > "$work/model.json"
  curl -sf -o /dev/null -F "model=@$zip" -F "descriptor=<$work/model.json" "localhost:$port/models/$name/versions"
done
echo "uploaded $models models in $(( $(date +%s) - start )) s"
unit=$(curl -s "localhost:$port/models/m000" >/dev/null; curl -s "localhost:$port/models" |
  grep -o '"name":"m000"[^]]*"bytes":[0-9]*' | grep -o '"bytes":[0-9]*' | head -1 | cut -d: -f2)
budget=$(( unit * room ))
echo "one model holds $unit bytes; the budget for $room is $budget bytes"
stop

metric() {
  curl -s "localhost:$port/actuator/prometheus" | awk -v m="$1" '$1 ~ "^"m"({|$)" {s += $2} END {printf "%.0f", s}'
}

run() {
  local label=$1
  shift
  serve "$work/$label.log" "$@"
  local t0=$(date +%s)
  listed
  echo "== $label: ${models} models listed in $(( $(date +%s) - t0 )) s; $(metric dl4j_models_loaded) loaded," \
    "$(metric dl4j_models_memory_used_bytes) bytes held"
  java bench/ZipfMix.java "http://localhost:$port/predict" m "$models" "$zipf" "$seconds" "$rate" "$hot" \
    examples/digit-pixels.json "$warmup" | tee "$work/$label.mix"
  echo "bytes held $(metric dl4j_models_memory_used_bytes) (budget $(metric dl4j_models_memory_max_bytes))," \
    "VmRSS $(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)"
  local from
  from=$(awk '/^counted from/ {print $3}' "$work/$label.mix")
  # The loads that ended in the counted window, from the service's log lines (UTC timestamps first).
  awk -v from="$from" '$1 >= from && /on demand in/ {for (i = 1; i < NF; i++) if ($i == "in") print $(i + 1)}' \
    "$work/$label.log" | sort -n | awk '
      {v[NR] = $1} END {if (NR) printf "load time of a cold start: p50 %d ms, p99 %d ms, max %d ms (n=%d)\n",
        v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1], v[NR], NR}'
  stop
}

for r in $(seq 1 "$rounds"); do
  echo "### round $r"
  run "all-loaded-$r"
  run "budget-$r" --dl4j-serving.registry.max-loaded-bytes="$budget"
done
