package dev.llmserve.controller.deployments;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Deployments from configuration ({@code llmserve.controller.deployments[i].*}), created
 * at start when the store has never held them: configuration seeds, the store wins.
 *
 * @param seedDeployments whether to apply the seeds at all ({@code false}: start with
 * only what the store holds)
 * @param deployments the seeds; {@code application.yml} seeds {@code tinyllama}, and
 * {@code --llmserve.controller.deployments=} replaces them with none
 */
@Validated
@ConfigurationProperties("llmserve.controller")
public record DeploymentsProperties(@DefaultValue("true") boolean seedDeployments,
		@NotNull @DefaultValue List<@Valid DeploymentRequest> deployments) {

	/** The seeds to apply. */
	List<Deployment> seeds() {
		return this.seedDeployments ? this.deployments.stream().map(DeploymentRequest::toDeployment).toList()
				: List.of();
	}

}
