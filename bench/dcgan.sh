#!/usr/bin/env bash
# One mnist-dcgan training iteration in DL4J (DcganIterationBenchmark, the trainer's own networks and
# loop, each part timed) beside the same networks in PyTorch (bench/peer/train_dcgan.py), each lever
# of issue 28 alone, alternating in rounds on the same machine:
#   dl4j                the trainer: oneDNN helpers, resize-convolution generator
#   dl4j-transposed     oneDNN helpers, the tutorial's stride-2 transposed convolutions
#   dl4j-before         DL4J's own im2col path (helpers off) with the transposed generator: before issue 28
# then the trainer at other batch sizes, one thread.
# Usage: bench/dcgan.sh [data dir, default ../shared/data] [iterations to time, default 10] [rounds, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data}"
iterations="${2:-10}"
rounds="${3:-2}"
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ)"
dl4j() { # threads batch label [flags...]
  local threads=$1 batch=$2 label=$3
  shift 3
  OMP_NUM_THREADS=$threads java "$@" -cp "$cp" io.github.dl4jserving.training.internal.DcganIterationBenchmark \
    "$data" "$threads" "$iterations" "$batch" ${flags:-} 2>/dev/null | sed -n "/^dcgan/,\$p" | sed "1s/^/$label: /"
}
for round in $(seq 1 "$rounds"); do
  echo "== round $round"
  for threads in 1 2; do
    dl4j "$threads" 64 dl4j
    flags=transposed dl4j "$threads" 64 dl4j-transposed
    flags=transposed dl4j "$threads" 64 dl4j-before -Dorg.eclipse.deeplearning4j.helpers.disable=true
    OMP_NUM_THREADS=$threads /usr/bin/python3 bench/peer/train_dcgan.py "$data" "$threads" "$iterations" 64
  done
done
echo "== batch size, one thread"
for batch in 32 128; do
  dl4j 1 "$batch" dl4j
  OMP_NUM_THREADS=1 /usr/bin/python3 bench/peer/train_dcgan.py "$data" 1 "$iterations" "$batch"
done
