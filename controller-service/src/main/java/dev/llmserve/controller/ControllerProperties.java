package dev.llmserve.controller;

import java.nio.file.Path;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings every part of the controller shares.
 *
 * @param dataDir where the controller keeps what must survive a restart (deployments, the
 * local processes it supervises, their logs)
 * @param advertiseHost the host name workers and gateways use to reach this controller
 */
@Validated
@ConfigurationProperties("llmserve.controller")
public record ControllerProperties(@NotNull @DefaultValue("data") Path dataDir,
		@NotNull @DefaultValue("127.0.0.1") String advertiseHost) {
}
