# Shared helpers of the bench/ scripts (sourced, not run). Every script:
#   - runs under `timeout` (bench_init re-executes it so) and stops everything it started on exit,
#   - talks to loopback only (require_loopback),
#   - copies the jars it runs into a temp dir first, so a concurrent rebuild cannot change them mid-run,
#   - writes into bench/results/<scenario>-<timestamp>/ and prints a summary at the end.
# shellcheck shell=bash

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
SIM_SCRIPT="$REPO_DIR/replica-service/src/main/python/llmserve_sim.py"
JAVA=${JAVA:-java}
BENCH_PIDS=()

# bench_init SCENARIO MAX_SECONDS "$@": re-runs the script under timeout, then sets up RESULTS and TMP.
bench_init() {
	local scenario=$1 limit=$2
	shift 2
	if [[ -z ${BENCH_UNDER_TIMEOUT:-} ]]; then
		export BENCH_UNDER_TIMEOUT=1
		# SIGTERM at the limit (to this script and its non-daemon children) runs the EXIT trap
		# (cleanup); SIGKILL 30 s later if that hangs.
		exec timeout -k 30 "$limit" "$0" "$@"
	fi
	RESULTS="$BENCH_DIR/results/$scenario-$(date +%Y%m%d-%H%M%S)"
	TMP=$(mktemp -d "/tmp/llmserve-bench-$scenario.XXXXXX")
	mkdir -p "$RESULTS/logs"
	trap bench_cleanup EXIT
	trap 'exit 143' TERM INT
	# Children of the replica and controller exit by themselves if this script dies (even kill -9).
	export LLMSERVE_PARENT_PID=$$
	ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
	echo "bench: $scenario, results in $RESULTS (run time bounded to ${limit}s)"
	machine_info > "$RESULTS/machine.txt"
}

machine_info() {
	echo "date: $(date -Is)"
	echo "cores: $(nproc)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
	free -h | sed -n '1,2p'
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "java: $("$JAVA" -version 2>&1 | head -n1)"
	echo "open files limit: $(ulimit -n)"
	echo "git: $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null) $(git -C "$REPO_DIR" status --porcelain 2>/dev/null | wc -l) uncommitted paths"
}

bench_cleanup() {
	local status=$?
	trap - EXIT TERM INT
	local pid
	[[ -n ${LOADGEN_PID:-} ]] && kill -TERM "$LOADGEN_PID" 2>/dev/null
	for pid in "${BENCH_PIDS[@]}"; do
		kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
	done
	for _ in $(seq 1 50); do
		local alive=0
		for pid in "${BENCH_PIDS[@]}"; do
			kill -0 "$pid" 2>/dev/null && alive=1
		done
		((alive)) || break
		sleep 0.2
	done
	for pid in "${BENCH_PIDS[@]}"; do
		kill -KILL -- "-$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	if [[ -n ${TMP:-} && -d $TMP ]]; then
		cp "$TMP"/*.log "$RESULTS/logs/" 2>/dev/null || true
		# Logs of processes started by others (the controller's gateway, workers and replicas).
		[[ -d $TMP/controller-data/logs ]] && cp -r "$TMP/controller-data/logs" "$RESULTS/logs/controller-data"
		rm -rf "$TMP"
	fi
	[[ -n ${RESULTS:-} ]] && echo "bench: results in $RESULTS"
	exit "$status"
}

# start_bg NAME COMMAND...: runs COMMAND in its own process group with output to $TMP/NAME.log;
# sets LAST_PID. bench_cleanup stops the whole group.
start_bg() {
	local name=$1
	shift
	setsid "$@" >"$TMP/$name.log" 2>&1 &
	LAST_PID=$!
	BENCH_PIDS+=("$LAST_PID")
}

# start_replica NAME GRPC_PORT HTTP_PORT [JVM_OPTION...] -- [ARG...]: a replica-service of deployment
# tinyllama from $TMP/replica-service.jar (ARGs add engine settings; each setting once: Spring joins a
# repeated one with commas); sets LAST_PID.
start_replica() {
	local name=$1 grpc=$2 http=$3 jvm=()
	shift 3
	while (($#)) && [[ $1 != -- ]]; do
		jvm+=("$1")
		shift
	done
	(($#)) && shift
	start_bg "$name" "$JAVA" "${jvm[@]}" -jar "$TMP/replica-service.jar" --spring.grpc.server.port="$grpc" \
		--server.port="$http" --server.address=127.0.0.1 --llmserve.replica.deployment=tinyllama "$@"
}

# start_gateway PORT ROUTES [JVM_OPTION...] -- [ARG...]: a gateway on 127.0.0.1:PORT with static routes
# for tinyllama (ROUTES: host:port,host:port), from $TMP/gateway-service.jar; sets LAST_PID.
start_gateway() {
	local port=$1 routes=$2 jvm=()
	shift 2
	while (($#)) && [[ $1 != -- ]]; do
		jvm+=("$1")
		shift
	done
	(($#)) && shift
	start_bg gateway "$JAVA" "${jvm[@]}" -jar "$TMP/gateway-service.jar" --server.port="$port" \
		--server.address=127.0.0.1 --llmserve.gateway.routing.static.tinyllama="$routes" "$@"
}

# heap_mib PID: "used committed" heap of a JVM in MiB (from jstat), "-1 -1" when it does not answer.
heap_mib() {
	{ jstat -gc "$1" 2>/dev/null || true; } \
		| awk 'NR==2 {printf "%.0f %.0f", ($3+$4+$6+$8)/1024, ($1+$2+$5+$7)/1024; done = 1} END {if (!done) print "-1 -1"}'
}

# stop_bg PID: stops one process group started by start_bg, and waits for it.
stop_bg() {
	local pid=$1
	kill -TERM -- "-$pid" 2>/dev/null || true
	for _ in $(seq 1 75); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	kill -KILL -- "-$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# require_loopback URL...: refuses to benchmark anything that is not on this machine's loopback.
require_loopback() {
	local url host
	for url in "$@"; do
		host=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).hostname or "")' "$url")
		if [[ ! $host =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+$ && $host != localhost && $host != ::1 ]]; then
			echo "bench: refusing non-loopback target $url" >&2
			exit 2
		fi
	done
}

# wait_http URL SECONDS: waits for a 2xx answer.
wait_http() {
	local url=$1 seconds=$2
	for _ in $(seq 1 $((seconds * 4))); do
		curl -fs -o /dev/null --max-time 2 "$url" && return 0
		sleep 0.25
	done
	echo "bench: $url not ready after ${seconds}s" >&2
	return 1
}

# copy_jars NAME...: copies <name>/target/<name>.jar into $TMP (a concurrent rebuild cannot touch it).
copy_jars() {
	local name
	for name in "$@"; do
		local jar="$REPO_DIR/$name/target/$name.jar"
		if [[ ! -f $jar ]]; then
			echo "bench: missing $jar; build it: ./mvnw -q -pl $name -am package -DskipTests" >&2
			exit 2
		fi
		cp "$jar" "$TMP/$name.jar"
	done
}

# loadgen ARGS...: runs the load generator (bounded by its own duration + drain, and by timeout).
# In the background plus wait, so that a signal to the script is handled at once.
loadgen() {
	timeout -k 10 1200 "$JAVA" -XX:+UseParallelGC -jar "$TMP/loadgen.jar" "$@" &
	LOADGEN_PID=$!
	local status=0
	wait "$LOADGEN_PID" || status=$?
	LOADGEN_PID=
	return "$status"
}

# cpu_seconds PID...: user+system CPU seconds of processes (0 for one that is gone).
cpu_seconds() {
	local total=0 pid ticks hz
	hz=$(getconf CLK_TCK)
	for pid in "$@"; do
		ticks=$(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$pid/stat" 2>/dev/null || echo 0)
		total=$((total + ${ticks:-0}))
	done
	python3 -c "print(f'{$total / $hz:.2f}')"
}

# group_pids PGID: every process of a process group.
group_pids() {
	ps -o pid= -g "$1" 2>/dev/null | tr -s ' \n' ' '
}

# rss_mib PID: resident memory in MiB.
rss_mib() {
	awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo 0
}

# start_sim NAME PORT ARGS...: a simulator engine as its own process; waits until it serves.
start_sim() {
	local name=$1 port=$2
	shift 2
	start_bg "$name" python3 "$SIM_SCRIPT" --host 127.0.0.1 --port "$port" --model tinyllama "$@"
	wait_http "http://127.0.0.1:$port/health" 30
}

# machine_busy_seconds: CPU seconds all cores have spent busy since boot (user, nice, system, irq,
# softirq, steal), to tell how much of a run's CPU went to processes outside the benchmark.
machine_busy_seconds() {
	awk -v hz="$(getconf CLK_TCK)" '/^cpu / {printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz}' /proc/stat
}
