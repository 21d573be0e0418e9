#!/usr/bin/env bash
# Stream capacity of one gateway: how many concurrent open streams it holds, with its heap and RSS,
# in steps up to 10,000. Slow streams (a token every 5 s, long max_tokens) keep every stream open;
# several replicas, each with its own simulator, share them. Each step adds a load generator
# process holding the extra streams, waits for the gateway to report them open, then records heap
# (used, live after a full GC, committed) and RSS.
#
#   bench/capacity.sh
#
# Environment: STEPS ("1000 2500 5000 10000"), REPLICAS (4), ITL_MS (5000: on 2 cores, 10,000 streams
# at 1 token/s already cost the four simulators ~1.4 cores), GATEWAY_HEAP (1g: the target is "under
# 1 GiB of heap", so the gateway runs with -Xmx1g), SPAWN_RATE (100 streams/s),
# SETTLE (10 s at each step before measuring), HOLD (20 s at the top), JAVA (java).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init capacity 900 "$@"

STEPS=${STEPS:-"1000 2500 5000 10000"}
REPLICAS=${REPLICAS:-4}
ITL_MS=${ITL_MS:-5000}
GATEWAY_HEAP=${GATEWAY_HEAP:-1g}
SPAWN_RATE=${SPAWN_RATE:-100}
SETTLE=${SETTLE:-10}
HOLD=${HOLD:-20}
TOP=$(echo "$STEPS" | tr ' ' '\n' | sort -n | tail -n1)
PER_REPLICA=$(((TOP + REPLICAS - 1) / REPLICAS + 500))

copy_jars loadgen gateway-service replica-service

# Each simulator holds its share of the streams: no queueing (max-num-seqs), KV room for all of
# them (num-gpu-blocks), one token per ITL_MS.
ENGINE_ARGS="--fixed-ttft-ms,100,--fixed-itl-ms,$ITL_MS,--max-num-seqs,$PER_REPLICA,--num-gpu-blocks,400000"
ENGINE_ARGS+=",--max-num-batched-tokens,262144"
routes=()
replica_pids=()
for i in $(seq 1 "$REPLICAS"); do
	grpc=$(free_port)
	start_replica "replica$i" "$grpc" "$(free_port)" -- --llmserve.replica.engine.profile=instant \
		--llmserve.replica.engine.args="$ENGINE_ARGS" \
		--llmserve.replica.bridge.max-connections="$PER_REPLICA" \
		--llmserve.replica.bridge.max-pending-acquires="$PER_REPLICA"
	replica_pids+=("$LAST_PID")
	routes+=("127.0.0.1:$grpc")
done
GATEWAY_PORT=$(free_port)
GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT"
require_loopback "$GATEWAY_URL"
start_gateway "$GATEWAY_PORT" "$(IFS=,; echo "${routes[*]}")" "-Xmx$GATEWAY_HEAP" -XX:+ExitOnOutOfMemoryError -- \
	--llmserve.gateway.admission.max-concurrent-per-replica="$PER_REPLICA"
GATEWAY_PID=$LAST_PID
wait_http "$GATEWAY_URL/actuator/health/readiness" 240
# Every replica up (readiness only needs one).
for _ in $(seq 1 240); do
	up=$(grep -l "Engine ready" "$TMP"/replica*.log 2>/dev/null | wc -l)
	((up == REPLICAS)) && break
	sleep 0.5
done
echo "bench: gateway $GATEWAY_URL with $REPLICAS replicas up ($PER_REPLICA streams each at most)"

# The samplers never fail the script (set -e): a gateway too busy to answer reads as 0 / -1.
open_streams() {
	{ curl -fs --max-time 5 "$GATEWAY_URL/actuator/prometheus" 2>/dev/null || true; } \
		| awk '/^llmserve_gateway_streams_active/ {sum += $2; seen = 1} END {printf "%d", seen ? sum : -1}'
}
# heap used and committed (MiB) from jstat -gc
client_in_flight() {
	local total=0 f n
	for f in "$TMP"/load-*.log; do
		n=$(grep -o 'in flight *[0-9]*' "$f" 2>/dev/null | tail -n1 | grep -o '[0-9]*$' || echo 0)
		total=$((total + ${n:-0}))
	done
	echo "$total"
}

# Each step's load generator holds its streams until the end, when all are stopped with SIGTERM:
# they cancel their streams and still write their reports.
declare -a STEP_LIST=($STEPS)
load_pids=()
echo "step,gateway_streams,client_in_flight,heap_used_mib,heap_live_mib,heap_committed_mib,rss_mib,gateway_cpu_pct,load_avg" \
	>"$RESULTS/steps.csv"
echo "time_s,gateway_streams,heap_used_mib,heap_committed_mib,rss_mib,gateway_cpu_s" >"$RESULTS/samples.csv"
T0=$(date +%s)
previous=0
bind=2
for step in "${STEP_LIST[@]}"; do
	users=$((step - previous))
	echo "bench: step $step: adding $users streams (load average $(cut -d' ' -f1 /proc/loadavg))"
	start_bg "load-$step" "$JAVA" -XX:+UseParallelGC -jar "$TMP/loadgen.jar" --url "$GATEWAY_URL" --model tinyllama \
		--users "$users" --spawn-rate "$SPAWN_RATE" --duration 30m --drain 0s --input-tokens 16 \
		--max-tokens 1500 --ignore-eos --idle-timeout 60s --timeout 30m --bind-addresses "127.0.0.$bind" \
		--label "capacity step $step" --out "$RESULTS/load-$step"
	load_pids+=("$LAST_PID")
	bind=$((bind + 1))
	deadline=$(($(date +%s) + users / SPAWN_RATE + 90))
	while (($(date +%s) < deadline)); do
		streams=$(open_streams)
		read -r used committed <<<"$(heap_mib "$GATEWAY_PID")"
		echo "$(($(date +%s) - T0)),$streams,$used,$committed,$(rss_mib "$GATEWAY_PID"),$(cpu_seconds "$GATEWAY_PID")" \
			>>"$RESULTS/samples.csv"
		((${streams:-0} >= step)) && break
		sleep 1
	done
	sleep "$SETTLE"
	cpu0=$(cpu_seconds "$GATEWAY_PID")
	sleep 5
	cpu_pct=$(python3 -c "print(f'{($(cpu_seconds "$GATEWAY_PID") - $cpu0) / 5 * 100:.0f}')")
	streams=$(open_streams)
	read -r used committed <<<"$(heap_mib "$GATEWAY_PID")"
	rss=$(rss_mib "$GATEWAY_PID")
	jcmd "$GATEWAY_PID" GC.run >/dev/null 2>&1 || true
	sleep 1
	read -r live _ <<<"$(heap_mib "$GATEWAY_PID")"
	echo "$step,$streams,$(client_in_flight),$used,$live,$committed,$rss,$cpu_pct,$(cut -d' ' -f1 /proc/loadavg)" \
		>>"$RESULTS/steps.csv"
	echo "bench: step $step: $streams streams open at the gateway, heap used $used MiB (live $live), RSS $rss MiB"
	jcmd "$GATEWAY_PID" GC.heap_info >"$RESULTS/heap-info-$step.txt" 2>&1 || true
	previous=$step
done
sleep "$HOLD"
for pid in "${replica_pids[@]}"; do
	echo "replica $pid: rss $(rss_mib "$pid") MiB, cpu $(cpu_seconds "$pid") s" >>"$RESULTS/replicas.txt"
done
echo "bench: stopping the load generators (they write their reports)"
for pid in "${load_pids[@]}"; do
	kill -TERM "$pid" 2>/dev/null || true
done
for pid in "${load_pids[@]}"; do
	for _ in $(seq 1 60); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
done
cp "$TMP"/load-*.log "$RESULTS/" 2>/dev/null || true

python3 "$BENCH_DIR/tables.py" capacity "$RESULTS" | tee "$RESULTS/summary.md"
