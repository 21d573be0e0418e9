#!/usr/bin/env bash
# 1,000 clients that stop reading: the gateway's heap and RSS while it holds them, and how it
# lets go of them (llmserve.gateway.slow-client.stall-timeout, 30 s by default: it disconnects a
# client whose pending bytes stop draining and aborts its generation).
#
#   bench/slow-readers.sh
#
# Each stream asks for 2,000 tokens (the model's context is 2,048). A stream is 'stalled' for the
# gateway only once the kernel's socket buffers are full (the sender's grows to 4 MiB with Linux
# autotuning), which 2,000 tokens (~300 KB) do not do: this measures the memory the gateway keeps
# for 1,000 clients that read nothing; the stall disconnect itself is tested in gateway-service
# (SlowClientIntegrationTests, with 100-character tokens).
#
# Environment: STREAMS (1000), HOLD (60 s), STALL_TIMEOUT (30s), JAVA (java).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init slow-readers 600 "$@"

STREAMS=${STREAMS:-1000}
HOLD=${HOLD:-60}
STALL_TIMEOUT=${STALL_TIMEOUT:-30s}
copy_jars gateway-service replica-service

ENGINE_PORT=$(free_port)
REPLICA_GRPC=$(free_port)
GATEWAY_PORT=$(free_port)
# Tokens as fast as demand allows (1 ms apart), room for every stream.
ENGINE_ARGS="--fixed-ttft-ms,10,--fixed-itl-ms,1,--max-num-seqs,4096,--num-gpu-blocks,400000,--max-num-batched-tokens,262144"
start_replica replica "$REPLICA_GRPC" "$(free_port)" -- --llmserve.replica.engine.profile=instant \
	--llmserve.replica.engine.port="$ENGINE_PORT" \
	--llmserve.replica.engine.args="$ENGINE_ARGS" --llmserve.replica.bridge.max-connections=4096 \
	--llmserve.replica.bridge.max-pending-acquires=4096
start_gateway "$GATEWAY_PORT" "127.0.0.1:$REPLICA_GRPC" -Xmx1g -- --llmserve.gateway.admission.max-concurrent-per-replica=0 \
	--llmserve.gateway.slow-client.stall-timeout="$STALL_TIMEOUT"
GATEWAY_PID=$LAST_PID
GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT"
require_loopback "$GATEWAY_URL"
wait_http "$GATEWAY_URL/actuator/health/readiness" 180
wait_http "http://127.0.0.1:$ENGINE_PORT/health" 60

echo "time_s,heap_used_mib,rss_mib,engine_running,engine_aborted" >"$RESULTS/samples.csv"
sample() {
	local engine
	engine=$({ curl -fs --max-time 2 "http://127.0.0.1:$ENGINE_PORT/admin/stats" || echo '{}'; } \
		| python3 -c 'import json, sys; d = json.load(sys.stdin); print(d.get("running", -1), d.get("aborted", -1), sep=",")')
	echo "$1,$(heap_mib "$GATEWAY_PID" | cut -d" " -f1),$(rss_mib "$GATEWAY_PID"),$engine" >>"$RESULTS/samples.csv"
}
echo "bench: $STREAMS clients that never read, held ${HOLD}s (stall timeout $STALL_TIMEOUT)"
sample 0
python3 "$BENCH_DIR/slow_readers.py" --url "$GATEWAY_URL" --streams "$STREAMS" --hold "$HOLD" \
	>"$RESULTS/clients.json" &
CLIENTS=$!
for t in $(seq 1 "$((HOLD + 5))"); do
	sleep 1
	sample "$t"
done
wait "$CLIENTS" || true
jcmd "$GATEWAY_PID" GC.run >/dev/null 2>&1 || true
sleep 1
{
	echo "# Slow readers"
	echo
	echo '```'
	cat "$RESULTS/machine.txt"
	echo '```'
	echo
	echo "clients: $(cat "$RESULTS/clients.json")"
	python3 - "$RESULTS/samples.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
heap = [int(r["heap_used_mib"]) for r in rows if int(r["heap_used_mib"]) >= 0]
rss = [int(r["rss_mib"]) for r in rows]
print(f"gateway heap used: start {heap[0]} MiB, max {max(heap)} MiB, end {heap[-1]} MiB (before GC)")
print(f"gateway RSS: start {rss[0]} MiB, max {max(rss)} MiB, end {rss[-1]} MiB")
print(f"engine: running at most {max(int(r['engine_running']) for r in rows)}, aborted {rows[-1]['engine_aborted']}")
PY
	echo "gateway heap live after the run (full GC): $(heap_mib "$GATEWAY_PID" | cut -d" " -f1) MiB"
} | tee "$RESULTS/summary.md"
