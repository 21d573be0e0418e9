package dev.llmserve.loadgen.client;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkInspectorTests {

	@Test
	void aChunkWithChoicesTimesAToken() {
		assertThat(kind("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" a\"}}]}"))
			.isEqualTo(ChunkKind.CHOICES);
		assertThat(kind("{\"choices\" : [ {\"text\":\"a\"} ]}")).isEqualTo(ChunkKind.CHOICES);
	}

	@Test
	void theUsageChunkHasNoChoices() {
		String usage = "{\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}}";

		assertThat(kind(usage)).isEqualTo(ChunkKind.NO_CHOICES);
		assertThat(ChunkInspector.hasUsage(bytes(usage), usage.length())).isTrue();
		String nullUsage = "{\"choices\":[{\"text\":\"a\"}],\"usage\":null}";
		assertThat(ChunkInspector.hasUsage(bytes(nullUsage), nullUsage.length())).isFalse();
	}

	@Test
	void textThatMentionsChoicesIsNotAKey() {
		assertThat(kind("{\"choices\":[],\"note\":\"the \\\"choices\\\":[1] text\"}")).isEqualTo(ChunkKind.NO_CHOICES);
	}

	@Test
	void errorEventsInBothVllmShapesAreErrors() {
		assertThat(kind("{\"error\":{\"message\":\"boom\",\"type\":\"InternalServerError\",\"code\":500}}"))
			.isEqualTo(ChunkKind.ERROR);
		assertThat(kind("{\"object\":\"error\",\"message\":\"boom\",\"code\":500}")).isEqualTo(ChunkKind.ERROR);
	}

	@Test
	void doneEndsTheStream() {
		assertThat(kind("[DONE]")).isEqualTo(ChunkKind.DONE);
	}

	@Test
	void theRoleAnnouncementIsNotAToken() {
		String role = "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}";
		String first = "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\" Hi\"}}]}";

		assertThat(ChunkInspector.isRoleOnly(bytes(role), role.length())).isTrue();
		assertThat(ChunkInspector.isRoleOnly(bytes(first), first.length())).isFalse();
	}

	private static ChunkKind kind(String data) {
		return ChunkInspector.kind(bytes(data), bytes(data).length);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
