package dev.llmserve.gateway.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;

/**
 * A routing table fixed by configuration ({@code llmserve.gateway.routing.static.*});
 * every replica is {@link ReplicaState#READY}. Replica ids are
 * {@code <deployment>-<index>}; a deployment without addresses is left out.
 */
final class StaticRoutingTableSource implements RoutingTableSource {

	private final RoutingTable table;

	StaticRoutingTableSource(Map<String, List<String>> addresses) {
		this.table = new RoutingTable(1, replicas(addresses));
	}

	@Override
	public RoutingTable current() {
		return this.table;
	}

	@Override
	public Flux<RoutingTable> updates() {
		return Flux.just(this.table);
	}

	private static Map<String, List<Replica>> replicas(Map<String, List<String>> addresses) {
		Map<String, List<Replica>> deployments = new LinkedHashMap<>();
		addresses.forEach((deployment, list) -> {
			List<Replica> replicas = replicas(deployment, list);
			if (!replicas.isEmpty()) {
				deployments.put(deployment, replicas);
			}
		});
		return deployments;
	}

	private static List<Replica> replicas(String deployment, List<String> addresses) {
		List<Replica> replicas = new ArrayList<>();
		for (String address : addresses) {
			if (!address.isBlank()) {
				HostAndPort parsed = HostAndPort.parse("llmserve.gateway.routing.static." + deployment, address.trim());
				String id = deployment + "-" + replicas.size();
				replicas.add(new Replica(id, deployment, parsed.host(), parsed.port(), ReplicaState.READY));
			}
		}
		return replicas;
	}

}
