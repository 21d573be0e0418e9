package dev.llmserve.loadgen.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.llmserve.loadgen.client.ClientSpec;
import dev.llmserve.loadgen.load.LoadShape;
import dev.llmserve.loadgen.load.RunLimits;
import dev.llmserve.loadgen.metrics.Slo;
import dev.llmserve.loadgen.workload.ApiKind;
import dev.llmserve.loadgen.workload.TokenRange;
import dev.llmserve.loadgen.workload.WorkloadSpec;

/**
 * Turns the command line into {@link LoadgenOptions}. Accepts {@code --flag value} and
 * {@code --flag=value}; every error is an {@link IllegalArgumentException} that names the
 * flag and what it expects.
 */
public final class OptionsParser {

	private static final int CONNECTION_HEADROOM = 64;

	private static final int UNLIMITED_CONNECTIONS = 16_384;

	private OptionsParser() {
	}

	public static LoadgenOptions parse(String... args) {
		Map<String, String> values = read(args);
		if (values.containsKey("help")) {
			return new LoadgenOptions(null, null, null, null, null, null, null, false, true);
		}
		LoadShape shape = shape(values);
		WorkloadSpec workload = workload(values);
		RunLimits limits = new RunLimits(duration(values, "warmup", "0s"), duration(values, "duration", "60s"),
				duration(values, "drain", "30s"), longValue(values, "num-requests", Long.MAX_VALUE));
		Slo slo = values.containsKey("slo") ? Slo.parse(values.get("slo")) : Slo.NONE;
		Path out = values.containsKey("out") ? Path.of(values.get("out")) : null;
		return new LoadgenOptions(client(values, shape), workload, shape, limits, slo, out, values.get("label"),
				values.containsKey("quiet"), false);
	}

	private static Map<String, String> read(String[] args) {
		Map<String, String> values = new HashMap<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("%s (expected: a flag starting with --; see --help)".formatted(arg));
			}
			String name = arg.substring(2);
			String value = null;
			int equals = name.indexOf('=');
			if (equals >= 0) {
				value = name.substring(equals + 1);
				name = name.substring(0, equals);
			}
			Flag flag = Flags.BY_NAME.get(name);
			if (flag == null) {
				throw new IllegalArgumentException("--%s: unknown flag (see --help)".formatted(name));
			}
			if (!flag.isSwitch() && value == null) {
				if (i + 1 >= args.length) {
					throw new IllegalArgumentException(
							"--%s: missing value (expected: %s)".formatted(name, flag.value()));
				}
				value = args[++i];
			}
			values.put(name, (value != null) ? value : "true");
		}
		return values;
	}

	private static LoadShape shape(Map<String, String> values) {
		if (values.containsKey("rate")) {
			if (values.containsKey("users") || values.containsKey("spawn-rate")) {
				throw new IllegalArgumentException("rate: with users (expected: --rate or --users, not both)");
			}
			double rate = doubleValue(values, "rate", 0);
			int maxConcurrency = (int) longValue(values, "max-concurrency", Integer.MAX_VALUE);
			if (Double.isInfinite(rate) && maxConcurrency == Integer.MAX_VALUE && !values.containsKey("num-requests")) {
				throw new IllegalArgumentException(
						"rate: inf (expected: with --max-concurrency or --num-requests, or the load is unbounded)");
			}
			return new LoadShape.OpenLoop(rate, doubleValue(values, "burstiness", 1.0), maxConcurrency);
		}
		if (values.containsKey("burstiness") || values.containsKey("max-concurrency")) {
			throw new IllegalArgumentException("burstiness/max-concurrency: without --rate (expected: open loop only)");
		}
		return new LoadShape.ClosedLoop((int) longValue(values, "users", 10),
				doubleValue(values, "spawn-rate", Double.POSITIVE_INFINITY));
	}

	private static WorkloadSpec workload(Map<String, String> values) {
		return new WorkloadSpec(ApiKind.parse(values.getOrDefault("api", "chat")),
				values.getOrDefault("model", "tinyllama"),
				TokenRange.parse("input-tokens", values.getOrDefault("input-tokens", "256")),
				TokenRange.parse("max-tokens", values.getOrDefault("max-tokens", "128")),
				values.containsKey("ignore-eos"), (int) longValue(values, "prefix-groups", 0),
				(int) longValue(values, "prefix-tokens", 0), longValue(values, "seed", 0));
	}

	private static ClientSpec client(Map<String, String> values, LoadShape shape) {
		List<URI> targets = values.containsKey("targets") ? uris("targets", values.get("targets"))
				: uris("url", values.getOrDefault("url", "http://127.0.0.1:8000"));
		if (values.containsKey("targets") && values.containsKey("url")) {
			throw new IllegalArgumentException("targets: with url (expected: --url or --targets, not both)");
		}
		int concurrency = (shape instanceof LoadShape.ClosedLoop closed) ? closed.users()
				: ((LoadShape.OpenLoop) shape).maxConcurrency();
		long defaultConnections = (concurrency == Integer.MAX_VALUE) ? UNLIMITED_CONNECTIONS
				: (long) concurrency + CONNECTION_HEADROOM;
		List<String> binds = values.containsKey("bind-addresses")
				? Arrays.stream(values.get("bind-addresses").split(",")).map(String::trim).toList() : List.of();
		return new ClientSpec(targets, duration(values, "timeout", "10m"), duration(values, "idle-timeout", "60s"),
				duration(values, "connect-timeout", "5s"),
				(int) longValue(values, "max-connections", defaultConnections),
				(int) longValue(values, "io-threads", Runtime.getRuntime().availableProcessors()), binds);
	}

	private static List<URI> uris(String name, String value) {
		try {
			return Arrays.stream(value.split(","))
				.map(String::trim)
				.filter((s) -> !s.isEmpty())
				.map(URI::create)
				.toList();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("%s: %s (expected: http://host:port[,...])".formatted(name, value));
		}
	}

	private static Duration duration(Map<String, String> values, String name, String defaultValue) {
		return Durations.parse(name, values.getOrDefault(name, defaultValue));
	}

	private static long longValue(Map<String, String> values, String name, long defaultValue) {
		String value = values.get(name);
		if (value == null) {
			return defaultValue;
		}
		try {
			long parsed = Long.parseLong(value.trim());
			if (parsed >= 0 && parsed <= Integer.MAX_VALUE) {
				return parsed;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException("%s: %s (expected: an integer >= 0)".formatted(name, value));
	}

	private static double doubleValue(Map<String, String> values, String name, double defaultValue) {
		String value = values.get(name);
		if (value == null) {
			return defaultValue;
		}
		if (value.trim().equalsIgnoreCase("inf")) {
			return Double.POSITIVE_INFINITY;
		}
		try {
			return Double.parseDouble(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("%s: %s (expected: a number)".formatted(name, value));
		}
	}

}
