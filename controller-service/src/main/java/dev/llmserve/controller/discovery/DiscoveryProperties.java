package dev.llmserve.controller.discovery;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Prometheus service discovery ({@code llmserve.controller.discovery.*}): the controller
 * writes the processes it knows (replicas; in local mode also the gateway and the
 * workers) to a {@code file_sd_configs} file.
 *
 * @param enabled whether the file is written
 * @param file where; defaults to {@code <data-dir>/prometheus/targets.json}
 * @param refreshInterval how often the list is checked for changes nothing announces (a
 * local child restarted on another port); replica changes are written at once
 */
@Validated
@ConfigurationProperties("llmserve.controller.discovery")
public record DiscoveryProperties(@DefaultValue("true") boolean enabled, Path file,
		@NotNull @DefaultValue("2s") Duration refreshInterval) {

	public DiscoveryProperties {
		if (refreshInterval.isNegative() || refreshInterval.isZero()) {
			throw new IllegalArgumentException("refreshInterval: %s (expected: > 0)".formatted(refreshInterval));
		}
	}

	/** The file, resolved against the controller's data directory when not set. */
	Path fileIn(Path dataDir) {
		return (this.file != null) ? this.file : dataDir.resolve("prometheus").resolve("targets.json");
	}

}
