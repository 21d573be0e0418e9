package dev.llmserve.gateway.routing;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Local outlier detection, as Envoy's: a replica that cannot be reached, that sends no
 * first token in time (alive for health checks, dead for requests), or that fails
 * {@code consecutiveErrors} calls in a row is ejected, so the balancer skips it, for a
 * cool-down that doubles with each ejection in a row up to {@code maxCooldown}. After the
 * cool-down it gets one trial request: success brings it back, failure ejects it again. A
 * failed {@code GetLoad} counts as unreachable too, so a dead replica stays ejected
 * without costing requests. Never more than {@code maxEjectionPercent} of a deployment's
 * ready replicas are ejected at once (at least one stays, unless configured otherwise):
 * past that the gateway would rather try a doubtful replica than have none.
 *
 * <p>
 * Metrics: {@code llmserve.gateway.replica.ejections} (counter; deployment, replica,
 * reason) and {@code llmserve.gateway.replicas.ejected} (gauge; deployment), both
 * registered at 0 as soon as a replica is in the routing table, so that a dashboard shows
 * "none" rather than "no data".
 */
public final class OutlierEjector implements InitializingBean, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(OutlierEjector.class);

	/** Why a call failed, as far as ejection is concerned. */
	public enum Failure {

		/** Could not connect, or the connection was lost: ejects at once. */
		UNREACHABLE("unreachable"),

		/** No first token within the deadline: ejects at once. */
		FIRST_TOKEN_TIMEOUT("first_token_timeout"),

		/** Stopped sending tokens mid-stream: ejects at once. */
		STALLED("stalled"),

		/** Any other server-side failure: ejects after enough in a row. */
		ERROR("consecutive_errors");

		private final String tag;

		Failure(String tag) {
			this.tag = tag;
		}

		/** The {@code reason} tag of the ejection counter. */
		public String tag() {
			return this.tag;
		}

	}

	private final RoutingTableSource source;

	private final ReplicaStatsRegistry stats;

	private final RoutingProperties.Ejection properties;

	private final MeterRegistry registry;

	private final Set<String> gauged = ConcurrentHashMap.newKeySet();

	private final Set<String> counted = ConcurrentHashMap.newKeySet();

	private Disposable tables;

	public OutlierEjector(RoutingTableSource source, ReplicaStatsRegistry stats, RoutingProperties.Ejection properties,
			MeterRegistry registry) {
		this.source = source;
		this.stats = stats;
		this.properties = properties;
		this.registry = registry;
	}

	@Override
	public void afterPropertiesSet() {
		this.tables = this.source.updates()
			.subscribe((table) -> table.allReplicas().forEach(this::registerMeters), (error) -> logger
				.error("Routing table updates failed; ejection meters of new replicas not registered", error));
	}

	@Override
	public void destroy() {
		if (this.tables != null) {
			this.tables.dispose();
		}
	}

	/** The call succeeded (or the replica answered it with a client error). */
	public void onSuccess(Lease lease) {
		EjectionState state = lease.stats().ejection();
		state.recordSuccess();
		if (lease.isTrial()) {
			state.restore(this.stats.nowMillis());
			logger.info("Replica {} of {} is back in service: its trial request succeeded", lease.replica().id(),
					lease.replica().deployment());
		}
	}

	/** The call failed on the replica's side. */
	public void onFailure(Lease lease, Failure failure) {
		if (!this.properties.enabled()) {
			return;
		}
		if (lease.isTrial()) {
			eject(lease.replica(), failure, "its trial request failed");
			return;
		}
		onFailure(lease.replica(), lease.stats().ejection(), failure);
	}

	/** The call ended without a verdict (cancelled): a trial may start again. */
	public void onAbandoned(Lease lease) {
		if (lease.isTrial()) {
			lease.stats().ejection().abandonTrial();
		}
	}

	/**
	 * A load poll could not reach the replica. Ejects it, or, if its cool-down is over
	 * and no trial is under way, ejects it again for longer: it is still unreachable.
	 */
	public void onUnreachable(Replica replica) {
		if (!this.properties.enabled()) {
			return;
		}
		EjectionState state = this.stats.get(replica.id()).ejection();
		if (state.isHalfOpen(this.stats.nowMillis())) {
			eject(replica, Failure.UNREACHABLE, "its load poll failed after its cool-down");
		}
		else {
			onFailure(replica, state, Failure.UNREACHABLE);
		}
	}

	private void onFailure(Replica replica, EjectionState state, Failure failure) {
		if (state.isEjected()) {
			return;
		}
		if (failure == Failure.ERROR && state.recordError() < this.properties.consecutiveErrors()) {
			return;
		}
		ejectWithinCap(replica, failure);
	}

	/** Serialized, so that concurrent failures cannot together exceed the cap. */
	private synchronized void ejectWithinCap(Replica replica, Failure failure) {
		EjectionState state = this.stats.get(replica.id()).ejection();
		if (state.isEjected()) {
			return;
		}
		List<Replica> ready = this.source.current()
			.replicas(replica.deployment())
			.stream()
			.filter(Replica::isReady)
			.toList();
		long ejected = ready.stream().filter((candidate) -> this.stats.get(candidate.id()).isEjected()).count();
		int allowed = ready.size() * this.properties.maxEjectionPercent() / 100;
		if (ejected >= allowed) {
			logger.warn(
					"Replica {} of {} is failing ({}) but stays in service: {} of {} ready replicas are already "
							+ "ejected (max-ejection-percent {})",
					replica.id(), replica.deployment(), failure.tag(), ejected, ready.size(),
					this.properties.maxEjectionPercent());
			return;
		}
		eject(replica, failure, failure.tag().replace('_', ' '));
	}

	private void eject(Replica replica, Failure failure, String why) {
		EjectionState state = this.stats.get(replica.id()).ejection();
		long cooldown = state.eject(this.stats.nowMillis(), this.properties.baseCooldown().toMillis(),
				this.properties.maxCooldown().toMillis());
		logger.warn("Ejected replica {} of {} for {} ms ({}; ejection {} in a row)", replica.id(), replica.deployment(),
				cooldown, why, state.ejectionsInARow());
		count(replica, failure);
	}

	private void count(Replica replica, Failure failure) {
		registerMeters(replica);
		ejections(replica, failure).increment();
	}

	private Counter ejections(Replica replica, Failure failure) {
		return Counter.builder("llmserve.gateway.replica.ejections")
			.description("Replicas ejected by outlier detection, by replica and reason")
			.tag("deployment", replica.deployment())
			.tag("replica", replica.id())
			.tag("reason", failure.tag())
			.register(this.registry);
	}

	private void registerMeters(Replica replica) {
		if (this.counted.add(replica.deployment() + "/" + replica.id())) {
			for (Failure failure : Failure.values()) {
				ejections(replica, failure);
			}
		}
		String deployment = replica.deployment();
		if (this.gauged.add(deployment)) {
			Gauge.builder("llmserve.gateway.replicas.ejected", () -> ejectedCount(deployment))
				.description("Replicas of the deployment ejected right now (cooling down or awaiting their trial)")
				.tag("deployment", deployment)
				.register(this.registry);
		}
	}

	/** Ejected replicas of the deployment in the current table. */
	public int ejectedCount(String deployment) {
		return (int) this.source.current()
			.replicas(deployment)
			.stream()
			.filter((replica) -> this.stats.get(replica.id()).isEjected())
			.count();
	}

}
