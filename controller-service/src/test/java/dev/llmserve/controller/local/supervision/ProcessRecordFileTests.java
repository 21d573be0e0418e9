package dev.llmserve.controller.local.supervision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ProcessRecordFileTests {

	@TempDir
	Path dataDir;

	private final ChildRecord gateway = new ChildRecord("gateway", "gateway", 101,
			Instant.parse("2026-01-10T08:00:00.120Z"), Map.of("http", 8000), List.of("java", "-jar", "g.jar"));

	private final ChildRecord worker = new ChildRecord("worker", "local-0", 102,
			Instant.parse("2026-01-10T08:00:01.370Z"), Map.of("grpc", 9300, "http", 9301),
			List.of("java", "-jar", "w.jar"));

	@Test
	void aNewFileReadsWhatTheOldOneWrote() {
		Path path = this.dataDir.resolve("local/processes.json");
		ProcessRecordFile file = new ProcessRecordFile(path);
		file.put(this.worker);
		file.put(this.gateway);

		ProcessRecordFile reread = new ProcessRecordFile(path);

		assertThat(reread.all()).containsExactly(this.gateway, this.worker);
		assertThat(reread.find("local-0")).contains(this.worker);
	}

	@Test
	void putReplacesTheRecordWithTheSameIdAndRemoveForgetsIt() {
		Path path = this.dataDir.resolve("processes.json");
		ProcessRecordFile file = new ProcessRecordFile(path);
		file.put(this.gateway);
		ChildRecord restarted = new ChildRecord("gateway", "gateway", 555, Instant.parse("2026-01-10T09:00:00Z"),
				Map.of("http", 8000), List.of("java"));
		file.put(restarted);
		file.put(this.worker);
		file.remove("local-0");

		assertThat(new ProcessRecordFile(path).all()).containsExactly(restarted);
	}

	@Test
	void writesByReplacingTheWholeFileSoNoTemporaryFileIsLeft() throws IOException {
		Path path = this.dataDir.resolve("processes.json");
		new ProcessRecordFile(path).put(this.gateway);

		try (var files = Files.list(this.dataDir)) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactly("processes.json");
		}
		assertThat(Files.readString(path)).contains("\"startInstant\" : \"2026-01-10T08:00:00.120Z\"");
	}

	@Test
	void startsEmptyWithoutAFile() {
		assertThat(new ProcessRecordFile(this.dataDir.resolve("none.json")).all()).isEmpty();
	}

	@Test
	void refusesAnUnreadableFileAndSaysWhatToDo() throws IOException {
		Path path = this.dataDir.resolve("processes.json");
		Files.writeString(path, "{\"processes\": [ {\"id\": ");

		assertThatIllegalStateException().isThrownBy(() -> new ProcessRecordFile(path))
			.withMessageContaining(path.toString())
			.withMessageContaining("delete the file");
	}

}
