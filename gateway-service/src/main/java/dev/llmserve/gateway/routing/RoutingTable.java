package dev.llmserve.gateway.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable view of where every deployment's replicas are.
 *
 * @param version increases with every change; lets consumers ignore stale tables
 * @param deployments deployment name to its replicas
 */
public record RoutingTable(long version, Map<String, List<Replica>> deployments) {

	/** A table with no deployments. */
	public static final RoutingTable EMPTY = new RoutingTable(0, Map.of());

	public RoutingTable {
		Map<String, List<Replica>> copy = new LinkedHashMap<>();
		deployments.forEach((name, replicas) -> copy.put(name, List.copyOf(replicas)));
		deployments = Collections.unmodifiableMap(copy);
	}

	/** The replicas of a deployment, empty if it is unknown. */
	public List<Replica> replicas(String deployment) {
		return this.deployments.getOrDefault(deployment, List.of());
	}

	/** Whether the deployment has at least one replica (in any state). */
	public boolean routes(String deployment) {
		return !replicas(deployment).isEmpty();
	}

	/** Names of the deployments that have at least one replica, in table order. */
	public List<String> routedDeployments() {
		return this.deployments.keySet().stream().filter(this::routes).toList();
	}

	/** Every replica of every deployment. */
	public List<Replica> allReplicas() {
		return this.deployments.values().stream().flatMap(List::stream).toList();
	}

	/** The distinct gRPC addresses in the table. */
	public Set<String> addresses() {
		return Set.copyOf(allReplicas().stream().map(Replica::address).toList());
	}

	/** Whether at least one replica is in the table. */
	public boolean hasReplicas() {
		return this.deployments.values().stream().anyMatch((replicas) -> !replicas.isEmpty());
	}

}
