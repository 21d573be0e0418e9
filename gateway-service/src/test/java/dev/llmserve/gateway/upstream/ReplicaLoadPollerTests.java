package dev.llmserve.gateway.upstream;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import dev.llmserve.gateway.routing.Lease;
import dev.llmserve.gateway.routing.LeastLoadedBalancer;
import dev.llmserve.gateway.routing.OutlierEjector;
import dev.llmserve.gateway.routing.ReplicaStatsRegistry;
import dev.llmserve.gateway.routing.RoutingProperties;
import dev.llmserve.gateway.support.FakeReplica;
import dev.llmserve.gateway.support.FixedRoutingTable;
import dev.llmserve.proto.ReplicaLoad;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReplicaLoadPollerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final String name = UUID.randomUUID().toString();

	private final FakeReplica live = FakeReplica.inProcess(this.name);

	private final FixedRoutingTable table = FixedRoutingTable.of("m", FixedRoutingTable.ready("m", 0, this.name, 1),
			FixedRoutingTable.ready("m", 1, this.name + "-missing", 1));

	private final ReplicaStatsRegistry stats = new ReplicaStatsRegistry(Clock.systemUTC());

	private final ReplicaChannelRegistry channels = new ReplicaChannelRegistry(
			(host, port) -> InProcessChannelBuilder.forName(host).directExecutor().build(), this.table,
			Duration.ofSeconds(10));

	private final RoutingProperties properties = new RoutingProperties(Map.of(), Duration.ofMillis(50),
			Duration.ofSeconds(1),
			new RoutingProperties.Ejection(true, Duration.ofSeconds(30), Duration.ofMinutes(2), 5, 50), null,
			new RoutingProperties.Watch(Duration.ofMillis(200), Duration.ofSeconds(5), 0.5, Duration.ofMinutes(5),
					Duration.ofSeconds(20), ""));

	private final ReplicaLoadPoller poller = new ReplicaLoadPoller(this.table, this.channels, this.stats,
			new OutlierEjector(this.table, this.stats, this.properties.ejection(), new SimpleMeterRegistry()),
			this.properties);

	private final LeastLoadedBalancer balancer = new LeastLoadedBalancer(this.table, this.stats, new Random());

	@AfterEach
	void close() {
		this.poller.stop();
		this.channels.destroy();
		this.live.close();
	}

	@Test
	void recordsTheLoadEachReplicaReports() {
		ReplicaLoad busy = ReplicaLoad.newBuilder().setEngineHealthy(true).setWaiting(3).setRunning(7).build();
		this.live.reportLoad(busy);
		StepVerifier.create(this.poller.pollAll()).expectComplete().verify(TIMEOUT);
		assertThat(this.stats.get("m-0").load()).isEqualTo(busy);
	}

	@Test
	void ejectsAReplicaItCannotReach() {
		StepVerifier.create(this.poller.pollAll()).expectComplete().verify(TIMEOUT);
		assertThat(this.stats.get("m-1").load()).isNull();
		assertThat(this.stats.get("m-1").isEjected()).isTrue();
		for (int i = 0; i < 10; i++) {
			Lease lease = this.balancer.pick("m", Set.of()).orElseThrow();
			assertThat(lease.replica().id()).isEqualTo("m-0");
			lease.release();
		}
	}

	@Test
	void forgetsReplicasThatLeftTheTable() {
		this.stats.get("gone-0").recordLoad(FakeReplica.IDLE);
		StepVerifier.create(this.poller.pollAll()).expectComplete().verify(TIMEOUT);
		this.table.set("m", List.of());
		StepVerifier.create(this.poller.pollAll()).expectComplete().verify(TIMEOUT);
		assertThat(this.stats.get("m-0").load()).isNull();
	}

	@Test
	void pollsAgainAtEveryIntervalOnceStarted() {
		this.poller.start();
		await().atMost(TIMEOUT).until(() -> this.live.loadCalls() >= 3);
		this.poller.stop();
		assertThat(this.poller.isRunning()).isFalse();
	}

}
