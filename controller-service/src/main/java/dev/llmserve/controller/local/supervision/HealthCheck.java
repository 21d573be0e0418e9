package dev.llmserve.controller.local.supervision;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a supervised child is health-checked: an HTTP GET on its {@code http} port that
 * must answer 200.
 *
 * @param path the path asked, the child's liveness probe
 * @param interval how often it is asked; a check that takes longer delays the next one
 * @param timeout how long one check may take (connect and response)
 * @param failureThreshold failed checks in a row before a running child can be killed and
 * restarted
 * @param startupTimeout how long a starting child may take to answer for the first time;
 * failed checks before then do not count
 * @param unresponsiveTimeout how long a running child may fail every check before it is
 * killed: a child busy with a load spike answers late, a hung one never, and only time
 * tells them apart. Killing a busy gateway drops every stream it holds and sends its load
 * to a cold one, so this is generous.
 */
public record HealthCheck(@NotBlank @DefaultValue("/actuator/health/liveness") String path,
		@NotNull @DefaultValue("1s") Duration interval, @NotNull @DefaultValue("5s") Duration timeout,
		@Min(1) @DefaultValue("3") int failureThreshold, @NotNull @DefaultValue("60s") Duration startupTimeout,
		@NotNull @DefaultValue("30s") Duration unresponsiveTimeout) {

	public HealthCheck {
		Durations.requirePositive("interval", interval);
		Durations.requirePositive("timeout", timeout);
		Durations.requirePositive("startupTimeout", startupTimeout);
		Durations.requirePositive("unresponsiveTimeout", unresponsiveTimeout);
	}

	/** How long a child may fail its checks before it counts as not answering. */
	Duration failureWindow() {
		Duration checks = this.interval.multipliedBy(this.failureThreshold);
		return (checks.compareTo(this.unresponsiveTimeout) > 0) ? checks : this.unresponsiveTimeout;
	}

}
