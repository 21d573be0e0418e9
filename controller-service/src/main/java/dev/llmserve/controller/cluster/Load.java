package dev.llmserve.controller.cluster;

/**
 * A replica's load as its worker last reported it.
 *
 * @param running sequences the engine runs
 * @param waiting sequences waiting in the engine
 * @param kvCacheUsage KV cache usage, 0..1
 * @param inFlight Generate calls the replica serves
 * @param engineHealthy whether the engine answered its last check
 * @param updatedAtMillis when the engine's metrics were read (epoch ms, 0: never)
 */
public record Load(int running, int waiting, double kvCacheUsage, int inFlight, boolean engineHealthy,
		long updatedAtMillis) {

	public static final Load NONE = new Load(0, 0, 0, 0, false, 0);

	/** Work the replica holds, for choosing which one to remove. */
	public int work() {
		return this.running + this.waiting + this.inFlight;
	}

}
