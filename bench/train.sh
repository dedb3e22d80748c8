#!/usr/bin/env bash
# One epoch of the mnist-mlp training loop (batch 128, Adam), DL4J (MlpEpochBenchmark, the job's
# own network and batches) beside PyTorch (bench/peer/train_mlp.py), at 1 and 2 threads, run one
# after the other on the same machine; prints the epochs and the ratios. Both get OMP_NUM_THREADS:
# Debian's PyTorch multiplies matrices in OpenBLAS, whose threads torch.set_num_threads does not
# limit, so without it "one thread" of PyTorch ran its matrix products on every core.
# Five epochs by default: from the fourth on, weights and moments that L2 drives to zero turned
# subnormal and slowed both (docs/performance.md).
# Usage: bench/train.sh [data dir, default ../shared/data] [epochs to time, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data}"
epochs="${2:-5}"
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%FT%TZ)"
out=$(mktemp)
for threads in 1 2; do
  OMP_NUM_THREADS=$threads java -cp "$cp" io.github.dl4jserving.training.internal.MlpEpochBenchmark "$data" "$threads" "$epochs" 2>/dev/null \
    | grep '^dl4j' | tee -a "$out"
  OMP_NUM_THREADS=$threads /usr/bin/python3 bench/peer/train_mlp.py "$data" "$threads" "$epochs" | tee -a "$out"
done
# The mean and the best epoch of each, and ours over PyTorch's.
awk '{split($2, t, "="); key = $1 " " t[2]; s = $5 + 0; sum[key] += s; n[key]++
    if (!(key in best) || s < best[key]) best[key] = s}
  END {for (th = 1; th <= 2; th++) {d = "dl4j " th; p = "torch " th
    printf "threads=%d: mean dl4j %.2f s, torch %.2f s per epoch: %.2fx; best %.2f s, %.2f s: %.2fx (target <= 1.5x)\n",
      th, sum[d] / n[d], sum[p] / n[p], (sum[d] / n[d]) / (sum[p] / n[p]), best[d], best[p], best[d] / best[p]}}' "$out"
rm -f "$out"
