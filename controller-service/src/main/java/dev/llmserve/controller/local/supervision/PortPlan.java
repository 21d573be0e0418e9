package dev.llmserve.controller.local.supervision;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.llmserve.process.FreePorts;

/** Which ports a child gets: always the same ones, or free ones picked at each start. */
public interface PortPlan {

	/** The ports, by name, for a process about to be started. */
	Map<String, Integer> forNewProcess();

	/** Whether a running process that got {@code recorded} may keep them. */
	boolean accepts(Map<String, Integer> recorded);

	/** Always these ports. */
	static PortPlan fixed(Map<String, Integer> ports) {
		Map<String, Integer> copy = Map.copyOf(ports);
		return new PortPlan() {

			@Override
			public Map<String, Integer> forNewProcess() {
				return copy;
			}

			@Override
			public boolean accepts(Map<String, Integer> recorded) {
				return copy.equals(recorded);
			}

			@Override
			public String toString() {
				return "fixed " + copy;
			}

		};
	}

	/**
	 * Ports nobody listens on, picked anew for every process (tests, parallel clusters).
	 */
	static PortPlan ephemeral(String... names) {
		List<String> wanted = List.of(names);
		return new PortPlan() {

			@Override
			public Map<String, Integer> forNewProcess() {
				Map<String, Integer> ports = new LinkedHashMap<>();
				for (String name : wanted) {
					int port;
					do {
						port = FreePorts.find();
					}
					while (ports.containsValue(port));
					ports.put(name, port);
				}
				return Map.copyOf(ports);
			}

			@Override
			public boolean accepts(Map<String, Integer> recorded) {
				return recorded.keySet().equals(Set.copyOf(wanted));
			}

			@Override
			public String toString() {
				return "ephemeral " + wanted;
			}

		};
	}

}
