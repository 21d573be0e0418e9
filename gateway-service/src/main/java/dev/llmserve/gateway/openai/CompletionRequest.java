package dev.llmserve.gateway.openai;

import java.util.List;

import dev.llmserve.proto.ChatMessages;
import dev.llmserve.proto.GenerateRequest;

/**
 * A validated chat or text completion request; exactly one of {@code prompt} and
 * {@code messages} is set.
 *
 * @param model the deployment to route to
 * @param prompt the prompt (text completions)
 * @param messages the conversation (chat completions)
 * @param sampling sampling parameters
 * @param stream whether to answer as server-sent events
 * @param includeUsage whether a streamed answer ends with a usage chunk
 */
record CompletionRequest(String model, String prompt, List<Message> messages, Sampling sampling, boolean stream,
		boolean includeUsage) {

	CompletionRequest {
		messages = (messages != null) ? List.copyOf(messages) : null;
	}

	GenerateRequest toProto(String requestId) {
		GenerateRequest.Builder request = GenerateRequest.newBuilder()
			.setRequestId(requestId)
			.setDeployment(this.model)
			.setSampling(this.sampling.toProto());
		if (this.messages != null) {
			request.setChat(
					ChatMessages.newBuilder().addAllMessages(this.messages.stream().map(Message::toProto).toList()));
		}
		else {
			request.setPrompt(this.prompt);
		}
		return request.build();
	}

}
