#!/usr/bin/env bash
# What a change of the request pipeline costs: the same paired measurement on a baseline build and on this
# checkout, in one run. For each build: JMH allocation per request (ours and plain WebClient, JSON) and
# PairedArms (CPU per request, ours / plain WebClient in the same JVM, at 2,000 req/s and at 16 in flight,
# median and spread of the rounds' ratios). nginx (one worker) on CPU 1, each client JVM on CPU 0.
#
#   benchmarks/pipeline-ab.sh [BASE_REF] [ROUNDS]     # default: BASE_REF=52428a3 (before issue 17), ROUNDS=9
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BASE=${1:-52428a3}
ROUNDS=${2:-9}
PORT=${BENCH_PORT:-18081}
URL="http://127.0.0.1:$PORT"
OUT="$ROOT/benchmarks/target/pipeline-ab"
mkdir -p "$OUT"
source "$ROOT/benchmarks/json-nginx.sh"
trap 'stop_json_nginx; git worktree remove --force "$OUT/base" 2>/dev/null || true' EXIT
start_json_nginx "$ROOT" "$PORT"

build() { # $1: source tree, $2: name
	(cd "$1" && ./mvnw -q -B -Pbenchmarks -DskipTests -pl benchmarks -am package)
	local cp="$1/benchmarks/target/classes:$(cat "$1/benchmarks/target/classpath.txt")"
	mkdir -p "$OUT/$2-classes"
	javac -q -d "$OUT/$2-classes" -cp "$cp" "$ROOT/benchmarks/pipeline-ab/PairedArms.java" 2>/dev/null \
		|| javac -d "$OUT/$2-classes" -cp "$cp" "$ROOT/benchmarks/pipeline-ab/PairedArms.java"
	echo "$OUT/$2-classes:$cp" > "$OUT/$2.cp"
}
rm -rf "$OUT/base"
git worktree add -q --detach "$OUT/base" "$BASE"
build "$OUT/base" base
build "$ROOT" head
JVM=(-Xms1g -Xmx1g -XX:+UseSerialGC -Dbench.url="$URL")
for name in base head; do
	echo "== $name: allocation per request (JMH -prof gc, JSON)"
	taskset -c 0 java "${JVM[@]}" -cp "$(cat "$OUT/$name.cp")" org.openjdk.jmh.Main AllocationBenchmark -prof gc -f 1 \
		-wi 2 -w 1s -i 5 -r 1s -p decode=JSON -p arm=WEBCLIENT,OURS -jvmArgs "${JVM[*]}" > "$OUT/$name-jmh.log"
	grep -E "^AllocationBenchmark.request:gc.alloc.rate.norm " "$OUT/$name-jmh.log"
done
for name in base head; do
	echo "== $name: CPU per request, ours / plain WebClient"
	taskset -c 0 java "${JVM[@]}" -cp "$(cat "$OUT/$name.cp")" io.pepperpy.network.benchmarks.PairedArms WEBCLIENT OURS "$ROUNDS" 1 \
		| tee "$OUT/$name-cpu.log" | grep -E " at "
done
