#!/usr/bin/env bash
# Serving-path overhead, side by side in one run, on one simulator engine with fixed timing:
#   direct   client -> engine
#   nginx    client -> nginx -> engine            (proxy_buffering off, upstream keep-alive)
#   haproxy  client -> HAProxy (leastconn) -> engine
#   llmserve client -> gateway -> replica -> engine (the replica's own engine is the one all paths use)
# at 1, 100 and 1,000 concurrent streams. Reports TTFT added over direct (p50, p99), relayed
# tokens/s, and CPU seconds per 1,000 tokens of every process on the path.
#
#   bench/overhead.sh
#
# Environment: LEVELS ("1 100 1000"), PATHS ("direct nginx haproxy llmserve"), TTFT_MS (20), ITL_MS (20),
# PREWARM (45s: one unmeasured run per path first, 50 streams of 4-token requests, about 20,000
# requests: the JVMs' per-request code is only fully JIT-compiled after ~10^4 requests, and a
# serving gateway is measured in its steady state), WARMUP (5s, unmeasured start of every run), DURATION (15s), MAX_TOKENS (100; 10 at one stream, for enough TTFT samples),
# INPUT_TOKENS (64), ROUNDS (1: repeat the whole matrix), JFR (0; 1 records the gateway and replica
# with Java Flight Recorder into the results directory), REPLICA_ARGS and GATEWAY_ARGS (extra
# arguments for experiments, e.g. REPLICA_ARGS=--spring.grpc.server.observation.enabled=false), JAVA (java).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init overhead 900 "$@"

LEVELS=${LEVELS:-"1 100 1000"}
PATHS=${PATHS:-"direct nginx haproxy llmserve"}
TTFT_MS=${TTFT_MS:-20}
ITL_MS=${ITL_MS:-20}
PREWARM=${PREWARM:-45s}
WARMUP=${WARMUP:-5s}
DURATION=${DURATION:-15s}
MAX_TOKENS=${MAX_TOKENS:-100}
INPUT_TOKENS=${INPUT_TOKENS:-64}
ROUNDS=${ROUNDS:-1}
JFR=${JFR:-0}
jfr_flags() {
	((JFR)) && echo "-XX:StartFlightRecording=filename=$RESULTS/$1.jfr,settings=profile,dumponexit=true"
	return 0
}

command -v nginx >/dev/null && command -v haproxy >/dev/null || {
	echo "bench: installing nginx and haproxy (Debian packages)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx haproxy >/dev/null
}
copy_jars loadgen gateway-service replica-service

ENGINE_PORT=$(free_port)
REPLICA_GRPC=$(free_port)
REPLICA_HTTP=$(free_port)
GATEWAY_PORT=$(free_port)
NGINX_PORT=$(free_port)
HAPROXY_PORT=$(free_port)

# The engine runs up to 4,096 sequences, and the gateway's admission limit says so (its default,
# vLLM's max_num_seqs of 256, would turn most of 1,000 streams into 503s).
# The replica launches the engine on a fixed port, so every path below reaches the very same
# simulator process. Limits are raised so that 1,000 streams never queue in the engine or the bridge.
ENGINE_ARGS="--fixed-ttft-ms,$TTFT_MS,--fixed-itl-ms,$ITL_MS,--max-num-seqs,4096,--max-num-batched-tokens,262144"
start_replica replica "$REPLICA_GRPC" "$REPLICA_HTTP" $(jfr_flags replica) -- \
	--llmserve.replica.engine.profile=instant --llmserve.replica.engine.port="$ENGINE_PORT" --llmserve.replica.engine.args="$ENGINE_ARGS" \
	--llmserve.replica.bridge.max-connections=4096 --llmserve.replica.bridge.max-pending-acquires=4096 ${REPLICA_ARGS:-}
REPLICA_PID=$LAST_PID
start_gateway "$GATEWAY_PORT" "127.0.0.1:$REPLICA_GRPC" $(jfr_flags gateway) -- \
	--llmserve.gateway.admission.max-concurrent-per-replica=4096 ${GATEWAY_ARGS:-}
GATEWAY_PID=$LAST_PID

mkdir -p "$TMP/nginx/tmp"
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes auto;
worker_rlimit_nofile 19000;
error_log $TMP/nginx/error.log warn;
pid $TMP/nginx/nginx.pid;
events { worker_connections 9000; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx/tmp/body;
    proxy_temp_path $TMP/nginx/tmp/proxy;
    fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
    uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
    scgi_temp_path $TMP/nginx/tmp/scgi;
    keepalive_requests 1000000;
    upstream engine {
        server 127.0.0.1:$ENGINE_PORT;
        keepalive 2048;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT backlog=4096;
        location / {
            proxy_pass http://engine;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
            proxy_request_buffering off;
            proxy_cache off;
            proxy_read_timeout 600s;
        }
    }
}
EOF
start_bg nginx nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g 'daemon off;'
NGINX_PID=$LAST_PID

cat >"$TMP/haproxy.cfg" <<EOF
global
    maxconn 8000
defaults
    mode http
    option http-keep-alive
    # Send every chunk at once: without it HAProxy sets MSG_MORE and the kernel holds a token
    # for up to 200 ms waiting for more (fatal for SSE).
    option http-no-delay
    timeout connect 5s
    timeout client 600s
    timeout server 600s
    timeout http-keep-alive 60s
frontend llm
    bind 127.0.0.1:$HAPROXY_PORT
    default_backend engine
backend engine
    balance leastconn
    http-reuse always
    server engine1 127.0.0.1:$ENGINE_PORT maxconn 8000
EOF
start_bg haproxy haproxy -f "$TMP/haproxy.cfg" -db
HAPROXY_PID=$LAST_PID

wait_http "http://127.0.0.1:$GATEWAY_PORT/actuator/health/readiness" 180
wait_http "http://127.0.0.1:$ENGINE_PORT/health" 60
SIM_PID=$(pgrep -f "llmserve_sim.py.*--port $ENGINE_PORT" | head -n1)

declare -A URL=([direct]="http://127.0.0.1:$ENGINE_PORT" [nginx]="http://127.0.0.1:$NGINX_PORT"
	[haproxy]="http://127.0.0.1:$HAPROXY_PORT" [llmserve]="http://127.0.0.1:$GATEWAY_PORT")
for path in $PATHS; do
	require_loopback "${URL[$path]}"
	wait_http "${URL[$path]}/v1/models" 30
done

mkdir -p "$RESULTS/runs" "$RESULTS/prewarm"
if [[ $PREWARM != 0s && $PREWARM != 0 ]]; then
	for path in $PATHS; do
		echo "bench: pre-warm, $path, $PREWARM of 50 streams of short requests (not measured)"
		loadgen --url "${URL[$path]}" --model tinyllama --users 50 --duration "$PREWARM" --drain 30s \
			--input-tokens "$INPUT_TOKENS" --max-tokens 4 --ignore-eos --quiet \
			--out "$RESULTS/prewarm/$path" >"$RESULTS/prewarm/$path.txt" 2>&1 || true
	done
fi
echo "round,path,streams,seconds,sim_cpu,nginx_cpu,haproxy_cpu,gateway_cpu,replica_cpu,machine_busy,load_avg" >"$RESULTS/cpu.csv"
for round in $(seq 1 "$ROUNDS"); do
	for streams in $LEVELS; do
		tokens=$MAX_TOKENS
		duration=$DURATION
		if ((streams == 1)); then
			tokens=10
		fi
		for path in $PATHS; do
			run="$RESULTS/runs/r$round-$path-c$streams"
			echo "bench: round $round, $path, $streams streams (load average $(cut -d' ' -f1 /proc/loadavg))"
			before=("$(cpu_seconds "$SIM_PID")" "$(cpu_seconds $(group_pids "$NGINX_PID"))"
				"$(cpu_seconds $(group_pids "$HAPROXY_PID"))" "$(cpu_seconds "$GATEWAY_PID")" "$(cpu_seconds "$REPLICA_PID")"
				"$(machine_busy_seconds)")
			start=$(date +%s.%N)
			loadgen --url "${URL[$path]}" --model tinyllama --users "$streams" --warmup "$WARMUP" \
				--duration "$duration" --drain 30s --input-tokens "$INPUT_TOKENS" --max-tokens "$tokens" \
				--ignore-eos --quiet --label "$path, $streams streams" --out "$run" >"$run.txt" 2>&1 \
				|| echo "bench: loadgen failed for $path at $streams streams (see $run.txt)"
			end=$(date +%s.%N)
			after=("$(cpu_seconds "$SIM_PID")" "$(cpu_seconds $(group_pids "$NGINX_PID"))"
				"$(cpu_seconds $(group_pids "$HAPROXY_PID"))" "$(cpu_seconds "$GATEWAY_PID")" "$(cpu_seconds "$REPLICA_PID")"
				"$(machine_busy_seconds)")
			python3 - "$round" "$path" "$streams" "$start" "$end" "${before[@]}" "${after[@]}" >>"$RESULTS/cpu.csv" <<'PY'
import sys
round_, path, streams, start, end = sys.argv[1:6]
before, after = [float(v) for v in sys.argv[6:12]], [float(v) for v in sys.argv[12:18]]
load = open("/proc/loadavg").read().split()[0]
print(",".join([round_, path, streams, f"{float(end) - float(start):.2f}"]
               + [f"{a - b:.2f}" for a, b in zip(after, before)] + [load]))
PY
		done
	done
done

curl -fs "http://127.0.0.1:$GATEWAY_PORT/actuator/prometheus" >"$RESULTS/gateway-metrics.txt" || true
curl -fs "http://127.0.0.1:$REPLICA_HTTP/actuator/prometheus" >"$RESULTS/replica-metrics.txt" || true
python3 "$BENCH_DIR/tables.py" overhead "$RESULTS" | tee "$RESULTS/summary.md"
