package dev.llmserve.gateway.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmserve.gateway.error.ApiErrors;

/**
 * Validates OpenAI request bodies by hand into {@link CompletionRequest}s, so that every
 * 400 names the field and the expectation. Unknown top-level fields are refused (see
 * {@link KnownFields}).
 */
final class CompletionRequestParser {

	private static final Set<String> ROLES = Set.of("system", "user", "assistant", "developer", "tool");

	private static final String ROLE_EXPECTATION = "one of system, user, assistant, developer, tool";

	private static final String CONTENT_EXPECTATION = "a string or an array of text parts";

	private static final String PROMPT_EXPECTATION = "a non-empty string or an array of one such string";

	/** A {@code /v1/chat/completions} body. */
	CompletionRequest chat(JsonNode body) {
		JsonFields fields = JsonFields.root(body);
		KnownFields.check(body, KnownFields.CHAT);
		String model = fields.requiredString("model");
		List<Message> messages = messages(fields);
		return request(fields, model, null, messages);
	}

	/** A {@code /v1/completions} body. */
	CompletionRequest completion(JsonNode body) {
		JsonFields fields = JsonFields.root(body);
		KnownFields.check(body, KnownFields.COMPLETION);
		String model = fields.requiredString("model");
		String prompt = prompt(fields);
		return request(fields, model, prompt, null);
	}

	private CompletionRequest request(JsonFields fields, String model, String prompt, List<Message> messages) {
		Sampling sampling = sampling(fields);
		requireSingleChoice(fields);
		fields.optionalString("user");
		boolean stream = fields.optionalBoolean("stream", false);
		return new CompletionRequest(model, prompt, messages, sampling, stream, includeUsage(fields, stream));
	}

	private Sampling sampling(JsonFields fields) {
		Integer maxTokens = fields.optionalPositiveInt("max_tokens");
		Integer maxCompletionTokens = fields.optionalPositiveInt("max_completion_tokens");
		Double temperature = fields.optionalNumber("temperature", (t) -> t >= 0 && t <= 2, ">= 0 and <= 2");
		Double topP = fields.optionalNumber("top_p", (p) -> p > 0 && p <= 1, "> 0 and <= 1");
		List<String> stop = fields.optionalStrings("stop");
		Long seed = fields.optionalLong("seed");
		boolean ignoreEos = fields.optionalBoolean("ignore_eos", false);
		// As in vLLM, max_completion_tokens supersedes the deprecated max_tokens.
		Integer limit = (maxCompletionTokens != null) ? maxCompletionTokens : maxTokens;
		return new Sampling(limit, temperature, topP, stop, seed, ignoreEos);
	}

	private static void requireSingleChoice(JsonFields fields) {
		JsonNode n = fields.get("n");
		if (n != null && !(n.isIntegralNumber() && n.canConvertToInt() && n.intValue() == 1)) {
			throw JsonFields.invalid("n", n, "1");
		}
	}

	private static boolean includeUsage(JsonFields fields, boolean stream) {
		JsonNode options = fields.get("stream_options");
		if (options == null) {
			return false;
		}
		if (!options.isObject()) {
			throw JsonFields.invalid("stream_options", options, "an object");
		}
		if (!stream) {
			throw ApiErrors.badRequest("stream_options", "Stream options can only be defined when `stream=True`.")
				.exception();
		}
		// vLLM: include_usage defaults to true once stream_options is present.
		return new JsonFields(options, "stream_options").optionalBoolean("include_usage", true);
	}

	private static List<Message> messages(JsonFields fields) {
		JsonNode value = fields.get("messages");
		if (value == null) {
			throw fields.missing("messages", "a non-empty array of messages");
		}
		if (!value.isArray() || value.isEmpty()) {
			throw JsonFields.invalid("messages", value, "a non-empty array of messages");
		}
		List<Message> messages = new ArrayList<>(value.size());
		for (int i = 0; i < value.size(); i++) {
			messages.add(message(value.get(i), "messages[" + i + "]"));
		}
		return messages;
	}

	private static Message message(JsonNode node, String path) {
		if (!node.isObject()) {
			throw JsonFields.invalid(path, node, "an object with role and content");
		}
		JsonFields fields = new JsonFields(node, path);
		JsonNode role = fields.get("role");
		if (role == null) {
			throw fields.missing("role", ROLE_EXPECTATION);
		}
		if (!role.isTextual() || !ROLES.contains(role.asText())) {
			throw JsonFields.invalid(fields.param("role"), role, ROLE_EXPECTATION);
		}
		return new Message(role.asText(), content(fields, role.asText()));
	}

	private static String content(JsonFields fields, String role) {
		JsonNode content = fields.get("content");
		if (content == null) {
			// An assistant turn that only called tools has no content.
			if ("assistant".equals(role)) {
				return "";
			}
			throw fields.missing("content", CONTENT_EXPECTATION);
		}
		if (content.isTextual()) {
			return content.asText();
		}
		if (!content.isArray()) {
			throw JsonFields.invalid(fields.param("content"), content, CONTENT_EXPECTATION);
		}
		List<String> texts = new ArrayList<>(content.size());
		for (int i = 0; i < content.size(); i++) {
			texts.add(textPart(content.get(i), fields.param("content") + "[" + i + "]"));
		}
		// vLLM joins text parts with newlines for string-content chat templates.
		return String.join("\n", texts);
	}

	private static String textPart(JsonNode part, String path) {
		if (!part.isObject()) {
			throw JsonFields.invalid(path, part, "an object {\"type\":\"text\",\"text\":...}");
		}
		JsonFields fields = new JsonFields(part, path);
		JsonNode type = fields.get("type");
		if (type == null) {
			throw fields.missing("type", "\"text\"");
		}
		if (!type.isTextual() || !"text".equals(type.asText())) {
			throw JsonFields.invalid(fields.param("type"), type, "\"text\"");
		}
		JsonNode text = fields.get("text");
		if (text == null) {
			throw fields.missing("text", "a string");
		}
		if (!text.isTextual()) {
			throw JsonFields.invalid(fields.param("text"), text, "a string");
		}
		return text.asText();
	}

	private static String prompt(JsonFields fields) {
		JsonNode value = fields.get("prompt");
		if (value == null) {
			throw fields.missing("prompt", PROMPT_EXPECTATION);
		}
		JsonNode single = (value.isArray() && value.size() == 1) ? value.get(0) : value;
		if (!single.isTextual() || single.asText().isEmpty()) {
			throw JsonFields.invalid((single == value) ? "prompt" : "prompt[0]", single, PROMPT_EXPECTATION);
		}
		return single.asText();
	}

}
