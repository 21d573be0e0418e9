package dev.llmserve.gateway.snapshots;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.llmserve.gateway.routing.HostAndPort;
import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.routing.ReplicaState;
import dev.llmserve.gateway.routing.RoutingTable;
import dev.llmserve.proto.DeploymentRoutes;
import dev.llmserve.proto.ReplicaRoute;
import dev.llmserve.proto.RoutingSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the controller's {@link RoutingSnapshot} into the gateway's {@link RoutingTable}.
 * A replica the gateway could not call (no id, an address that is not {@code host:port})
 * is left out with a warning rather than failing the whole snapshot.
 */
final class RoutingSnapshots {

	private static final Logger logger = LoggerFactory.getLogger(RoutingSnapshots.class);

	private RoutingSnapshots() {
	}

	static RoutingTable toTable(RoutingSnapshot snapshot) {
		Map<String, List<Replica>> deployments = new LinkedHashMap<>();
		Map<String, Integer> limits = new HashMap<>();
		for (DeploymentRoutes routes : snapshot.getDeploymentsList()) {
			String name = routes.getName();
			if (name.isEmpty()) {
				logger.warn("Snapshot {} has a deployment without a name; skipped", snapshot.getVersion());
				continue;
			}
			deployments.put(name, replicas(routes));
			if (routes.getMaxConcurrentPerReplica() > 0) {
				limits.put(name, routes.getMaxConcurrentPerReplica());
			}
		}
		return new RoutingTable(snapshot.getVersion(), deployments, limits);
	}

	static ReplicaState state(dev.llmserve.proto.ReplicaState state) {
		return switch (state) {
			case REPLICA_READY -> ReplicaState.READY;
			case REPLICA_DRAINING -> ReplicaState.DRAINING;
			default -> ReplicaState.UNAVAILABLE;
		};
	}

	private static List<Replica> replicas(DeploymentRoutes routes) {
		List<Replica> replicas = new ArrayList<>(routes.getReplicasCount());
		for (ReplicaRoute route : routes.getReplicasList()) {
			replica(routes.getName(), route).ifPresent(replicas::add);
		}
		return replicas;
	}

	private static Optional<Replica> replica(String deployment, ReplicaRoute route) {
		try {
			if (route.getId().isEmpty()) {
				throw new IllegalArgumentException("id: \"\" (expected: a replica id)");
			}
			HostAndPort address = HostAndPort.parse("address", route.getAddress());
			return Optional.of(new Replica(route.getId(), deployment, address.host(), address.port(),
					state(route.getState()), route.getWorkerId(), route.getLoad()));
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Snapshot skips replica '{}' of {}: {}", route.getId(), deployment, ex.getMessage());
			return Optional.empty();
		}
	}

}
