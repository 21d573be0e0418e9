package dev.llmserve.gateway.upstream;

import dev.llmserve.proto.ChatMessage;
import dev.llmserve.proto.ChatMessages;
import dev.llmserve.proto.GenerateRequest;

/**
 * The request that continues a generation elsewhere: the original prompt plus the text
 * already sent, with what is left of the token budget. A completion prompt gets the text
 * appended; a chat gets it as a partial assistant message that the engine continues
 * ({@code continue_final_message}) instead of starting a new turn.
 */
final class Continuation {

	/**
	 * vLLM's {@code max_tokens} for a completion that sets none (chat's default is the
	 * rest of the context, which a longer prompt shrinks by itself).
	 */
	static final int COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

	private Continuation() {
	}

	/**
	 * The continuing request, or {@code null} when the budget is spent (the generation is
	 * complete at {@code length}).
	 */
	static GenerateRequest of(GenerateRequest original, String generated, int tokensSent) {
		GenerateRequest.Builder next = original.toBuilder();
		Integer budget = budget(original);
		if (budget != null) {
			int remaining = budget - tokensSent;
			if (remaining <= 0) {
				return null;
			}
			next.getSamplingBuilder().setMaxTokens(remaining);
		}
		if (original.hasChat()) {
			next.setChat(continued(original.getChat(), generated));
		}
		else {
			next.setPrompt(original.getPrompt() + generated);
		}
		return next.build();
	}

	private static Integer budget(GenerateRequest original) {
		if (original.getSampling().hasMaxTokens()) {
			return original.getSampling().getMaxTokens();
		}
		return original.hasChat() ? null : COMPLETIONS_DEFAULT_MAX_TOKENS;
	}

	private static ChatMessages continued(ChatMessages chat, String generated) {
		ChatMessages.Builder messages = chat.toBuilder().setContinueFinalMessage(true);
		if (chat.getContinueFinalMessage()) {
			// The request already ended in a partial assistant message: extend it.
			int last = chat.getMessagesCount() - 1;
			ChatMessage partial = chat.getMessages(last);
			return messages.setMessages(last, partial.toBuilder().setContent(partial.getContent() + generated)).build();
		}
		return messages.addMessages(ChatMessage.newBuilder().setRole("assistant").setContent(generated)).build();
	}

}
