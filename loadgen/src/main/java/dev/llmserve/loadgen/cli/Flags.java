package dev.llmserve.loadgen.cli;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every flag of the load generator, grouped as {@code --help} shows them. */
final class Flags {

	static final Map<String, List<Flag>> GROUPS = new java.util.LinkedHashMap<>();

	static {
		GROUPS.put("Target", List.of(
				new Flag("url", "URL", "http://127.0.0.1:8000", "base URL of the server under test"),
				new Flag("targets", "URL,URL,...", null,
						"several base URLs instead of --url; each request goes to the one with the fewest "
								+ "requests in flight (a perfect client-side least-loaded balancer)"),
				new Flag("model", "NAME", "tinyllama", "model name (the deployment, for --api plain)"),
				new Flag("api", "chat|completions|plain", "chat",
						"POST /v1/chat/completions, /v1/completions (both SSE), or /v1/chat/{model} "
								+ "(text/plain in, chunked text out; no max_tokens, output tokens counted from the text)")));
		GROUPS.put("Load: closed loop (Locust-style; the default)",
				List.of(new Flag("users", "N", "10",
						"concurrent users; each sends its next request when the last ends"),
						new Flag("spawn-rate", "USERS_PER_S", "all at once", "how fast users start (a ramp)")));
		GROUPS.put("Load: open loop (vllm bench serve-style; selected by --rate)", List.of(
				new Flag("rate", "REQ_PER_S|inf", null,
						"mean arrival rate; inf sends as fast as --max-concurrency allows"),
				new Flag("burstiness", "B", "1.0",
						"gamma shape of the gaps between arrivals: 1 is Poisson, < 1 burstier, > 1 steadier"),
				new Flag("max-concurrency", "N", "no limit",
						"the most requests in flight; later arrivals wait in the client (reported as queue time)")));
		GROUPS.put("Run", List.of(
				new Flag("warmup", "DURATION", "0s",
						"load offered before measuring: requests sent during it show in the timeline but in no "
								+ "statistic, and throughputs are over the measured time only"),
				new Flag("duration", "DURATION", "60s",
						"how long load is offered and measured, after the warm-up (e.g. 500ms, 90s, 2m, 1h)"),
				new Flag("num-requests", "N", "no limit", "stop offering load after N requests"),
				new Flag("drain", "DURATION", "30s",
						"how long in-flight requests may still finish after the duration; the rest are "
								+ "cancelled and counted as cancelled, not failed"),
				new Flag("seed", "N", "0", "seed of prompts, lengths, prefix groups and arrivals")));
		GROUPS.put("Workload", List.of(
				new Flag("input-tokens", "N|MIN:MAX", "256",
						"prompt length in tokens, uniform in the range (after the shared prefix, if any)"),
				new Flag("max-tokens", "N|MIN:MAX", "128", "max_tokens of each request, uniform in the range"),
				new Flag("ignore-eos", null, null, "send vLLM's ignore_eos: every request generates max_tokens"),
				new Flag("prefix-groups", "K", "0",
						"requests start with one of K shared prefixes (picked uniformly), for routing studies"),
				new Flag("prefix-tokens", "N", "0", "length of each shared prefix in tokens"),
				new Flag("slo", "ttft:MS,tpot:MS,e2el:MS", null,
						"objectives for goodput (any subset): a request is good if each metric is <= its MS")));
		GROUPS.put("Client",
				List.of(new Flag("timeout", "DURATION", "10m", "the longest one request may take, end to end"),
						new Flag("idle-timeout", "DURATION", "60s", "the longest silence allowed between two reads"),
						new Flag("connect-timeout", "DURATION", "5s", "TCP connect timeout"),
						new Flag("max-connections", "N", "concurrency + 64",
								"connection pool size per target (one HTTP/1.1 connection per open stream)"),
						new Flag("io-threads", "N", "cores", "event-loop threads"),
						new Flag("bind-addresses", "IP,IP,...", null,
								"local addresses to connect from, round-robin (e.g. 127.0.0.2,127.0.0.3: more source "
										+ "ports for tens of thousands of streams)")));
		GROUPS.put("Output",
				List.of(new Flag("out", "DIR", null, "write summary.json, timeline.csv and report.html into DIR"),
						new Flag("label", "TEXT", null, "a name for this run in the report"),
						new Flag("quiet", null, null, "no progress line every second"),
						new Flag("help", null, null, "print this help and exit")));
	}

	static final Map<String, Flag> BY_NAME = GROUPS.values()
		.stream()
		.flatMap(List::stream)
		.collect(Collectors.toMap(Flag::name, Function.identity()));

	private Flags() {
	}

}
