#!/usr/bin/env bash
# 12 MP phone photos through POST /predict, side by side in one run: the service with libjpeg-turbo,
# the same jar with ImageIO (the binding hidden), and the thin Pillow + PyTorch peer of
# bench/peer/server.py. Each round runs each target at 4 connections, then at 1 connection for the
# single-request latency; rounds alternate the targets, as the machine's speed drifts.
# The photo is the first of the project's photo set (PhotoSet, seed 27): 3024x4032 stored sideways
# with EXIF 6, 343 KB, written to target/bench-12mp.jpg.
# Usage: bench/photos.sh [rounds] [seconds]    (needs wrk, libturbojpeg-java and the peer's packages)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/server.sh
rounds="${1:-3}"
secs="${2:-20}"
photo=target/bench-12mp.jpg
if [ ! -f "$photo" ]; then
  ./mvnw -B -q test-compile
  cp=$(./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
  java -cp "target/test-classes:target/classes:$cp" io.github.dl4jserving.PhotoSet target/bench-photos 1
  cp target/bench-photos/000-*.jpg "$photo"
fi
ls -l "$photo"

BENCH_PORT=18080 start_server target/bench-turbo.log
turbo_port=$port
JAVA_OPTS="$BENCH_DEFAULT_JAVA_OPTS -Ddl4j-serving.turbojpeg.jar=/nonexistent" BENCH_PORT=18082 start_server target/bench-imageio.log
imageio_port=$port
start_peer target/bench-peer.log
grep -h 'JPEG decoder' target/bench-turbo.log target/bench-imageio.log | sed 's/.*JPEG decoder/JPEG decoder/'
curl -s -F image=@"$photo" "localhost:$turbo_port/predict"; echo
curl -s -F image=@"$photo" "localhost:$peer_port/predict"; echo

run() { # name port connections seconds
  IMAGE="$photo" TYPE=image/jpeg wrk -t"$(($3 < 2 ? 1 : 2))" -c"$3" -d"$4"s --latency -s bench/predict-png.lua \
    "http://localhost:$2" | awk -v n="$1" -v c="$3" '
      /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Requests\/sec/ {rps=$2}
      END {printf "%-16s c=%d  %8s req/s  p50 %8s  p99 %8s\n", n, c, rps, p50, p99}'
}
for r in $(seq 1 "$rounds"); do
  echo "--- round $r"
  run dl4j-turbo "$turbo_port" 4 "$secs"
  run dl4j-imageio "$imageio_port" 4 "$secs"
  run pillow-peer "$peer_port" 4 "$secs"
  run dl4j-turbo "$turbo_port" 1 10
  run dl4j-imageio "$imageio_port" 1 10
  run pillow-peer "$peer_port" 1 10
done
