package dev.llmserve.replica.load;

import java.util.List;

/**
 * The engine's load as its metrics last said.
 *
 * @param running sequences in execution ({@code vllm:num_requests_running})
 * @param waiting sequences queued, preempted ones included
 * ({@code vllm:num_requests_waiting})
 * @param kvCacheUsage KV cache in use, 0..1 ({@code vllm:kv_cache_usage_perc})
 * @param updatedAtMillis when the metrics were read (epoch ms; 0: never)
 */
record EngineLoad(int running, int waiting, double kvCacheUsage, long updatedAtMillis) {

	static final String RUNNING = "vllm:num_requests_running";

	static final String WAITING = "vllm:num_requests_waiting";

	static final String KV_CACHE_USAGE = "vllm:kv_cache_usage_perc";

	/** The name before vLLM 0.10. */
	static final String GPU_CACHE_USAGE = "vllm:gpu_cache_usage_perc";

	static final EngineLoad UNKNOWN = new EngineLoad(0, 0, 0, 0);

	static boolean isWanted(String metric) {
		return metric.equals(RUNNING) || metric.equals(WAITING) || metric.equals(KV_CACHE_USAGE)
				|| metric.equals(GPU_CACHE_USAGE);
	}

	/**
	 * Sums running and waiting over the engine's series (one per data-parallel engine);
	 * the KV cache usage is the fullest engine's.
	 */
	static EngineLoad from(List<PrometheusText.Sample> samples, long nowMillis) {
		double running = 0;
		double waiting = 0;
		double kvCacheUsage = 0;
		for (PrometheusText.Sample sample : samples) {
			switch (sample.name()) {
				case RUNNING -> running += sample.value();
				case WAITING -> waiting += sample.value();
				case KV_CACHE_USAGE, GPU_CACHE_USAGE -> kvCacheUsage = Math.max(kvCacheUsage, sample.value());
				default -> {
				}
			}
		}
		return new EngineLoad((int) running, (int) waiting, kvCacheUsage, nowMillis);
	}

}
