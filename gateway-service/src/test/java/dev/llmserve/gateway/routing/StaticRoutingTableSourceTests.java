package dev.llmserve.gateway.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StaticRoutingTableSourceTests {

	@Test
	void turnsEachAddressIntoAReadyReplicaNumberedInOrder() {
		Map<String, List<String>> config = new LinkedHashMap<>();
		config.put("tinyllama", List.of("127.0.0.1:9101", " 10.0.0.2:9102 "));
		config.put("v6", List.of("[::1]:9200"));
		RoutingTable table = new StaticRoutingTableSource(config).current();
		assertThat(table.replicas("tinyllama")).containsExactly(
				new Replica("tinyllama-0", "tinyllama", "127.0.0.1", 9101, ReplicaState.READY),
				new Replica("tinyllama-1", "tinyllama", "10.0.0.2", 9102, ReplicaState.READY));
		assertThat(table.replicas("v6")).singleElement().satisfies((replica) -> {
			assertThat(replica.host()).isEqualTo("::1");
			assertThat(replica.port()).isEqualTo(9200);
		});
		assertThat(table.deploymentNames()).containsExactly("tinyllama", "v6");
	}

	@Test
	void dropsADeploymentWhoseValueIsEmpty() {
		RoutingTable table = new StaticRoutingTableSource(Map.of("gone", List.of(""))).current();
		assertThat(table.contains("gone")).isFalse();
		assertThat(table.hasReplicas()).isFalse();
	}

	@Test
	void rejectsAnAddressWithoutAPortNamingTheSetting() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new StaticRoutingTableSource(Map.of("m", List.of("localhost"))))
			.withMessage("llmserve.gateway.routing.static.m: \"localhost\" (expected: host:port)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new StaticRoutingTableSource(Map.of("m", List.of("localhost:99999"))));
	}

	@Test
	void publishesItsOnlyTableAsUpdates() {
		StaticRoutingTableSource source = new StaticRoutingTableSource(Map.of("m", List.of("127.0.0.1:1")));
		StepVerifier.create(source.updates())
			.expectNext(source.current())
			.expectComplete()
			.verify(java.time.Duration.ofSeconds(5));
	}

}
