#!/usr/bin/env bash
# Runs the whole benchmark (parts a-i of benchmarks/README.md), under 15 minutes, and writes
# benchmarks/results/results.md and its charts. QUICK=1 runs every part for seconds only (a smoke test whose
# figures mean nothing) and writes to benchmarks/target/quick-results instead.
#
#   benchmarks/run.sh            # full run, on a quiet 2-core machine
#   QUICK=1 benchmarks/run.sh    # smoke run
#
# nginx (one worker) is pinned to CPU ${SERVER_CPU:-1}, every client JVM to CPU ${CLIENT_CPU:-0}.
set -euo pipefail
# Every part runs under `timeout`, so a stuck part ends the run instead of leaving it running.
cd "$(dirname "$0")/.."
ROOT=$(pwd)
QUICK=${QUICK:-0}
PORT=${BENCH_PORT:-18080}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
URL="http://127.0.0.1:${PORT}"
COMMAND="benchmarks/run.sh"
if [[ "$QUICK" == "1" ]]; then
	RESULTS="$ROOT/benchmarks/target/quick-results"
	COMMAND="QUICK=1 benchmarks/run.sh"
else
	RESULTS="$ROOT/benchmarks/results"
fi
# BENCH_RESULTS: write somewhere else (a trial run that must not replace the published results).
RESULTS=${BENCH_RESULTS:-$RESULTS}
STARTED=$(date +%s)
say() { echo "[$(($(date +%s) - STARTED)) s] $*"; }

# --- Debian packages -------------------------------------------------------------------------------------------
missing=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
command -v taskset >/dev/null || missing+=(util-linux)
if ((${#missing[@]})); then
	say "installing ${missing[*]}"
	SUDO=""
	[[ $(id -u) -eq 0 ]] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# --- nginx: /json (1 KB JSON), /bytes (64 KiB), /warm (64 MiB) and /big (1 GiB), one worker on SERVER_CPU -------------
NGX=$(mktemp -d /tmp/pepperpy-bench-nginx.XXXXXX)
chmod 755 "$NGX"
# Part (h) stops nginx's worker (SIGSTOP) for a moment; this lets it go on, whatever happened.
resume_nginx() {
	[[ -f "$NGX/nginx.pid" ]] || return 0
	local master status
	master=$(cat "$NGX/nginx.pid")
	for status in /proc/[0-9]*/status; do
		if grep -qx "PPid:[[:space:]]*$master" "$status" 2>/dev/null; then
			kill -CONT "$(basename "$(dirname "$status")")" 2>/dev/null || true
		fi
	done
}
stop_nginx() {
	if [[ -f "$NGX/nginx.pid" ]]; then
		resume_nginx
		kill "$(cat "$NGX/nginx.pid")" 2>/dev/null || true
		sleep 0.5
	fi
	rm -rf "$NGX"
}
trap stop_nginx EXIT
mkdir -p "$NGX/html" "$NGX/logs"
cp "$ROOT/benchmarks/payload/user.json" "$NGX/html/json.json"
head -c 65536 /dev/zero | tr '\0' 'x' > "$NGX/html/bytes.bin"
# sparse files of zeros for part (h): nothing is written to disk, nginx reads the holes as zero pages
truncate -s 1G "$NGX/html/big.bin"
truncate -s 64M "$NGX/html/warm.bin"
chmod -R a+rX "$NGX/html"
cat > "$NGX/nginx.conf" <<CONF
worker_processes 1;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	tcp_nodelay on;
	keepalive_requests 100000000;
	keepalive_timeout 120s;
	open_file_cache max=16;
	server {
		listen 127.0.0.1:$PORT reuseport backlog=4096;
		root $NGX/html;
		location = /json { default_type application/json; try_files /json.json =404; }
		location = /bytes { default_type application/octet-stream; try_files /bytes.bin =404; }
		location = /big { default_type application/octet-stream; try_files /big.bin =404; }
		location = /warm { default_type application/octet-stream; try_files /warm.bin =404; }
	}
}
CONF
taskset -c "$SERVER_CPU" "$NGINX" -p "$NGX" -c "$NGX/nginx.conf"
wait_for_port() {
	for _ in $(seq 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
		sleep 0.1
	done
	return 1
}
wait_for_port "$PORT" || { say "nginx does not listen on port $PORT: see $NGX/logs/error.log"; exit 1; }
say "nginx serving $URL/json ($(stat -c %s "$NGX/html/json.json") bytes), $URL/bytes, $URL/warm and $URL/big on CPU $SERVER_CPU"

# --- build -----------------------------------------------------------------------------------------------------
say "building"
./mvnw -q -B -Pbenchmarks -DskipTests -pl benchmarks -am package
# Part (f)'s baseline app: the starter's third-party libraries without our jars; and, for information, bare Boot.
./mvnw -q -B -f benchmarks/startup-baseline/pom.xml dependency:build-classpath \
	-Dmdep.outputFile="$ROOT/benchmarks/target/baseline-classpath.txt" >/dev/null
./mvnw -q -B -f benchmarks/startup-bare/pom.xml dependency:build-classpath \
	-Dmdep.outputFile="$ROOT/benchmarks/target/bare-classpath.txt" >/dev/null
CP="$ROOT/benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
JVM=(-Xms1g -Xmx1g -XX:+UseSerialGC -Dbench.url="$URL" -Dbench.quick="$([[ $QUICK == 1 ]] && echo true || echo false)"
	-Dbench.raw="$RESULTS/raw/measurements.tsv")

rm -rf "$RESULTS/raw"
mkdir -p "$RESULTS/raw"
{
	echo "$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB"
	echo "$(java -version 2>&1 | head -1), $("$NGINX" -v 2>&1 | sed 's/.*: //')"
	echo "pinning: nginx 1 worker on CPU $SERVER_CPU, client JVM on CPU $CLIENT_CPU (taskset), JVM ${JVM[*]:0:3}"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)$([[ $QUICK == 1 ]] && echo ', QUICK smoke run: figures are not meaningful')"
} > "$RESULTS/raw/machine.txt"
cat "$RESULTS/raw/machine.txt"

# --- (a) allocation per request: JMH -prof gc --------------------------------------------------------------------
say "(a) allocation per request (JMH)"
if [[ "$QUICK" == "1" ]]; then
	JMH=(-wi 1 -w 300ms -i 1 -r 500ms -p decode=JSON)
else
	# one warm-up iteration: gc.alloc.rate.norm settles within it, and a second cost 21 s of the 15 minutes
	JMH=(-wi 1 -w 1s -i 2 -r 1s)
fi
timeout 420 taskset -c "$CLIENT_CPU" java "${JVM[@]}" -cp "$CP" org.openjdk.jmh.Main AllocationBenchmark -prof gc -f 1 "${JMH[@]}" \
	-jvmArgs "-Xms1g -Xmx1g -XX:+UseSerialGC -Dbench.url=$URL" -rf json -rff "$RESULTS/raw/jmh.json" > "$RESULTS/raw/jmh.log"
grep -E "^AllocationBenchmark.request(:gc.alloc.rate.norm)? " "$RESULTS/raw/jmh.log" || tail -20 "$RESULTS/raw/jmh.log"

# --- (b) open-loop CPU, (c) closed-loop throughput, (g) overload ---------------------------------------------------
say "(b) open-loop CPU per request, (c) closed-loop throughput, (g) overload"
timeout 600 taskset -c "$CLIENT_CPU" java "${JVM[@]}" -cp "$CP" io.pepperpy.network.benchmarks.LoadBenchmarks | tee "$RESULTS/raw/load.log"

# --- (d) rate limiter, (e) retry delay: a recording server JVM on SERVER_CPU (nginx idles), client on both CPUs ---
say "(d) rate-limiter accuracy, (e) retry-delay accuracy"
# against_server PART LOG HEAP CLASS PORT CLIENT_CPUS SECONDS [JAVA_OPTION...]: CLASS's server in a JVM of its own
# on SERVER_CPU (CLASS server PORT), then CLASS's client (CLASS PORT) on CLIENT_CPUS, both JVMs with the extra
# options; the server is stopped whatever happens.
against_server() {
	local part=$1 log=$2 heap=$3 class=$4 port=$5 cpus=$6 seconds=$7 server status
	local extra=("${@:8}")
	taskset -c "$SERVER_CPU" java "${extra[@]}" "-Xms$heap" "-Xmx$heap" -cp "$CP" "$class" server "$port" \
		> "$RESULTS/raw/$log-server.log" 2>&1 &
	server=$!
	wait_for_port "$port" || { kill "$server"; say "$part: the server does not listen on port $port"; exit 1; }
	timeout "$seconds" taskset -c "$cpus" java "${JVM[@]}" "${extra[@]}" -cp "$CP" "$class" "$port" \
		| tee "$RESULTS/raw/$log.log" && status=0 || status=$?
	kill "$server" 2>/dev/null || true
	((status == 0)) || { say "$part failed with status $status"; exit "$status"; }
}
against_server "(d)(e)" resilience 512m io.pepperpy.network.benchmarks.ResilienceBenchmarks $((PORT + 2)) \
	"$CLIENT_CPU,$SERVER_CPU" 240

# --- (f) start-up without and with the starter (and bare Boot, for information) -------------------------------
# nginx idles meanwhile, so each pair of launches runs at once, one app per CPU, the CPUs swapped every round.
say "(f) start-up"
timeout 420 taskset -c "$CLIENT_CPU" java "${JVM[@]}" -Dbench.startupCpus="$CLIENT_CPU,$SERVER_CPU" -cp "$CP" \
	io.pepperpy.network.benchmarks.StartupBenchmark \
	"$ROOT/benchmarks/target/classes:$(cat benchmarks/target/baseline-classpath.txt)" \
	"$ROOT/benchmarks/target/classes:$(cat benchmarks/target/starter-classpath.txt)" \
	"$ROOT/benchmarks/target/classes:$(cat benchmarks/target/bare-classpath.txt)" | tee "$RESULTS/raw/startup.log"

# --- (h) large bodies and many in flight: a child JVM per measurement (-Xmx64m for the downloads) ----------------
say "(h) 1 GiB download at -Xmx64m, 10,000 requests in flight"
# The downloads go to tmpfs when it has room, so the figures are the client's and not the shared disk's.
DOWNLOAD_DIR=${TMPDIR:-/tmp}
if [[ -d /dev/shm && -w /dev/shm ]] && (($(df -Pk /dev/shm | awk 'NR==2{print $4}') > 3 * 1024 * 1024)); then
	DOWNLOAD_DIR=/dev/shm
fi
# bench.serverPid: the in-flight part stops nginx's worker (SIGSTOP) while it fires, so every request is in
# flight at once, then resumes it (SIGCONT after every child, and resume_nginx here and on exit).
timeout 600 taskset -c "$CLIENT_CPU" java "${JVM[@]}" -Dbench.downloadDir="$DOWNLOAD_DIR" \
	-Dbench.serverPid="$(cat "$NGX/nginx.pid")" -cp "$CP" io.pepperpy.network.benchmarks.StreamingBenchmarks \
	| tee "$RESULTS/raw/streaming.log"
resume_nginx

# --- (i) TCP exchanges: echo server JVM on SERVER_CPU (nginx idles), client JVM on CLIENT_CPU --------------------
say "(i) TCP exchanges, TcpClient vs plain Reactor Netty"
# One Reactor Netty I/O thread per JVM, as suits a process pinned to one CPU (Reactor Netty's default is four):
# with four loops taking turns on one CPU both arms lost about 40 % to thread switches and the rounds spread twice
# as wide.
against_server "(i)" tcp 256m io.pepperpy.network.benchmarks.TcpBenchmarks $((PORT + 1)) "$CLIENT_CPU" 180 \
	-Dreactor.netty.ioWorkerCount=1

# --- report and charts -----------------------------------------------------------------------------------------
say "report"
java -cp "$CP" io.pepperpy.network.benchmarks.Report "$RESULTS" "$COMMAND" > /dev/null
columns() { if [[ -f "$1" ]]; then head -1 "$1" | wc -w; else echo 1; fi; }
gnuplot -e "dir='$RESULTS'; cpu_n=$(columns "$RESULTS/raw/cpu.dat"); alloc_n=$(columns "$RESULTS/raw/alloc.dat"); tp_n=$(columns "$RESULTS/raw/throughput.dat")" \
	benchmarks/charts.gp
say "done: $RESULTS/results.md, $(cd "$RESULTS" && ls ./*.png | tr '\n' ' ')"
