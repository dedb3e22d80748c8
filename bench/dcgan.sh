#!/usr/bin/env bash
# One mnist-dcgan training iteration (batch 64) in DL4J (DcganIterationBenchmark, the trainer's own
# networks and loop, each part timed) beside the same networks in PyTorch (bench/peer/train_dcgan.py),
# at 1 and 2 threads, one after the other on the same machine (issue 17).
# Usage: bench/dcgan.sh [data dir, default ../shared/data] [iterations to time, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data}"
iterations="${2:-20}"
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ)"
for threads in 1 2; do
  java -cp "$cp" io.github.dl4jserving.training.internal.DcganIterationBenchmark "$data" "$threads" "$iterations" 64 \
    2>/dev/null | sed -n '/^dcgan/,$p'
  /usr/bin/python3 bench/peer/train_dcgan.py "$data" "$threads" "$iterations" 64
done
