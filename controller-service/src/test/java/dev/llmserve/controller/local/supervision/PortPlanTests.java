package dev.llmserve.controller.local.supervision;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PortPlanTests {

	@Test
	void aFixedPlanGivesItsPortsAndAcceptsOnlyThem() {
		PortPlan plan = PortPlan.fixed(Map.of("grpc", 9300, "http", 9301));

		assertThat(plan.forNewProcess()).isEqualTo(Map.of("grpc", 9300, "http", 9301));
		assertThat(plan.accepts(Map.of("grpc", 9300, "http", 9301))).isTrue();
		assertThat(plan.accepts(Map.of("grpc", 9302, "http", 9303))).isFalse();
	}

	@Test
	void anEphemeralPlanGivesDistinctFreePortsAndAcceptsAnyWithTheSameNames() {
		PortPlan plan = PortPlan.ephemeral("grpc", "http");

		Map<String, Integer> ports = plan.forNewProcess();

		assertThat(ports).containsOnlyKeys("grpc", "http");
		assertThat(ports.get("grpc")).isNotEqualTo(ports.get("http"));
		assertThat(ports.values()).allMatch(Ports::isFree);
		assertThat(plan.accepts(Map.of("grpc", 41000, "http", 41001))).isTrue();
		assertThat(plan.accepts(Map.of("http", 41001))).isFalse();
	}

}
