package dev.llmserve.loadgen.workload;

/**
 * One request ready to send.
 *
 * @param path the request path
 * @param contentType the body's content type
 * @param body the encoded body
 * @param inputTokens the prompt's length in tokens, as the client counts it
 * @param maxTokens the {@code max_tokens} asked for
 */
public record PreparedRequest(String path, String contentType, byte[] body, int inputTokens, int maxTokens) {
}
