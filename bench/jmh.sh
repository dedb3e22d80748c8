#!/usr/bin/env bash
# JMH benchmarks of the in-process forward pass (the ceiling for the HTTP numbers) and of batching
# with BatchQueue against DL4J's ParallelInference. Extra arguments go to JMH, e.g.
#   bench/jmh.sh ForwardPassBenchmark.forwardPass -p batch=32
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.openjdk.jmh.Main \
    "${@:-ForwardPassBenchmark}"
