package dev.llmserve.controller.reconcile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.llmserve.controller.cluster.Replica;
import dev.llmserve.controller.cluster.Worker;

/**
 * Free GPUs per worker during one reconciliation, and the placement policy: a new replica
 * goes to a worker with enough free GPUs (ids no replica on it holds, reported or
 * pending), preferring the one with the fewest replicas of that deployment (spreading
 * it), then the one with the most free GPUs. Placing takes the GPUs, so that later
 * placements in the same pass see them used.
 */
final class Capacity {

	private final List<Node> nodes;

	private Capacity(List<Node> nodes) {
		this.nodes = nodes;
	}

	/**
	 * @param paused workers not to place on now (a start just failed there)
	 */
	static Capacity of(List<Worker> workers, Collection<PendingStart> pending, Set<String> paused) {
		List<Node> nodes = new ArrayList<>();
		for (Worker worker : workers) {
			Node node = new Node(worker.id(), worker.address(), worker.gpuIds(), paused.contains(worker.id()));
			worker.replicas().forEach(node::add);
			pending.stream().filter((start) -> start.workerId().equals(worker.id())).forEach(node::add);
			nodes.add(node);
		}
		return new Capacity(nodes);
	}

	/** Places one replica of the deployment, taking its GPUs; empty when nothing fits. */
	Optional<Placement> place(String deployment, int gpus) {
		Comparator<Node> preference = Comparator.comparingInt((Node node) -> node.replicasOf(deployment))
			.thenComparing(Comparator.comparingInt((Node node) -> node.free.size()).reversed())
			.thenComparing((node) -> node.id);
		return this.nodes.stream()
			.filter((node) -> !node.paused && node.free.size() >= gpus)
			.min(preference)
			.map((node) -> node.take(deployment, gpus));
	}

	/** Why nothing fits, for the deployment's status. */
	String describe() {
		if (this.nodes.isEmpty()) {
			return "no worker is registered";
		}
		return "free GPUs: " + this.nodes.stream()
			.map((node) -> "%s %d/%d%s".formatted(node.id, node.free.size(), node.total,
					node.paused ? " (paused after a failed start)" : ""))
			.collect(Collectors.joining(", "));
	}

	private static final class Node {

		final String id;

		final String address;

		final int total;

		final boolean paused;

		final List<String> free;

		final Map<String, Integer> replicasByDeployment = new HashMap<>();

		Node(String id, String address, List<String> gpuIds, boolean paused) {
			this.id = id;
			this.address = address;
			this.total = gpuIds.size();
			this.paused = paused;
			this.free = new ArrayList<>(gpuIds);
		}

		void add(Replica replica) {
			if (replica.holdsGpus()) {
				this.free.removeAll(replica.gpuIds());
			}
			if (replica.isLive()) {
				this.replicasByDeployment.merge(replica.deployment(), 1, Integer::sum);
			}
		}

		void add(PendingStart start) {
			this.free.removeAll(start.gpuIds());
			this.replicasByDeployment.merge(start.deployment(), 1, Integer::sum);
		}

		int replicasOf(String deployment) {
			return this.replicasByDeployment.getOrDefault(deployment, 0);
		}

		Placement take(String deployment, int gpus) {
			List<String> taken = new ArrayList<>(this.free.subList(0, gpus));
			Set<String> takenSet = new HashSet<>(taken);
			this.free.removeIf(takenSet::contains);
			this.replicasByDeployment.merge(deployment, 1, Integer::sum);
			return new Placement(this.id, this.address, taken);
		}

	}

}
