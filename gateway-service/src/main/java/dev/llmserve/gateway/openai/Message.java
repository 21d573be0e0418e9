package dev.llmserve.gateway.openai;

import dev.llmserve.proto.ChatMessage;

/**
 * One chat message, its content parts already joined into text.
 *
 * @param role system, user, assistant, developer or tool
 * @param content the text
 */
record Message(String role, String content) {

	ChatMessage toProto() {
		return ChatMessage.newBuilder().setRole(this.role).setContent(this.content).build();
	}

}
