package dev.llmserve.gateway.admission;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AdmissionPropertiesTests {

	private static final AdmissionProperties PROPERTIES = new AdmissionProperties(256, 2.0, Duration.ofSeconds(5),
			Duration.ofMillis(250), Map.of("small", new AdmissionProperties.Deployment(4, 1.0, Duration.ofSeconds(2)),
					"open", new AdmissionProperties.Deployment(0, null, null)));

	@Test
	void theRoutingTablesLimitWinsThenTheDeploymentsThenTheDefault() {
		assertThat(PROPERTIES.limits("small", 16)).isEqualTo(new DeploymentLimits(16, 1.0, Duration.ofSeconds(2)));
		assertThat(PROPERTIES.limits("small", 0)).isEqualTo(new DeploymentLimits(4, 1.0, Duration.ofSeconds(2)));
		assertThat(PROPERTIES.limits("other", 0)).isEqualTo(new DeploymentLimits(256, 2.0, Duration.ofSeconds(5)));
		assertThat(PROPERTIES.limits("open", 0)).isEqualTo(new DeploymentLimits(0, 2.0, Duration.ofSeconds(5)));
	}

	@Test
	void capacityIsTheLimitTimesRoutableReplicasAndTheQueueAMultipleOfIt() {
		assertThat(new DeploymentLimits(4, 1.5, Duration.ofSeconds(1)).capacity(3))
			.isEqualTo(new Capacity(12, 18, Duration.ofSeconds(1)));
		assertThat(new DeploymentLimits(4, 1.5, Duration.ofSeconds(1)).capacity(0))
			.isEqualTo(new Capacity(0, 0, Duration.ofSeconds(1)));
		assertThat(new DeploymentLimits(0, 1.5, Duration.ofSeconds(1)).capacity(0).isUnlimited()).isTrue();
		assertThat(new DeploymentLimits(Integer.MAX_VALUE, 2, Duration.ofSeconds(1)).capacity(1000).permits())
			.isEqualTo(Integer.MAX_VALUE - 1);
	}

	@Test
	void rejectsSettingsOutOfRangeSayingWhatIsExpected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AdmissionProperties(-1, 2.0, Duration.ofSeconds(5), Duration.ofMillis(250), Map.of()))
			.withMessage("maxConcurrentPerReplica: -1 (expected: >= 0, 0 for no limit)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AdmissionProperties(1, -0.5, Duration.ofSeconds(5), Duration.ofMillis(250), Map.of()))
			.withMessage("queueFactor: -0.5 (expected: 0..1000)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AdmissionProperties(1, 1, Duration.ZERO, Duration.ofMillis(250), Map.of()))
			.withMessage("maxWait: PT0S (expected: > 0)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AdmissionProperties.Deployment(null, Double.NaN, null))
			.withMessage("queueFactor: NaN (expected: 0..1000)");
	}

}
