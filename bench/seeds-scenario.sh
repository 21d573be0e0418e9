#!/usr/bin/env bash
# The seeds' scenario, scaled to this box: up to 1,000 users ramping up against a local cluster of
# 4 simulator replicas (tinyllama-a10g profile), prompts of 300-500 tokens, up to 500 output tokens.
# Then the same load straight at 4 bare engines with a perfect client-side least-loaded assignment
# (loadgen --targets) as the ideal, and our ratio to it.
#
#   bench/seeds-scenario.sh
#
# Environment: CLUSTER (controller: the controller starts gateway, workers and replicas;
# static: this script starts 4 replicas and a gateway itself, as bin/run-local does),
# USERS (1000), RAMP (60 s to reach USERS), DURATION (120s, ramp included), DRAIN (30s),
# WARMUP (30s of 100 users before each measured run, so that JIT compilation and connection setup
# are not measured; 0s to skip), INPUT_TOKENS (300:500), MAX_TOKENS (500), JAVA (java).
# Finishes within 10 minutes.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init seeds 600 "$@"

CLUSTER=${CLUSTER:-controller}
USERS=${USERS:-1000}
RAMP=${RAMP:-60}
DURATION=${DURATION:-120s}
WARMUP=${WARMUP:-30s}
DRAIN=${DRAIN:-30s}
INPUT_TOKENS=${INPUT_TOKENS:-300:500}
MAX_TOKENS=${MAX_TOKENS:-500}
REPLICAS=4
SPAWN_RATE=$(python3 -c "print($USERS / $RAMP)")
LOAD=(--model tinyllama --users "$USERS" --spawn-rate "$SPAWN_RATE" --duration "$DURATION" --drain "$DRAIN"
	--input-tokens "$INPUT_TOKENS" --max-tokens "$MAX_TOKENS")

start_controller_cluster() {
	copy_jars loadgen
	local jar="$REPO_DIR/controller-service/target/controller-service.jar"
	if [[ ! -f $jar ]]; then
		echo "bench: missing $jar (build the controller, or run with CLUSTER=static)" >&2
		exit 2
	fi
	local admin grpc
	admin=$(free_port)
	grpc=$(free_port)
	GATEWAY_PORT=$(free_port)
	ADMIN_URL="http://127.0.0.1:$admin"
	# Run from the repository: the controller finds the gateway, worker and replica jars there.
	cd "$REPO_DIR"
	start_bg controller "$JAVA" -jar "$jar" --server.port="$admin" --server.address=127.0.0.1 \
		--spring.grpc.server.port="$grpc" --llmserve.controller.data-dir="$TMP/controller-data" \
		--llmserve.controller.seed-deployments=false --llmserve.controller.local.gateway.port="$GATEWAY_PORT" \
		--llmserve.controller.local.workers.count=2 --llmserve.controller.local.workers.base-port=0
	cd - >/dev/null
	wait_http "$ADMIN_URL/actuator/health/readiness" 180
	curl -fsS -X POST "$ADMIN_URL/api/v1/deployments" -H 'Content-Type: application/json' -d '{
		"name": "tinyllama", "model": "tinyllama",
		"engine": {"kind": "sim", "profile": "tinyllama-a10g", "args": []},
		"gpusPerReplica": 1, "replicas": 4, "maxConcurrentPerReplica": 256}' >"$RESULTS/deployment.json"
	echo
	for _ in $(seq 1 720); do
		ready=$(curl -fs "$ADMIN_URL/api/v1/deployments/tinyllama" 2>/dev/null | python3 -c '
import json, sys
replicas = json.load(sys.stdin).get("replicas", [])
print(sum(1 for r in replicas if str(r.get("state", "")).endswith("READY")))' 2>/dev/null || echo 0)
		((ready >= REPLICAS)) && break
		sleep 0.25
	done
	((ready >= REPLICAS)) || {
		echo "bench: only $ready of $REPLICAS replicas READY after 180 s" >&2
		exit 1
	}
	curl -fs "$ADMIN_URL/api/v1/deployments/tinyllama" >"$RESULTS/deployment-ready.json" || true
	wait_http "http://127.0.0.1:$GATEWAY_PORT/actuator/health/readiness" 60
}

start_static_cluster() {
	copy_jars loadgen gateway-service replica-service
	local routes=() i grpc
	for i in $(seq 1 "$REPLICAS"); do
		grpc=$(free_port)
		start_replica "replica$i" "$grpc" "$(free_port)" -- --llmserve.replica.engine.profile=tinyllama-a10g
		routes+=("127.0.0.1:$grpc")
	done
	GATEWAY_PORT=$(free_port)
	start_gateway "$GATEWAY_PORT" "$(IFS=,; echo "${routes[*]}")"
	wait_http "http://127.0.0.1:$GATEWAY_PORT/actuator/health/readiness" 240
	for _ in $(seq 1 480); do
		(($(grep -l "Engine ready" "$TMP"/replica*.log 2>/dev/null | wc -l) == REPLICAS)) && break
		sleep 0.25
	done
	sleep 2 # one load poll, so the gateway sees every replica healthy
}

# warm_up NAME TARGET-FLAGS...: an unmeasured run, so that JIT compilation and connection setup are done.
warm_up() {
	local name=$1
	shift
	[[ $WARMUP == 0s || $WARMUP == 0 ]] && return 0
	echo "bench: warm-up, $WARMUP at 100 users (not measured)"
	loadgen "$@" --model tinyllama --users 100 --spawn-rate 50 --duration "$WARMUP" --drain 5s \
		--input-tokens "$INPUT_TOKENS" --max-tokens "$MAX_TOKENS" --quiet --out "$RESULTS/warmup-$name" \
		>"$RESULTS/warmup-$name.txt" 2>&1 || true
}

stop_cluster() {
	local pid
	for pid in "${BENCH_PIDS[@]}"; do
		stop_bg "$pid"
	done
	BENCH_PIDS=()
}

echo "bench: starting the $CLUSTER cluster (4 replicas, tinyllama-a10g)"
case $CLUSTER in
controller) start_controller_cluster ;;
static) start_static_cluster ;;
*) echo "bench: CLUSTER=$CLUSTER (expected: controller or static)" >&2; exit 2 ;;
esac
GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT"
require_loopback "$GATEWAY_URL"
warm_up cluster --url "$GATEWAY_URL"
echo "bench: llmserve run: $USERS users over ${RAMP}s at $GATEWAY_URL (load average $(cut -d' ' -f1 /proc/loadavg))"
loadgen --url "$GATEWAY_URL" "${LOAD[@]}" --label "llmserve ($CLUSTER cluster)" --out "$RESULTS/cluster" \
	| tee "$RESULTS/cluster.txt" | grep -E '^\[ *[0-9]*[05]s\]|^loadgen' || true
stop_cluster

echo "bench: ideal run: 4 bare engines, client-side least-loaded assignment"
targets=()
for i in $(seq 1 "$REPLICAS"); do
	port=$(free_port)
	start_sim "engine$i" "$port" --profile tinyllama-a10g
	targets+=("http://127.0.0.1:$port")
done
require_loopback "${targets[@]}"
warm_up ideal --targets "$(IFS=,; echo "${targets[*]}")"
echo "bench: ideal run: $USERS users over ${RAMP}s (load average $(cut -d' ' -f1 /proc/loadavg))"
loadgen --targets "$(IFS=,; echo "${targets[*]}")" "${LOAD[@]}" --label "ideal (4 engines, least-loaded client)" \
	--out "$RESULTS/ideal" | tee "$RESULTS/ideal.txt" | grep -E '^\[ *[0-9]*[05]s\]|^loadgen' || true
stop_cluster

python3 "$BENCH_DIR/tables.py" seeds "$RESULTS" | tee "$RESULTS/summary.md"
