package dev.llmserve.replica.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmserve.proto.ChatMessage;
import dev.llmserve.proto.ChatMessages;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.SamplingParams;
import io.grpc.Status;

/**
 * Maps a {@link GenerateRequest} to the engine's streaming request: a prompt goes to
 * {@code /v1/completions}, chat messages to {@code /v1/chat/completions}, always with
 * {@code stream} and usage included. Chat messages that end in a partial assistant
 * message to continue ({@code continue_final_message}) keep that message open.
 */
final class EngineRequests {

	private final ObjectMapper json;

	private final String model;

	EngineRequests(ObjectMapper json, String model) {
		this.json = json;
		this.model = model;
	}

	EngineRequest create(GenerateRequest request) {
		ObjectNode body = this.json.createObjectNode().put("model", this.model);
		String path = switch (request.getInputCase()) {
			case PROMPT -> {
				body.put("prompt", request.getPrompt());
				yield EngineRequest.COMPLETIONS;
			}
			case CHAT -> {
				addMessages(body.putArray("messages"), request.getChat());
				if (request.getChat().getContinueFinalMessage()) {
					// vLLM refuses both flags at once; the template then leaves the last
					// (assistant) message open instead of starting a new turn.
					body.put("add_generation_prompt", false).put("continue_final_message", true);
				}
				yield EngineRequest.CHAT_COMPLETIONS;
			}
			case INPUT_NOT_SET -> throw invalid("input: not set (expected: a prompt or chat messages)");
		};
		body.put("stream", true);
		body.putObject("stream_options").put("include_usage", true);
		addSampling(body, request.getSampling());
		return new EngineRequest(path, write(body), request.getRequestId());
	}

	private static void addMessages(ArrayNode messages, ChatMessages chat) {
		if (chat.getMessagesCount() == 0) {
			throw invalid("chat.messages: [] (expected: at least one message)");
		}
		for (ChatMessage message : chat.getMessagesList()) {
			messages.addObject().put("role", message.getRole()).put("content", message.getContent());
		}
	}

	private static void addSampling(ObjectNode body, SamplingParams sampling) {
		if (sampling.hasMaxTokens()) {
			body.put("max_tokens", sampling.getMaxTokens());
		}
		if (sampling.hasTemperature()) {
			body.put("temperature", sampling.getTemperature());
		}
		if (sampling.hasTopP()) {
			body.put("top_p", sampling.getTopP());
		}
		if (sampling.getStopCount() > 0) {
			ArrayNode stop = body.putArray("stop");
			sampling.getStopList().forEach(stop::add);
		}
		if (sampling.hasSeed()) {
			body.put("seed", sampling.getSeed());
		}
		if (sampling.getIgnoreEos()) {
			body.put("ignore_eos", true);
		}
	}

	private byte[] write(ObjectNode body) {
		try {
			return this.json.writeValueAsBytes(body);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Could not write a request body", ex);
		}
	}

	private static RuntimeException invalid(String message) {
		return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
	}

}
