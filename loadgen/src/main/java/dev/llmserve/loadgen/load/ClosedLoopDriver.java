package dev.llmserve.loadgen.load;

import java.time.Duration;

import dev.llmserve.loadgen.metrics.LiveStats;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Starts users at the spawn rate; each sends its next request as soon as the last one
 * ends.
 */
final class ClosedLoopDriver implements LoadDriver {

	private final LoadShape.ClosedLoop shape;

	private final RequestIssuer issuer;

	private final LiveStats live;

	ClosedLoopDriver(LoadShape.ClosedLoop shape, RequestIssuer issuer, LiveStats live) {
		this.shape = shape;
		this.issuer = issuer;
		this.live = live;
	}

	@Override
	public Disposable start() {
		return spawns().takeWhile((user) -> this.issuer.accepting())
			.flatMap((user) -> user(), this.shape.users())
			.subscribe();
	}

	private Flux<Long> spawns() {
		if (Double.isInfinite(this.shape.spawnRate()) || this.shape.spawnRate() >= 1e9) {
			return Flux.range(0, this.shape.users()).map(Integer::longValue);
		}
		Duration period = Duration.ofNanos(Math.max(1, Math.round(1e9 / this.shape.spawnRate())));
		return Flux.interval(Duration.ZERO, period).take(this.shape.users());
	}

	private Flux<?> user() {
		this.live.userStarted();
		return Mono.defer(this.issuer::issue).repeat(this.issuer::accepting);
	}

}
