package dev.llmserve.controller.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.llmserve.controller.local.supervision.ChildDefinition;
import dev.llmserve.controller.local.supervision.ChildState;
import dev.llmserve.controller.local.supervision.ChildStatus;
import dev.llmserve.controller.local.supervision.ProcessSupervisor;
import dev.llmserve.controller.nodes.Node;
import dev.llmserve.controller.nodes.NodeProvisioner;
import dev.llmserve.controller.nodes.NodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Local nodes: one worker-agent process per node on this machine, {@code local-0},
 * {@code local-1}, …, supervised (and adopted after a controller restart) like the
 * gateway. Requests made before {@link #activate()} wait for it: the controller's gRPC
 * port must be known before a worker can be told it.
 */
final class LocalNodeProvisioner implements NodeProvisioner {

	private static final Logger log = LoggerFactory.getLogger(LocalNodeProvisioner.class);

	private final ProcessSupervisor supervisor;

	private final IntFunction<ChildDefinition> workers;

	private final String advertiseHost;

	/**
	 * The indices of the nodes that run or are on their way, released ones until they are
	 * gone.
	 */
	private final Set<Integer> indices = new TreeSet<>();

	private int requestedBeforeActivation;

	private boolean active;

	/**
	 * @param workers the worker of index {@code i}: its id, ports and command
	 */
	LocalNodeProvisioner(ProcessSupervisor supervisor, IntFunction<ChildDefinition> workers, String advertiseHost) {
		this.supervisor = supervisor;
		this.workers = workers;
		this.advertiseHost = advertiseHost;
	}

	@Override
	public void ensureNodes(int count) {
		if (count < 0) {
			throw new IllegalArgumentException("count: %d (expected: >= 0)".formatted(count));
		}
		List<Integer> added = new ArrayList<>();
		synchronized (this) {
			if (!this.active) {
				this.requestedBeforeActivation = Math.max(this.requestedBeforeActivation, count);
				return;
			}
			for (int index = 0; this.indices.size() < count; index++) {
				if (this.indices.add(index)) {
					added.add(index);
				}
			}
		}
		runAll(added).subscribe();
	}

	@Override
	public List<Node> nodes() {
		List<Integer> current;
		synchronized (this) {
			current = List.copyOf(this.indices);
		}
		Map<String, ChildStatus> statuses = this.supervisor.status()
			.stream()
			.collect(Collectors.toMap(ChildStatus::id, (status) -> status));
		return current.stream().map(ChildDefinitions::workerId).map((id) -> node(id, statuses.get(id))).toList();
	}

	@Override
	public void release(String nodeId) {
		Optional<Integer> index = indexOf(nodeId);
		synchronized (this) {
			if (index.isEmpty() || !this.indices.contains(index.get())) {
				return;
			}
		}
		log.info("Releasing node {}", nodeId);
		this.supervisor.release(nodeId).doFinally((signal) -> {
			synchronized (this) {
				this.indices.remove(index.get());
			}
		}).subscribe();
	}

	/** The ids of the nodes asked for so far, before they are started. */
	synchronized Set<String> plannedIds() {
		IntStream planned = this.active ? this.indices.stream().mapToInt(Integer::intValue)
				: IntStream.range(0, this.requestedBeforeActivation);
		return planned.mapToObj(ChildDefinitions::workerId).collect(Collectors.toSet());
	}

	/**
	 * Starts (or adopts) the nodes asked for so far; completes once they all have a
	 * process.
	 */
	Mono<Void> activate() {
		List<Integer> added = new ArrayList<>();
		synchronized (this) {
			this.active = true;
			for (int index = 0; index < this.requestedBeforeActivation; index++) {
				if (this.indices.add(index)) {
					added.add(index);
				}
			}
		}
		return runAll(added);
	}

	private Mono<Void> runAll(List<Integer> added) {
		return Flux.fromIterable(added).flatMap((index) -> {
			ChildDefinition worker = this.workers.apply(index);
			return this.supervisor.run(worker)
				.doOnNext((status) -> log.info("Worker {}: gRPC {}:{} (logs: {})", status.id(), this.advertiseHost,
						status.ports().get(ChildDefinitions.GRPC_PORT), worker.logFile()))
				.onErrorResume((ex) -> {
					log.error("Could not start worker {}", worker.id(), ex);
					return Mono.empty();
				});
		}).then();
	}

	private Node node(String id, ChildStatus status) {
		if (status == null) {
			return new Node(id, NodeState.PENDING, null);
		}
		Integer grpc = status.ports().get(ChildDefinitions.GRPC_PORT);
		String address = (grpc != null && status.pid() != 0) ? this.advertiseHost + ":" + grpc : null;
		return new Node(id, stateOf(status.state()), address);
	}

	private static NodeState stateOf(ChildState state) {
		return switch (state) {
			case STARTING, RESTARTING -> NodeState.PENDING;
			case RUNNING -> NodeState.RUNNING;
			case STOPPING, STOPPED -> NodeState.TERMINATING;
		};
	}

	private static Optional<Integer> indexOf(String nodeId) {
		if (nodeId == null || !nodeId.startsWith(ChildDefinitions.WORKER_ID_PREFIX)) {
			return Optional.empty();
		}
		try {
			return Optional.of(Integer.parseInt(nodeId.substring(ChildDefinitions.WORKER_ID_PREFIX.length())));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

}
