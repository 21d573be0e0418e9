package dev.llmserve.controller.discovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ScrapeTargetsFileTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	Path dir;

	@Test
	void writesOneTargetGroupPerTargetInPrometheusFileSdShape() throws IOException {
		ScrapeTargetsFile file = new ScrapeTargetsFile(this.dir.resolve("prometheus/targets.json"));

		file.write(List.of(
				new ScrapeTarget("127.0.0.1:7002",
						Map.of("service", "replica", "deployment", "chat", "replica", "chat-a", "worker", "w1")),
				new ScrapeTarget("127.0.0.1:7001", Map.of("service", "gateway"))));

		JsonNode groups = JSON.readTree(file.path().toFile());
		assertThat(groups.isArray()).isTrue();
		assertThat(groups).hasSize(2);
		assertThat(groups.get(0).path("targets")).singleElement()
			.satisfies((t) -> assertThat(t.asText()).isEqualTo("127.0.0.1:7001"));
		assertThat(groups.get(0).path("labels").properties()).hasSize(1);
		assertThat(groups.get(0).path("labels").path("service").asText()).isEqualTo("gateway");
		JsonNode replica = groups.get(1);
		assertThat(replica.path("targets").get(0).asText()).isEqualTo("127.0.0.1:7002");
		assertThat(replica.path("labels").path("service").asText()).isEqualTo("replica");
		assertThat(replica.path("labels").path("deployment").asText()).isEqualTo("chat");
		assertThat(replica.path("labels").path("replica").asText()).isEqualTo("chat-a");
		assertThat(replica.path("labels").path("worker").asText()).isEqualTo("w1");
	}

	@Test
	void anEmptyListIsAnEmptyJsonArray() throws IOException {
		ScrapeTargetsFile file = new ScrapeTargetsFile(this.dir.resolve("targets.json"));

		assertThat(file.write(List.of())).isTrue();

		assertThat(JSON.readTree(file.path().toFile()).isArray()).isTrue();
		assertThat(JSON.readTree(file.path().toFile())).isEmpty();
	}

	@Test
	void replacesTheFileByRenameSoThatNoReaderSeesItHalfWritten() throws IOException {
		ScrapeTargetsFile file = new ScrapeTargetsFile(this.dir.resolve("targets.json"));
		file.write(List.of(new ScrapeTarget("127.0.0.1:7001", Map.of("service", "gateway"))));
		String before = Files.readString(file.path());
		Object inodeBefore = fileKey(file.path());

		try (FileChannel reader = FileChannel.open(file.path())) {
			file.write(List.of(new ScrapeTarget("127.0.0.1:7003", Map.of("service", "worker", "worker", "w1"))));

			// A reader that opened the old file still reads it whole: the new contents
			// went into another file that was moved over the name, not into this one.
			assertThat(readAll(reader)).isEqualTo(before);
		}
		assertThat(fileKey(file.path())).isNotEqualTo(inodeBefore);
		assertThat(Files.readString(file.path())).contains("127.0.0.1:7003").doesNotContain("127.0.0.1:7001");
		try (var files = Files.list(this.dir)) {
			assertThat(files).as("no temporary file left").containsExactly(file.path());
		}
	}

	@Test
	void anUnchangedListLeavesTheFileAlone() throws IOException {
		ScrapeTargetsFile file = new ScrapeTargetsFile(this.dir.resolve("targets.json"));
		List<ScrapeTarget> targets = List.of(new ScrapeTarget("127.0.0.1:7001", Map.of("service", "gateway")));
		file.write(targets);
		Object inode = fileKey(file.path());

		assertThat(file.write(List.copyOf(targets))).isFalse();

		assertThat(fileKey(file.path())).isEqualTo(inode);
	}

	@Test
	void aDeletedFileIsWrittenAgainEvenWhenTheListIsTheSame() throws IOException {
		ScrapeTargetsFile file = new ScrapeTargetsFile(this.dir.resolve("targets.json"));
		List<ScrapeTarget> targets = List.of(new ScrapeTarget("127.0.0.1:7001", Map.of("service", "gateway")));
		file.write(targets);
		Files.delete(file.path());

		assertThat(file.write(targets)).isTrue();

		assertThat(Files.readString(file.path())).contains("127.0.0.1:7001");
	}

	private static Object fileKey(Path path) throws IOException {
		return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
	}

	private static String readAll(FileChannel channel) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
		channel.read(buffer, 0);
		return new String(buffer.array(), StandardCharsets.UTF_8);
	}

}
