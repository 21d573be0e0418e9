package dev.llmserve.systemtests;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml, the Dockerfiles and the Prometheus and Grafana files they use are
 * consistent with each other and with the services' own configuration. No Docker engine
 * runs in CI, so this is what keeps {@code docker compose up} from rotting: every build
 * context, Dockerfile and COPY source exists (or is a jar the build makes), every
 * published port is one the service listens on, every mounted path exists, every service
 * has a health check, and what Prometheus and Grafana are given parses.
 */
class ComposeFileTests {

	private static final Path ROOT = ServiceProcess.root();

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Pattern LOCALHOST_PORT = Pattern.compile("localhost:(\\d+)");

	private final Map<String, Object> compose = yaml(ROOT.resolve("docker-compose.yml"));

	@Test
	void everyServiceHasAHealthCheck() {
		services().forEach((name, service) -> {
			Map<String, Object> healthcheck = map(service.get("healthcheck"));
			assertThat(healthcheck).as(name + " healthcheck").isNotEmpty();
			assertThat(healthcheck.get("test")).as(name + " healthcheck test").isNotNull();
		});
		assertThat(services()).containsKeys("controller", "gateway", "worker-1", "worker-2", "prometheus", "grafana");
	}

	@Test
	void everyBuildContextDockerfileAndCopySourceExists() throws IOException {
		for (var entry : services().entrySet()) {
			Map<String, Object> build = map(entry.getValue().get("build"));
			if (build.isEmpty()) {
				assertThat(entry.getValue().get("image")).as(entry.getKey() + ": build or a pinned image")
					.asString()
					.matches("[a-z0-9./-]+:v?\\d+\\.\\d+\\.\\d+");
				continue;
			}
			Path context = ROOT.resolve((String) build.get("context")).normalize();
			assertThat(context).as(entry.getKey() + " build context").isDirectory();
			Path dockerfile = context.resolve((String) build.getOrDefault("dockerfile", "Dockerfile"));
			assertThat(dockerfile).as(entry.getKey() + " Dockerfile").isRegularFile();
			List<String> lines = dockerfileInstructions(dockerfile);
			assertThat(lines).as(dockerfile + " base image")
				.first()
				.asString()
				.startsWith("FROM eclipse-temurin:17-jre");
			for (String line : lines) {
				if (line.startsWith("COPY ") && !line.contains("--from=")) {
					List<String> parts = List.of(line.substring(5).trim().split("\\s+"));
					for (String source : parts.subList(0, parts.size() - 1)) {
						assertThat(existsOrIsBuilt(context, source)).as(dockerfile + ": COPY " + source).isTrue();
					}
				}
			}
		}
	}

	@Test
	void theWorkerImageCarriesPythonAndTheReplicaJar() throws IOException {
		Path dockerfile = ROOT.resolve(dockerfileOf("worker-1"));
		String text = String.join("\n", dockerfileInstructions(dockerfile));
		assertThat(text).contains("python3").contains("replica-service/target/replica-service.jar");
		Map<String, Object> compose = springConfig("worker-agent");
		String replicaJar = (String) nested(compose, "llmserve.worker.replica-jar");
		assertThat(text).as("the replica jar where the compose profile looks for it").contains(" " + replicaJar);
	}

	@Test
	void everyPublishedPortAndHealthCheckIsAPortTheServiceListensOn() {
		services().forEach((name, service) -> {
			Set<Integer> listening = listeningPorts(name);
			assertThat(listening).as(name + " ports").isNotEmpty();
			for (Object mapping : list(service.get("ports"))) {
				String[] parts = mapping.toString().split(":");
				int containerPort = Integer.parseInt(parts[parts.length - 1].split("/")[0]);
				assertThat(listening).as(name + " publishes " + mapping).contains(containerPort);
			}
			Matcher health = LOCALHOST_PORT.matcher(String.valueOf(map(service.get("healthcheck")).get("test")));
			assertThat(health.find()).as(name + " healthcheck URL").isTrue();
			assertThat(listening).as(name + " healthcheck port").contains(Integer.parseInt(health.group(1)));
		});
	}

	@Test
	void everyMountedPathExistsAndEveryNamedVolumeIsDeclared() {
		Set<String> declared = map(this.compose.get("volumes")).keySet();
		services().forEach((name, service) -> {
			for (Object volume : list(service.get("volumes"))) {
				String source = volume.toString().split(":")[0];
				if (source.startsWith(".") || source.startsWith("/")) {
					assertThat(ROOT.resolve(source).normalize()).as(name + " mounts " + source).exists();
				}
				else {
					assertThat(declared).as(name + " uses volume " + source).contains(source);
				}
			}
			for (String dependency : map(service.get("depends_on")).keySet()) {
				assertThat(services()).as(name + " depends on " + dependency).containsKey(dependency);
			}
		});
	}

	@Test
	void prometheusScrapesEveryServiceByNameOnItsPortAndReadsTheControllersTargetList() {
		Map<String, Object> config = yaml(mountedFile("prometheus", "/etc/prometheus/prometheus.yml"));
		Set<String> scraped = new TreeSet<>();
		for (Map<String, Object> job : listOfMaps(config.get("scrape_configs"))) {
			assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
			for (Map<String, Object> group : listOfMaps(job.get("static_configs"))) {
				for (Object target : list(group.get("targets"))) {
					String[] hostPort = target.toString().split(":");
					assertThat(services()).as("scrape target " + target).containsKey(hostPort[0]);
					assertThat(listeningPorts(hostPort[0])).as("scrape target " + target)
						.contains(Integer.parseInt(hostPort[1]));
					scraped.add(hostPort[0]);
				}
			}
			for (Map<String, Object> fileSd : listOfMaps(job.get("file_sd_configs"))) {
				for (Object file : list(fileSd.get("files"))) {
					assertThat(controllerPathOf(file.toString())).as("file_sd " + file)
						.isEqualTo(Path.of("prometheus/targets.json"));
				}
			}
		}
		assertThat(scraped).containsExactlyInAnyOrder("controller", "gateway", "worker-1", "worker-2");
	}

	@Test
	void prometheusConfigurationsPassPromtool() throws Exception {
		Path promtool = Path.of("/usr/bin/promtool");
		Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool is not installed (apt-get install prometheus)");
		for (String file : List.of("prometheus.yml", "prometheus-compose.yml")) {
			Process process = new ProcessBuilder(promtool.toString(), "check", "config",
					ROOT.resolve("infra/prometheus").resolve(file).toString())
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes());
			assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).as(file + ": " + output).isZero();
		}
	}

	@Test
	void grafanaGetsItsProvisioningAndDashboardsThatParse() throws IOException {
		Map<String, Object> grafana = services().get("grafana");
		Map<String, Object> environment = map(grafana.get("environment"));
		Path provisioning = mountedFile("grafana", "/etc/grafana/provisioning");
		Map<String, Object> datasources = yaml(provisioning.resolve("datasources/prometheus.yml"));
		Map<String, Object> datasource = listOfMaps(datasources.get("datasources")).get(0);
		assertThat(datasource.get("url")).isEqualTo("${PROMETHEUS_URL}");
		URI prometheusUrl = URI.create(environment.get("PROMETHEUS_URL").toString());
		assertThat(listeningPorts(prometheusUrl.getHost())).contains(prometheusUrl.getPort());

		Map<String, Object> provider = listOfMaps(
				yaml(provisioning.resolve("dashboards/llmserve.yml")).get("providers"))
			.get(0);
		assertThat(map(provider.get("options")).get("path")).isEqualTo("${LLMSERVE_DASHBOARDS}");
		Path dashboards = mountedFile("grafana", environment.get("LLMSERVE_DASHBOARDS").toString());
		assertThat(mountedFile("grafana", environment.get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").toString()))
			.isRegularFile();

		List<Path> files;
		try (Stream<Path> list = Files.list(dashboards)) {
			files = list.filter((file) -> file.toString().endsWith(".json")).toList();
		}
		assertThat(files).hasSize(2);
		for (Path file : files) {
			JsonNode dashboard = JSON.readTree(file.toFile());
			assertThat(dashboard.path("uid").asText()).as(file + " uid").isNotBlank();
			assertThat(dashboard.path("title").asText()).as(file + " title").startsWith("llmserve — ");
			assertThat(dashboard.findValues("datasource")).as(file + " datasources")
				.allSatisfy((ds) -> assertThat(ds.path("uid").asText()).isEqualTo(datasource.get("uid")));
			assertThat(dashboard.findValuesAsText("expr")).as(file + " queries")
				.isNotEmpty()
				.allSatisfy((expr) -> assertThat(expr).contains("llmserve_"));
		}
	}

	// --- the services' own configuration

	/**
	 * The ports a service listens on: from its Spring configuration with the compose
	 * profile and its environment, or, for Prometheus and Grafana, from their settings.
	 */
	private Set<Integer> listeningPorts(String name) {
		Map<String, Object> service = services().get(name);
		Map<String, Object> environment = map(service.get("environment"));
		Set<Integer> ports = new TreeSet<>();
		if (name.equals("prometheus")) {
			for (Object argument : list(service.get("command"))) {
				if (argument.toString().startsWith("--web.listen-address=")) {
					ports.add(Integer.parseInt(argument.toString().replaceAll(".*:", "")));
				}
			}
			return ports;
		}
		if (name.equals("grafana")) {
			ports.add(Integer.parseInt(environment.getOrDefault("GF_SERVER_HTTP_PORT", "3000").toString()));
			return ports;
		}
		String module = dockerfileOf(name).getParent().toString();
		Map<String, Object> config = springConfig(module);
		ports.add(Integer.parseInt(environment.getOrDefault("SERVER_PORT", nested(config, "server.port")).toString()));
		Object grpc = environment.getOrDefault("SPRING_GRPC_SERVER_PORT", nested(config, "spring.grpc.server.port"));
		if (grpc != null) {
			ports.add(Integer.parseInt(grpc.toString()));
		}
		return ports;
	}

	/** The module's application.yml with its application-compose.yml over it. */
	private static Map<String, Object> springConfig(String module) {
		Path resources = ROOT.resolve(module).resolve("src/main/resources");
		Path composeProfile = resources.resolve("application-compose.yml");
		assertThat(composeProfile).as(module + " compose profile").isRegularFile();
		Map<String, Object> merged = new LinkedHashMap<>();
		merge(merged, yaml(resources.resolve("application.yml")));
		merge(merged, yaml(composeProfile));
		return merged;
	}

	/**
	 * A path in the controller's data directory that another container sees through the
	 * controller's data volume; fails if it is not on that volume.
	 */
	private Path controllerPathOf(String containerPath) {
		String dataDir = nested(springConfig("controller-service"), "llmserve.controller.data-dir").toString();
		Map<String, String> controllerVolumes = volumeTargets("controller");
		String volume = controllerVolumes.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().equals(dataDir))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElseThrow(() -> new AssertionError("the controller's data dir " + dataDir + " is not a volume"));
		String mountedAt = volumeTargets("prometheus").get(volume);
		assertThat(mountedAt).as("prometheus mounts " + volume).isNotNull();
		assertThat(containerPath).startsWith(mountedAt + "/");
		return Path.of(containerPath.substring(mountedAt.length() + 1));
	}

	/** Volume or host path → where it is mounted in the service's container. */
	private Map<String, String> volumeTargets(String name) {
		Map<String, String> targets = new HashMap<>();
		for (Object volume : list(services().get(name).get("volumes"))) {
			String[] parts = volume.toString().split(":");
			targets.put(parts[0], parts[1]);
		}
		return targets;
	}

	/** The host file or directory mounted at {@code containerPath} (or under it). */
	private Path mountedFile(String name, String containerPath) {
		for (var entry : volumeTargets(name).entrySet()) {
			if (containerPath.equals(entry.getValue()) || containerPath.startsWith(entry.getValue() + "/")) {
				Path path = ROOT.resolve(entry.getKey())
					.resolve(containerPath.substring(entry.getValue().length()).replaceFirst("^/", ""))
					.normalize();
				assertThat(path).as(name + ": " + containerPath).exists();
				return path;
			}
		}
		throw new AssertionError(name + " mounts nothing at " + containerPath);
	}

	private Path dockerfileOf(String name) {
		Map<String, Object> build = map(services().get(name).get("build"));
		return Path.of((String) build.get("dockerfile"));
	}

	/** Built by {@code ./mvnw package}: {@code <module>/target/<module>.jar}. */
	private static boolean existsOrIsBuilt(Path context, String source) {
		if (Files.exists(context.resolve(source))) {
			return true;
		}
		Matcher jar = Pattern.compile("([a-z-]+)/target/\\1\\.jar").matcher(source);
		return jar.matches() && Files.isRegularFile(context.resolve(jar.group(1)).resolve("pom.xml"));
	}

	/** Instructions with continuation lines joined and comments dropped. */
	private static List<String> dockerfileInstructions(Path dockerfile) throws IOException {
		List<String> instructions = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (String line : Files.readAllLines(dockerfile)) {
			if (line.isBlank() || line.trim().startsWith("#")) {
				continue;
			}
			String trimmed = line.trim();
			if (trimmed.endsWith("\\")) {
				current.append(trimmed, 0, trimmed.length() - 1).append(' ');
				continue;
			}
			instructions.add(current.append(trimmed).toString());
			current.setLength(0);
		}
		return instructions;
	}

	// --- YAML access

	private Map<String, Map<String, Object>> services() {
		Map<String, Map<String, Object>> services = new LinkedHashMap<>();
		map(this.compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
		return services;
	}

	private static Map<String, Object> yaml(Path file) {
		try {
			Map<String, Object> parsed = new Yaml().load(Files.readString(file));
			return (parsed != null) ? parsed : Map.of();
		}
		catch (IOException ex) {
			throw new AssertionError("cannot read " + file, ex);
		}
	}

	/** A dotted property from nested maps, as Spring reads YAML. */
	private static Object nested(Map<String, Object> config, String property) {
		Object value = config;
		for (String key : property.split("\\.")) {
			value = map(value).get(key);
		}
		return value;
	}

	@SuppressWarnings("unchecked")
	private static void merge(Map<String, Object> into, Map<String, Object> from) {
		from.forEach((key, value) -> {
			if (value instanceof Map<?, ?> nested && into.get(key) instanceof Map<?, ?> existing) {
				Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) existing);
				merge(copy, (Map<String, Object>) nested);
				into.put(key, copy);
			}
			else {
				into.put(key, value);
			}
		});
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

	private static List<?> list(Object value) {
		return (value instanceof List<?> list) ? list : List.of();
	}

	private static List<Map<String, Object>> listOfMaps(Object value) {
		return list(value).stream().map(ComposeFileTests::map).toList();
	}

}
