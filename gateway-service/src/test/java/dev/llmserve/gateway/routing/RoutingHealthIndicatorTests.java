package dev.llmserve.gateway.routing;

import java.util.List;

import dev.llmserve.gateway.support.FixedRoutingTable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.boot.actuate.health.Status;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingHealthIndicatorTests {

	@Test
	void isDownUntilTheTableHoldsAReplica() {
		FixedRoutingTable table = new FixedRoutingTable(RoutingTable.EMPTY);
		RoutingHealthIndicator indicator = new RoutingHealthIndicator(table);
		assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
		table.set("m", List.of());
		assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
		table.set("m", List.of(FixedRoutingTable.ready("m", 0, "127.0.0.1", 1)));
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		assertThat(indicator.health().getDetails()).containsEntry("replicas", 1);
	}

	@Test
	void followsTheSourceReadinessEvenWithAnEmptyTable() {
		boolean[] ready = { false };
		RoutingTableSource source = new RoutingTableSource() {

			@Override
			public RoutingTable current() {
				return RoutingTable.EMPTY;
			}

			@Override
			public Flux<RoutingTable> updates() {
				return Flux.just(RoutingTable.EMPTY);
			}

			@Override
			public boolean isReady() {
				return ready[0];
			}

		};
		RoutingHealthIndicator indicator = new RoutingHealthIndicator(source);
		assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
		ready[0] = true;
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
	}

}
