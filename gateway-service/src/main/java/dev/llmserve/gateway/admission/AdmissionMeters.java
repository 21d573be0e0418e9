package dev.llmserve.gateway.admission;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The admission meters of one deployment, tagged only by {@code deployment} (and
 * {@code reason} for rejections): {@code llmserve.gateway.admission.queue.depth},
 * {@code .permits.in.use} and {@code .capacity} (gauges; capacity is {@code +Inf} without
 * a limit), {@code .queue.wait} (timer with a percentile histogram: from arrival to
 * admission, 0 for requests admitted at once), {@code .admitted}, {@code .rejected}
 * (reason {@code queue_full}, {@code wait_timeout} or {@code no_replica}) and
 * {@code .abandoned} (the client left while queued).
 */
final class AdmissionMeters {

	private final MeterRegistry registry;

	private final String deployment;

	private final Timer queueWait;

	private final Counter admitted;

	private final Counter abandoned;

	private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);

	AdmissionMeters(MeterRegistry registry, String deployment) {
		this.registry = registry;
		this.deployment = deployment;
		this.queueWait = Timer.builder("llmserve.gateway.admission.queue.wait")
			.description("From a request's arrival to its admission, queueing included")
			.tag("deployment", deployment)
			.publishPercentileHistogram()
			.register(registry);
		this.admitted = Counter.builder("llmserve.gateway.admission.admitted")
			.description("Requests admitted to a deployment")
			.tag("deployment", deployment)
			.register(registry);
		this.abandoned = Counter.builder("llmserve.gateway.admission.abandoned")
			.description("Requests whose client went away while they were queued")
			.tag("deployment", deployment)
			.register(registry);
		for (Rejection rejection : Rejection.values()) {
			this.rejected.put(rejection,
					Counter.builder("llmserve.gateway.admission.rejected")
						.description("Requests answered 503 by admission control, by reason")
						.tag("deployment", deployment)
						.tag("reason", rejection.tag())
						.register(registry));
		}
	}

	/** Registers the gauges that read the queue; it must stay referenced elsewhere. */
	void bind(DeploymentQueue queue) {
		Gauge.builder("llmserve.gateway.admission.queue.depth", queue, DeploymentQueue::depth)
			.description("Requests waiting for admission")
			.tag("deployment", this.deployment)
			.strongReference(true)
			.register(this.registry);
		Gauge.builder("llmserve.gateway.admission.permits.in.use", queue, DeploymentQueue::inUse)
			.description("Admitted requests still running")
			.tag("deployment", this.deployment)
			.strongReference(true)
			.register(this.registry);
		Gauge.builder("llmserve.gateway.admission.capacity", queue, AdmissionMeters::capacity)
			.description("Requests the deployment may run at once: the per-replica limit times routable replicas")
			.tag("deployment", this.deployment)
			.strongReference(true)
			.register(this.registry);
	}

	void admitted(long waitNanos) {
		this.admitted.increment();
		this.queueWait.record(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
	}

	void rejected(Rejection rejection) {
		this.rejected.get(rejection).increment();
	}

	void abandoned() {
		this.abandoned.increment();
	}

	private static double capacity(DeploymentQueue queue) {
		Capacity capacity = queue.capacity();
		return capacity.isUnlimited() ? Double.POSITIVE_INFINITY : capacity.permits();
	}

}
