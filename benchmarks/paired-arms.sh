#!/usr/bin/env bash
# What one arm costs against another, in one build: JMH allocation per request of both (JSON), then PairedArms
# (CPU per request, second / first in the same JVM, at 2,000 req/s and at 16 in flight, median and spread of the
# rounds' ratios). nginx (one worker) on CPU 1, the client JVM on CPU 0.
#
#   benchmarks/paired-arms.sh [FIRST] [SECOND] [ROUNDS] [SECONDS]   # default: OURS OURS_BREAKER 15 1 (issue 20)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
FIRST=${1:-OURS}
SECOND=${2:-OURS_BREAKER}
ROUNDS=${3:-15}
SECONDS_PER_RUN=${4:-1}
PORT=${BENCH_PORT:-18082}
OUT="$ROOT/benchmarks/target/paired-arms"
mkdir -p "$OUT"
source "$ROOT/benchmarks/json-nginx.sh"
trap stop_json_nginx EXIT
start_json_nginx "$ROOT" "$PORT"
./mvnw -q -B -Pbenchmarks -DskipTests -pl benchmarks -am package
CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")"
mkdir -p "$OUT/classes"
javac -d "$OUT/classes" -cp "$CP" "$ROOT/benchmarks/pipeline-ab/PairedArms.java"
CP="$OUT/classes:$CP"
JVM=(-Xms1g -Xmx1g -XX:+UseSerialGC -Dbench.url="http://127.0.0.1:$PORT")
echo "== allocation per request (JMH -prof gc, JSON)"
taskset -c 0 java "${JVM[@]}" -cp "$CP" org.openjdk.jmh.Main AllocationBenchmark -prof gc -f 1 -wi 2 -w 1s -i 5 \
	-r 1s -p decode=JSON -p arm="$FIRST,$SECOND" -jvmArgs "${JVM[*]}" > "$OUT/jmh.log"
grep -E "^AllocationBenchmark.request:gc.alloc.rate.norm " "$OUT/jmh.log"
echo "== CPU per request, $SECOND / $FIRST"
taskset -c 0 java "${JVM[@]}" -cp "$CP" io.pepperpy.network.benchmarks.PairedArms "$FIRST" "$SECOND" "$ROUNDS" "$SECONDS_PER_RUN" \
	| tee "$OUT/cpu.log" | grep -E " at "
