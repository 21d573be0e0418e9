package dev.llmserve.replica.bridge;

/**
 * One HTTP request to the engine's OpenAI-compatible API.
 *
 * @param path {@code /v1/completions} or {@code /v1/chat/completions}
 * @param body the JSON body
 * @param requestId sent as {@code X-Request-Id}; empty for none
 */
record EngineRequest(String path, byte[] body, String requestId) {

	static final String COMPLETIONS = "/v1/completions";

	static final String CHAT_COMPLETIONS = "/v1/chat/completions";

}
