package dev.llmserve.gateway.openai;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmserve.gateway.error.ApiErrors;

/**
 * The top-level fields a request may carry. Fields the gateway reads pass; OpenAI (and
 * vLLM) fields it does not implement pass only with the value that changes nothing, since
 * ignoring, say, {@code frequency_penalty: 1.5} would silently change the answer; any
 * other field is refused as OpenAI refuses it ({@code Unrecognized request argument
 * supplied: foo}), which also catches typos such as {@code max_token}.
 */
final class KnownFields {

	/** Fields both endpoints read. */
	static final Set<String> COMMON = Set.of("model", "stream", "stream_options", "max_tokens", "max_completion_tokens",
			"temperature", "top_p", "stop", "seed", "n", "user", "ignore_eos");

	static final Set<String> CHAT = union(COMMON, "messages");

	static final Set<String> COMPLETION = union(COMMON, "prompt");

	private static final Predicate<JsonNode> ZERO = (value) -> value.isNumber() && value.doubleValue() == 0;

	private static final Predicate<JsonNode> FALSE = (value) -> value.isBoolean() && !value.booleanValue();

	private static final Predicate<JsonNode> EMPTY = (value) -> value.isContainerNode() && value.isEmpty();

	/** Implemented nowhere behind the gateway: accepted only as a no-op. */
	private static final Map<String, Neutral> NEUTRAL = Map.ofEntries(neutral("frequency_penalty", "0", ZERO),
			neutral("presence_penalty", "0", ZERO), neutral("logit_bias", "{}", EMPTY),
			neutral("logprobs", "false or 0", FALSE.or(ZERO)), neutral("top_logprobs", "0", ZERO),
			neutral("tools", "[]", EMPTY), neutral("functions", "[]", EMPTY),
			neutral("tool_choice", "\"none\"", (value) -> "none".equals(value.textValue())),
			neutral("function_call", "\"none\"", (value) -> "none".equals(value.textValue())),
			neutral("parallel_tool_calls", "a boolean", JsonNode::isBoolean),
			neutral("response_format", "{\"type\":\"text\"}",
					(value) -> value.isObject() && value.size() == 1 && "text".equals(value.path("type").textValue())),
			neutral("echo", "false", FALSE),
			neutral("best_of", "1", (value) -> value.isNumber() && value.doubleValue() == 1),
			neutral("suffix", "\"\"", (value) -> "".equals(value.textValue())), neutral("store", "false", FALSE),
			neutral("metadata", "{}", EMPTY),
			neutral("top_k", "-1 or 0",
					(value) -> value.isNumber() && (value.doubleValue() == -1 || value.doubleValue() == 0)),
			neutral("min_p", "0", ZERO),
			neutral("repetition_penalty", "1", (value) -> value.isNumber() && value.doubleValue() == 1));

	private KnownFields() {
	}

	/** Fails with a 400 on the first field that is neither {@code read} nor neutral. */
	static void check(JsonNode body, Set<String> read) {
		for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext();) {
			Map.Entry<String, JsonNode> field = fields.next();
			String name = field.getKey();
			JsonNode value = field.getValue();
			if (read.contains(name) || value.isNull()) {
				continue;
			}
			Neutral neutral = NEUTRAL.get(name);
			if (neutral == null) {
				String shown = JsonFields.shorten(name);
				throw ApiErrors.badRequest(shown, "Unrecognized request argument supplied: " + shown).exception();
			}
			if (!neutral.accepts().test(value)) {
				throw JsonFields.invalid(name, value,
						"%s or absent; the gateway does not implement %s".formatted(neutral.expectation(), name));
			}
		}
	}

	private static Set<String> union(Set<String> names, String name) {
		HashSet<String> all = new HashSet<>(names);
		all.add(name);
		return Set.copyOf(all);
	}

	private static Map.Entry<String, Neutral> neutral(String name, String expectation, Predicate<JsonNode> accepts) {
		return Map.entry(name, new Neutral(expectation, accepts));
	}

	private record Neutral(String expectation, Predicate<JsonNode> accepts) {
	}

}
