package dev.llmserve.gateway.openai;

import dev.llmserve.gateway.JsonStrings;
import dev.llmserve.proto.GenerateChunk;

/**
 * {@code text_completion} events and answer. Every choice carries {@code finish_reason}
 * and {@code stop_reason}, {@code null} until the last one.
 */
final class TextChunkEncoder extends ChunkEncoder {

	TextChunkEncoder(String requestId, long created, String model) {
		super("cmpl-" + requestId, created, model, "text_completion");
	}

	@Override
	String events(GenerateChunk chunk, boolean first) {
		if (chunk.getText().isEmpty() && !isFinal(chunk)) {
			return null;
		}
		StringBuilder out = startEvent(chunk.getText().length() + 96);
		out.append("{\"index\":0,\"text\":");
		JsonStrings.appendQuoted(out, chunk.getText()).append(",\"logprobs\":null");
		if (isFinal(chunk)) {
			appendReasons(out, chunk.getFinishReason(), stopReason(chunk));
		}
		else {
			out.append(",\"finish_reason\":null,\"stop_reason\":null");
		}
		return out.append("}]}\n\n").toString();
	}

	@Override
	String completion(Completion completion) {
		StringBuilder out = new StringBuilder(completion.text().length() + 256).append(head("text_completion"));
		out.append("{\"index\":0,\"text\":");
		JsonStrings.appendQuoted(out, completion.text()).append(",\"logprobs\":null");
		appendReasons(out, completion.finishReason(), completion.stopReason()).append("}],\"usage\":");
		return appendUsage(out, completion).append('}').toString();
	}

}
