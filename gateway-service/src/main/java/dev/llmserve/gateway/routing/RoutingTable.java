package dev.llmserve.gateway.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable view of where every deployment's replicas are.
 *
 * @param version the version its source gave it (a controller's snapshot version, which
 * starts again when the controller restarts)
 * @param deployments deployment name to its replicas (possibly none ready, or none at
 * all)
 * @param maxConcurrentPerReplica deployment name to the concurrent requests one replica
 * should be given at most; absent or 0: the gateway's own setting
 * ({@code llmserve.gateway.admission.*})
 */
public record RoutingTable(long version, Map<String, List<Replica>> deployments,
		Map<String, Integer> maxConcurrentPerReplica) {

	/** A table with no deployments. */
	public static final RoutingTable EMPTY = new RoutingTable(0, Map.of());

	public RoutingTable {
		Map<String, List<Replica>> copy = new LinkedHashMap<>();
		deployments.forEach((name, replicas) -> copy.put(name, List.copyOf(replicas)));
		deployments = Collections.unmodifiableMap(copy);
		maxConcurrentPerReplica = Map.copyOf(maxConcurrentPerReplica);
	}

	/** A table without concurrency limits. */
	public RoutingTable(long version, Map<String, List<Replica>> deployments) {
		this(version, deployments, Map.of());
	}

	/** The replicas of a deployment, empty if it is unknown. */
	public List<Replica> replicas(String deployment) {
		return this.deployments.getOrDefault(deployment, List.of());
	}

	/**
	 * Whether the deployment is in the table, even if none of its replicas can take a
	 * request right now.
	 */
	public boolean contains(String deployment) {
		return this.deployments.containsKey(deployment);
	}

	/** Names of the deployments in the table, in table order. */
	public List<String> deploymentNames() {
		return List.copyOf(this.deployments.keySet());
	}

	/**
	 * Concurrent requests one replica of the deployment should get at most; 0: not set
	 * here.
	 */
	public int maxConcurrentPerReplica(String deployment) {
		return this.maxConcurrentPerReplica.getOrDefault(deployment, 0);
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
