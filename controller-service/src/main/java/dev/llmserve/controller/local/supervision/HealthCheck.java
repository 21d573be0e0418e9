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
 * @param failureThreshold failed checks in a row after which the child is killed and
 * restarted
 * @param startupTimeout how long a starting child may take to answer for the first time;
 * failed checks before then do not count
 */
public record HealthCheck(@NotBlank @DefaultValue("/actuator/health/liveness") String path,
		@NotNull @DefaultValue("1s") Duration interval, @NotNull @DefaultValue("1s") Duration timeout,
		@Min(1) @DefaultValue("3") int failureThreshold, @NotNull @DefaultValue("60s") Duration startupTimeout) {

	public HealthCheck {
		Durations.requirePositive("interval", interval);
		Durations.requirePositive("timeout", timeout);
		Durations.requirePositive("startupTimeout", startupTimeout);
	}

	/** How long a child may fail its checks before it counts as not answering. */
	Duration failureWindow() {
		return this.interval.multipliedBy(this.failureThreshold);
	}

}
