package dev.llmserve.controller.deployments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import static dev.llmserve.controller.deployments.Deployments.sim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DeploymentStoreTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@TempDir
	Path directory;

	private Path file() {
		return this.directory.resolve("data").resolve("deployments.json");
	}

	@Test
	void aMissingFileStartsAnEmptyStore() {
		DeploymentStore store = DeploymentStore.open(file(), List.of());

		assertThat(store.isLoaded()).isTrue();
		assertThat(store.list()).isEmpty();
		assertThat(file()).doesNotExist();
	}

	@Test
	void changesAreWrittenBeforeTheyAreAnsweredAndReadBackOnTheNextStart() {
		DeploymentStore store = DeploymentStore.open(file(), List.of());
		store.create(sim("a", 2)).block(TIMEOUT);
		store.create(sim("b", 1)).block(TIMEOUT);
		store.scale("a", 5).block(TIMEOUT);
		store.delete("b").block(TIMEOUT);

		DeploymentStore reopened = DeploymentStore.open(file(), List.of());

		assertThat(reopened.list()).containsExactly(sim("a", 5), sim("b", 1).asDeleting());
		assertThat(this.directory.resolve("data")).isDirectoryNotContaining("glob:**.tmp");
	}

	@Test
	void aCorruptFileStopsTheStoreFromLoadingAndNamesTheFile() throws IOException {
		Files.createDirectories(file().getParent());
		Files.writeString(file(), "{\"version\":1,\"deployments\":[{\"name\":\"a\"");

		assertThatExceptionOfType(DeploymentStoreException.class)
			.isThrownBy(() -> DeploymentStore.open(file(), List.of(sim("seed", 1))))
			.withMessageContaining(file().toString())
			.withMessageContaining("corrupt");
		assertThat(Files.readString(file())).as("left as it was").startsWith("{\"version\":1");
	}

	@Test
	void aFileWithAnInvalidDeploymentIsCorrupt() throws IOException {
		Files.createDirectories(file().getParent());
		Files.writeString(file(), """
				{"version":1,"deployments":[{"name":"Not Valid","model":"m",
				"engine":{"kind":"sim","profile":"instant"},"gpusPerReplica":1,"replicas":1,
				"maxConcurrentPerReplica":0,"drainTimeoutSeconds":30,"deleting":false}]}""");

		assertThatExceptionOfType(DeploymentStoreException.class)
			.isThrownBy(() -> DeploymentStore.open(file(), List.of()))
			.withMessageContaining(file().toString())
			.withMessageContaining("Not Valid");
	}

	@Test
	void anUnreadableFileStopsTheStoreFromLoading() throws IOException {
		Files.createDirectories(file());

		assertThatExceptionOfType(DeploymentStoreException.class)
			.isThrownBy(() -> DeploymentStore.open(file(), List.of()))
			.withMessageContaining(file().toString())
			.withMessageContaining("cannot be read");
	}

	@Test
	void seedsAreCreatedOnlyWhenTheStoreHasNeverHeldThem() {
		DeploymentStore store = DeploymentStore.open(file(), List.of(sim("seed", 2)));
		store.scale("seed", 4).block(TIMEOUT);
		assertThat(DeploymentStore.open(file(), List.of(sim("seed", 2))).find("seed")).contains(sim("seed", 4));

		store.delete("seed").then(store.remove("seed")).block(TIMEOUT);

		assertThat(DeploymentStore.open(file(), List.of(sim("seed", 2), sim("new", 1))).list())
			.containsExactly(sim("new", 1));
	}

	@Test
	void aDuplicateNameConflicts() {
		DeploymentStore store = DeploymentStore.open(file(), List.of());
		store.create(sim("a", 1)).block(TIMEOUT);

		StepVerifier.create(store.create(sim("a", 3)))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(DeploymentConflictException.class)
				.hasMessage("deployment 'a' already exists"))
			.verify(TIMEOUT);
		assertThat(store.find("a")).contains(sim("a", 1));
	}

	@Test
	void aDeploymentBeingDeletedCannotBeScaled() {
		DeploymentStore store = DeploymentStore.open(file(), List.of());
		store.create(sim("a", 1)).then(store.delete("a")).block(TIMEOUT);

		StepVerifier.create(store.scale("a", 3)).expectError(DeploymentConflictException.class).verify(TIMEOUT);
	}

	@Test
	void unknownDeploymentsAreNotFound() {
		DeploymentStore store = DeploymentStore.open(file(), List.of());

		StepVerifier.create(store.scale("x", 3)).expectError(DeploymentNotFoundException.class).verify(TIMEOUT);
		StepVerifier.create(store.delete("x")).expectError(DeploymentNotFoundException.class).verify(TIMEOUT);
	}

	@Test
	void removeForgetsOnlyADeploymentBeingDeleted() {
		DeploymentStore store = DeploymentStore.open(file(), List.of());
		store.create(sim("a", 1)).then(store.remove("a")).block(TIMEOUT);
		assertThat(store.find("a")).isPresent();

		store.delete("a").then(store.remove("a")).block(TIMEOUT);
		assertThat(store.find("a")).isEmpty();
		assertThat(DeploymentStore.open(file(), List.of()).list()).isEmpty();
	}

	@Test
	void announcesEveryChangeWithTheFullList() {
		DeploymentStore store = DeploymentStore.open(file(), List.of());

		StepVerifier.create(store.changes())
			.then(() -> store.create(sim("a", 1)).block(TIMEOUT))
			.expectNext(List.of(sim("a", 1)))
			.then(() -> store.scale("a", 2).block(TIMEOUT))
			.expectNext(List.of(sim("a", 2)))
			.thenCancel()
			.verify(TIMEOUT);
	}

}
