#!/usr/bin/env bash
# Client disconnect -> engine abort latency, straight at the engine (the floor: the engine's own
# step loop) and through llmserve (client -> gateway -> replica -> engine). Each stream reads a few
# chunks, then its socket is reset; the simulator stamps when its step loop removed the sequence.
#
#   bench/abort-latency.sh
#
# Environment: STREAMS (500), CONCURRENCY (100), ITL_MS (20: the engine step, which bounds the
# floor), JAVA (java).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init abort-latency 600 "$@"

STREAMS=${STREAMS:-500}
CONCURRENCY=${CONCURRENCY:-100}
ITL_MS=${ITL_MS:-20}
copy_jars gateway-service replica-service

ENGINE_PORT=$(free_port)
REPLICA_GRPC=$(free_port)
GATEWAY_PORT=$(free_port)
ENGINE_ARGS="--fixed-ttft-ms,20,--fixed-itl-ms,$ITL_MS,--max-num-seqs,1024"
start_replica replica "$REPLICA_GRPC" "$(free_port)" -- --llmserve.replica.engine.profile=instant \
	--llmserve.replica.engine.port="$ENGINE_PORT" \
	--llmserve.replica.engine.args="$ENGINE_ARGS"
start_gateway "$GATEWAY_PORT" "127.0.0.1:$REPLICA_GRPC"
ENGINE_URL="http://127.0.0.1:$ENGINE_PORT"
GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT"
require_loopback "$ENGINE_URL" "$GATEWAY_URL"
wait_http "$GATEWAY_URL/actuator/health/readiness" 180
wait_http "$ENGINE_URL/health" 60

echo "bench: warm-up (not measured)"
python3 "$BENCH_DIR/abort_latency.py" --url "$GATEWAY_URL" --engine "$ENGINE_URL" --streams 2000 \
	--concurrency "$CONCURRENCY" --label warm-up >"$RESULTS/warmup.txt" 2>&1 || true
status=0
for path in direct llmserve; do
	url=$ENGINE_URL
	[[ $path == llmserve ]] && url=$GATEWAY_URL
	python3 "$BENCH_DIR/abort_latency.py" --url "$url" --engine "$ENGINE_URL" --streams "$STREAMS" \
		--concurrency "$CONCURRENCY" --label "$path" --json "$RESULTS/$path.json" | tee -a "$RESULTS/summary.md" \
		|| status=1
done
exit "$status"
