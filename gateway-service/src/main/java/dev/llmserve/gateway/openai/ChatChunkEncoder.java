package dev.llmserve.gateway.openai;

import dev.llmserve.gateway.JsonStrings;
import dev.llmserve.proto.GenerateChunk;

/**
 * {@code chat.completion.chunk} events and the {@code chat.completion} answer. The role
 * event goes out together with the first token, never before it, because clients time the
 * first token by it.
 */
final class ChatChunkEncoder extends ChunkEncoder {

	private static final String ROLE_CHOICE = "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
			+ "\"logprobs\":null,\"finish_reason\":null}]}\n\n";

	ChatChunkEncoder(String requestId, long created, String model) {
		super("chatcmpl-" + requestId, created, model, "chat.completion.chunk");
	}

	@Override
	String events(GenerateChunk chunk, boolean first) {
		if (chunk.getText().isEmpty() && !isFinal(chunk)) {
			return null;
		}
		StringBuilder out = new StringBuilder(512 + chunk.getText().length());
		if (first) {
			appendEventStart(out).append(ROLE_CHOICE);
		}
		appendEventStart(out).append("{\"index\":0,\"delta\":{\"content\":");
		JsonStrings.appendQuoted(out, chunk.getText()).append("},\"logprobs\":null");
		if (isFinal(chunk)) {
			appendReasons(out, chunk.getFinishReason(), stopReason(chunk));
		}
		else {
			out.append(",\"finish_reason\":null");
		}
		return out.append("}]}\n\n").toString();
	}

	@Override
	String completion(Completion completion) {
		StringBuilder out = new StringBuilder(completion.text().length() + 256).append(head("chat.completion"));
		out.append("{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
		JsonStrings.appendQuoted(out, completion.text()).append("},\"logprobs\":null");
		appendReasons(out, completion.finishReason(), completion.stopReason()).append("}],\"usage\":");
		return appendUsage(out, completion).append('}').toString();
	}

}
