package dev.llmserve.gateway.routing;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RoutingPropertiesTests {

	@Test
	void readsTheControllerAddress() {
		assertThat(properties(" 10.0.0.5:9090 ").controllerAddress()).isEqualTo(new HostAndPort("10.0.0.5", 9090));
	}

	@Test
	void rejectsAControllerAddressThatIsNotHostAndPortNamingTheSetting() {
		assertThatIllegalArgumentException().isThrownBy(() -> properties(""))
			.withMessage("llmserve.gateway.routing.controller: \"\" (expected: host:port)");
		assertThatIllegalArgumentException().isThrownBy(() -> properties("controller"));
	}

	@Test
	void rejectsABackoffThatCannotGrowOrAJitterOutOfRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> watch(Duration.ofSeconds(1), Duration.ofMillis(500), 0.5))
			.withMessage("watch.maxBackoff: PT0.5S (expected: >= initialBackoff PT1S)");
		assertThatIllegalArgumentException().isThrownBy(() -> watch(Duration.ZERO, Duration.ofSeconds(5), 0.5));
		assertThatIllegalArgumentException().isThrownBy(() -> watch(Duration.ofMillis(200), Duration.ofSeconds(5), 1.5))
			.withMessage("watch.jitter: 1.5 (expected: 0..1)");
	}

	@Test
	void rejectsAnEjectionThatCannotCoolDownOrGrow() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RoutingProperties.Ejection(true, Duration.ZERO, Duration.ofMinutes(2), 5, 50));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RoutingProperties.Ejection(true, Duration.ofSeconds(5), Duration.ofSeconds(1), 5, 50))
			.withMessage("ejection.maxCooldown: PT1S (expected: >= baseCooldown PT5S)");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> new RoutingProperties.Ejection(true, Duration.ofSeconds(5), Duration.ofMinutes(2), 5, 101))
			.withMessage("ejection.maxEjectionPercent: 101 (expected: 0..100)");
	}

	@Test
	void namesTheGatewayAfterItsProcessUnlessConfigured() {
		assertThat(watch(Duration.ofMillis(200), Duration.ofSeconds(5), 0.5).effectiveGatewayId())
			.isEqualTo("gateway-" + ProcessHandle.current().pid());
	}

	private static RoutingProperties properties(String controller) {
		return new RoutingProperties(Map.of(), Duration.ofSeconds(1), Duration.ofMillis(500),
				new RoutingProperties.Ejection(true, Duration.ofSeconds(5), Duration.ofMinutes(2), 5, 50), controller,
				watch(Duration.ofMillis(200), Duration.ofSeconds(5), 0.5));
	}

	private static RoutingProperties.Watch watch(Duration initial, Duration max, double jitter) {
		return new RoutingProperties.Watch(initial, max, jitter, Duration.ofMinutes(5), Duration.ofSeconds(20), "");
	}

}
