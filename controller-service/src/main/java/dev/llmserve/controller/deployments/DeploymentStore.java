package dev.llmserve.controller.deployments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The desired state: every deployment, kept in memory and persisted to a file before a
 * change becomes visible. Reads never block; changes write the file on
 * {@link Schedulers#boundedElastic()}, one at a time.
 */
public final class DeploymentStore {

	private static final Logger logger = LoggerFactory.getLogger(DeploymentStore.class);

	private final DeploymentFile file;

	private final Object writeLock = new Object();

	private final Sinks.Many<List<Deployment>> changes = Sinks.many().multicast().directBestEffort();

	private volatile Content content;

	DeploymentStore(DeploymentFile file) {
		this.file = file;
	}

	/**
	 * Opens the store kept in {@code file}: reads it (blocking) and applies the seeds it
	 * has never held.
	 * @throws DeploymentStoreException when the file exists but cannot be read
	 */
	public static DeploymentStore open(Path file, List<Deployment> seeds) {
		DeploymentStore store = new DeploymentStore(new DeploymentFile(file));
		store.load(seeds);
		return store;
	}

	/**
	 * Reads the file (blocking; once, at startup), then creates the seeds this store has
	 * never held.
	 * @throws DeploymentStoreException when the file exists but cannot be read
	 */
	void load(List<Deployment> seeds) {
		synchronized (this.writeLock) {
			StoredDeployments stored = this.file.read().orElseGet(StoredDeployments::empty);
			Content loaded = Content.of(stored);
			Content seeded = loaded.seed(seeds);
			if (!seeded.equals(loaded)) {
				this.file.write(seeded.toStored());
			}
			this.content = seeded;
			logger.info("Loaded {} deployment(s) from {}{}", seeded.deployments().size(), this.file.path(),
					describeSeeds(loaded, seeded));
		}
	}

	public boolean isLoaded() {
		return this.content != null;
	}

	public Path path() {
		return this.file.path();
	}

	/** Every deployment (those being deleted included), by name. */
	public List<Deployment> list() {
		return List.copyOf(content().deployments().values());
	}

	public Optional<Deployment> find(String name) {
		return Optional.ofNullable(content().deployments().get(name));
	}

	/** Each change's full list, to subscribers present at the time. */
	public Flux<List<Deployment>> changes() {
		return this.changes.asFlux();
	}

	public Mono<Deployment> create(Deployment deployment) {
		return change((deployments) -> {
			Deployment existing = deployments.get(deployment.name());
			if (existing != null) {
				throw new DeploymentConflictException(existing.deleting()
						? "deployment '%s' is being deleted; try again once it is gone".formatted(deployment.name())
						: "deployment '%s' already exists".formatted(deployment.name()));
			}
			deployments.put(deployment.name(), deployment);
			return deployment;
		});
	}

	public Mono<Deployment> scale(String name, int replicas) {
		return change((deployments) -> {
			Deployment scaled = existing(deployments, name, "scaled").withReplicas(replicas);
			deployments.put(name, scaled);
			return scaled;
		});
	}

	/**
	 * Marks the deployment deleting; its replicas drain, then {@link #remove} forgets it.
	 */
	public Mono<Deployment> delete(String name) {
		return change((deployments) -> {
			Deployment deployment = deployments.get(name);
			if (deployment == null) {
				throw new DeploymentNotFoundException(name);
			}
			Deployment deleting = deployment.asDeleting();
			deployments.put(name, deleting);
			return deleting;
		});
	}

	/** Forgets a deployment being deleted; does nothing for one that is not. */
	public Mono<Void> remove(String name) {
		return change((deployments) -> {
			Deployment deployment = deployments.get(name);
			if (deployment != null && deployment.deleting()) {
				deployments.remove(name);
			}
			return deployment;
		}).then();
	}

	private static Deployment existing(Map<String, Deployment> deployments, String name, String action) {
		Deployment deployment = deployments.get(name);
		if (deployment == null) {
			throw new DeploymentNotFoundException(name);
		}
		if (deployment.deleting()) {
			throw new DeploymentConflictException(
					"deployment '%s' is being deleted and cannot be %s".formatted(name, action));
		}
		return deployment;
	}

	/**
	 * Applies a change to a copy, persists it, then publishes it. A change that throws or
	 * cannot be written leaves everything as it was.
	 */
	private <T> Mono<T> change(Function<Map<String, Deployment>, T> change) {
		return Mono.fromCallable(() -> {
			synchronized (this.writeLock) {
				Content current = content();
				Map<String, Deployment> deployments = new TreeMap<>(current.deployments());
				T result = change.apply(deployments);
				Content changed = new Content(deployments, current.seeded());
				if (!changed.equals(current)) {
					this.file.write(changed.toStored());
					this.content = changed;
					this.changes.tryEmitNext(List.copyOf(deployments.values()));
				}
				return result;
			}
		}).subscribeOn(Schedulers.boundedElastic());
	}

	private Content content() {
		Content current = this.content;
		if (current == null) {
			throw new IllegalStateException("The deployment store is not loaded yet");
		}
		return current;
	}

	private static String describeSeeds(Content before, Content after) {
		Set<String> added = new LinkedHashSet<>(after.deployments().keySet());
		added.removeAll(before.deployments().keySet());
		return added.isEmpty() ? "" : "; created from configuration: " + String.join(", ", added);
	}

	private record Content(Map<String, Deployment> deployments, Set<String> seeded) {

		static Content of(StoredDeployments stored) {
			Map<String, Deployment> deployments = new TreeMap<>();
			stored.deployments().forEach((deployment) -> deployments.put(deployment.name(), deployment));
			return new Content(deployments, new LinkedHashSet<>(stored.seeded()));
		}

		/** Seeds count once per store: one an operator deleted is not created again. */
		Content seed(Collection<Deployment> seeds) {
			Map<String, Deployment> deployments = new TreeMap<>(this.deployments);
			Set<String> seeded = new LinkedHashSet<>(this.seeded);
			for (Deployment seed : seeds) {
				if (seeded.add(seed.name())) {
					deployments.putIfAbsent(seed.name(), seed);
				}
			}
			return new Content(deployments, seeded);
		}

		StoredDeployments toStored() {
			return new StoredDeployments(StoredDeployments.CURRENT_VERSION, new ArrayList<>(this.deployments.values()),
					new ArrayList<>(this.seeded));
		}

	}

}
