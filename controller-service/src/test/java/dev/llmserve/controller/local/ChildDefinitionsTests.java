package dev.llmserve.controller.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.llmserve.controller.local.supervision.ChildDefinition;
import dev.llmserve.controller.local.supervision.HealthCheck;
import dev.llmserve.controller.local.supervision.RestartPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChildDefinitionsTests {

	private static final Path JAVA = Path.of("/opt/jdk/bin/java");

	private static final JarLaunch GATEWAY_JAR = JarLaunch
		.plain(Path.of("/repo/gateway-service/target/gateway-service.jar"));

	private static final JarLaunch WORKER_JAR = JarLaunch.plain(Path.of("/repo/worker-agent/target/worker-agent.jar"));

	@Test
	void theGatewayRunsFromItsJarOnItsPortAndIsToldWhereTheControllerIs() {
		ChildDefinition gateway = definitions(properties(8000, 9300)).gateway();

		assertThat(gateway.id()).isEqualTo("gateway");
		assertThat(gateway.logFile()).isEqualTo(Path.of("data/logs/gateway.log"));
		assertThat(gateway.ports().forNewProcess()).isEqualTo(Map.of("http", 8000));
		assertThat(gateway.command().apply(Map.of("http", 8000))).containsExactly("/opt/jdk/bin/java", "-Xmx1g", "-jar",
				"/repo/gateway-service/target/gateway-service.jar", "--server.port=8000",
				"--llmserve.gateway.routing.controller=127.0.0.1:9090");
	}

	@Test
	void workerIListensOnBasePortPlusTwoIForGrpcAndTheNextForHttp() {
		ChildDefinition worker = definitions(properties(8000, 9300)).worker(1);

		assertThat(worker.id()).isEqualTo("local-1");
		assertThat(worker.logFile()).isEqualTo(Path.of("data/logs/worker-local-1.log"));
		Map<String, Integer> ports = worker.ports().forNewProcess();
		assertThat(ports).isEqualTo(Map.of("grpc", 9302, "http", 9303));
		assertThat(worker.command().apply(ports)).containsExactly("/opt/jdk/bin/java", "-Xmx512m", "-jar",
				"/repo/worker-agent/target/worker-agent.jar", "--llmserve.worker.id=local-1",
				"--llmserve.worker.controller=127.0.0.1:9090", "--llmserve.worker.gpus=2",
				"--spring.grpc.server.port=9302", "--server.port=9303");
	}

	@Test
	void portZeroGivesFreePortsForEveryNewProcess() {
		ChildDefinitions definitions = definitions(properties(0, 0));

		Map<String, Integer> gateway = definitions.gateway().ports().forNewProcess();
		Map<String, Integer> worker = definitions.worker(0).ports().forNewProcess();

		assertThat(gateway.get("http")).isPositive();
		assertThat(worker.get("grpc")).isPositive().isNotEqualTo(worker.get("http"));
		assertThat(definitions.worker(0).ports().accepts(Map.of("grpc", 40001, "http", 40002))).isTrue();
	}

	@Test
	void theControllerAddressIsAskedWhenACommandIsBuilt() {
		String[] controller = { "127.0.0.1:9090" };
		ChildDefinitions definitions = new ChildDefinitions(properties(8000, 9300), Path.of("data"), JAVA, GATEWAY_JAR,
				WORKER_JAR, () -> controller[0]);
		ChildDefinition gateway = definitions.gateway();

		controller[0] = "127.0.0.1:41234";

		assertThat(gateway.command().apply(Map.of("http", 8000)))
			.contains("--llmserve.gateway.routing.controller=127.0.0.1:41234");
	}

	private static ChildDefinitions definitions(LocalProperties properties) {
		return new ChildDefinitions(properties, Path.of("data"), JAVA, GATEWAY_JAR, WORKER_JAR, () -> "127.0.0.1:9090");
	}

	private static LocalProperties properties(int gatewayPort, int basePort) {
		return new LocalProperties(true, new LocalProperties.Gateway(null, gatewayPort, List.of("-Xmx1g"), true),
				new LocalProperties.Workers(2, null, basePort, 2, List.of("-Xmx512m")),
				new HealthCheck("/actuator/health/liveness", Duration.ofSeconds(1), Duration.ofSeconds(1), 3,
						Duration.ofSeconds(60), Duration.ofSeconds(30)),
				new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10)),
				Duration.ofSeconds(20), JAVA);
	}

}
