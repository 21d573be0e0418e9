package dev.llmserve.gateway.upstream;

import dev.llmserve.proto.ChatMessage;
import dev.llmserve.proto.ChatMessages;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.SamplingParams;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ContinuationTests {

	@Test
	void appendsTheTextToACompletionPromptAndKeepsTheRestOfTheRequest() {
		GenerateRequest original = GenerateRequest.newBuilder()
			.setRequestId("r")
			.setDeployment("m")
			.setPrompt("Once upon a time")
			.setSampling(SamplingParams.newBuilder().setMaxTokens(100).setSeed(7).addStop("END").setIgnoreEos(true))
			.build();

		GenerateRequest next = Continuation.of(original, " there was", 2);

		assertThat(next.getPrompt()).isEqualTo("Once upon a time there was");
		assertThat(next.getSampling().getMaxTokens()).isEqualTo(98);
		assertThat(next.getSampling().getSeed()).isEqualTo(7);
		assertThat(next.getSampling().getStopList()).containsExactly("END");
		assertThat(next.getSampling().getIgnoreEos()).isTrue();
		assertThat(next.getRequestId()).isEqualTo("r");
		assertThat(next.getDeployment()).isEqualTo("m");
	}

	@Test
	void countsACompletionWithoutMaxTokensAgainstTheEnginesDefaultOfSixteen() {
		GenerateRequest original = GenerateRequest.newBuilder().setPrompt("Hi").build();

		assertThat(Continuation.of(original, " a b c", 3).getSampling().getMaxTokens()).isEqualTo(13);
		assertThat(Continuation.of(original, "x".repeat(16), 16)).isNull();
	}

	@Test
	void continuesAChatAsAPartialAssistantMessage() {
		GenerateRequest original = GenerateRequest.newBuilder()
			.setChat(ChatMessages.newBuilder()
				.addMessages(message("system", "Be brief."))
				.addMessages(message("user", "Hello")))
			.setSampling(SamplingParams.newBuilder().setMaxTokens(10))
			.build();

		GenerateRequest next = Continuation.of(original, "Hi, how", 2);

		assertThat(next.getChat().getContinueFinalMessage()).isTrue();
		assertThat(next.getChat().getMessagesList()).extracting(ChatMessage::getRole, ChatMessage::getContent)
			.containsExactly(tuple("system", "Be brief."), tuple("user", "Hello"), tuple("assistant", "Hi, how"));
		assertThat(next.getSampling().getMaxTokens()).isEqualTo(8);
	}

	@Test
	void extendsThePartialAssistantMessageOfAChatThatIsAlreadyAContinuation() {
		GenerateRequest original = GenerateRequest.newBuilder()
			.setChat(ChatMessages.newBuilder()
				.addMessages(message("user", "Hello"))
				.addMessages(message("assistant", "Hi"))
				.setContinueFinalMessage(true))
			.build();

		GenerateRequest next = Continuation.of(original, ", how", 2);

		assertThat(next.getChat().getMessagesList()).extracting(ChatMessage::getContent)
			.containsExactly("Hello", "Hi, how");
		assertThat(next.getSampling().hasMaxTokens()).isFalse();
	}

	@Test
	void hasNothingToContinueOnceTheWholeBudgetWasSent() {
		GenerateRequest original = GenerateRequest.newBuilder()
			.setPrompt("Hi")
			.setSampling(SamplingParams.newBuilder().setMaxTokens(4))
			.build();

		assertThat(Continuation.of(original, " a b c d", 4)).isNull();
	}

	private static ChatMessage message(String role, String content) {
		return ChatMessage.newBuilder().setRole(role).setContent(content).build();
	}

}
