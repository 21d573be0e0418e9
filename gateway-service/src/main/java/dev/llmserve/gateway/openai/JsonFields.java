package dev.llmserve.gateway.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmserve.gateway.error.ApiErrors;
import dev.llmserve.gateway.error.ApiException;

/**
 * Typed reads of request fields, failing with a 400 that names the field, shows the value
 * and states the expectation: {@code max_tokens: -1 (expected: > 0)}. JSON {@code null}
 * counts as absent.
 */
final class JsonFields {

	private static final int MAX_SHOWN = 60;

	private final JsonNode object;

	private final String path;

	JsonFields(JsonNode object, String path) {
		this.object = object;
		this.path = path;
	}

	/** The fields of the request body, which must be an object. */
	static JsonFields root(JsonNode body) {
		if (!body.isObject()) {
			throw ApiErrors.badRequest(null, "Request body: %s (expected: a JSON object)".formatted(show(body)))
				.exception();
		}
		return new JsonFields(body, "");
	}

	JsonNode get(String name) {
		JsonNode value = this.object.get(name);
		return (value == null || value.isNull()) ? null : value;
	}

	String param(String name) {
		return this.path.isEmpty() ? name : this.path + "." + name;
	}

	String requiredString(String name) {
		JsonNode value = get(name);
		if (value == null) {
			throw missing(name, "a non-empty string");
		}
		if (!value.isTextual() || value.asText().isEmpty()) {
			throw invalid(param(name), value, "a non-empty string");
		}
		return value.asText();
	}

	String optionalString(String name) {
		JsonNode value = get(name);
		if (value != null && !value.isTextual()) {
			throw invalid(param(name), value, "a string");
		}
		return (value != null) ? value.asText() : null;
	}

	boolean optionalBoolean(String name, boolean absent) {
		JsonNode value = get(name);
		if (value == null) {
			return absent;
		}
		if (!value.isBoolean()) {
			throw invalid(param(name), value, "a boolean");
		}
		return value.asBoolean();
	}

	Integer optionalPositiveInt(String name) {
		JsonNode value = get(name);
		if (value == null) {
			return null;
		}
		if (!value.isIntegralNumber()) {
			throw invalid(param(name), value, "an integer");
		}
		if (!value.canConvertToInt() || value.intValue() <= 0) {
			throw invalid(param(name), value, value.canConvertToInt() ? "> 0" : "<= 2147483647");
		}
		return value.intValue();
	}

	Long optionalLong(String name) {
		JsonNode value = get(name);
		if (value == null) {
			return null;
		}
		if (!value.isIntegralNumber() || !value.canConvertToLong()) {
			throw invalid(param(name), value, "a 64-bit integer");
		}
		return value.longValue();
	}

	Double optionalNumber(String name, DoublePredicate inRange, String range) {
		JsonNode value = get(name);
		if (value == null) {
			return null;
		}
		if (!value.isNumber()) {
			throw invalid(param(name), value, "a number");
		}
		if (!inRange.test(value.doubleValue())) {
			throw invalid(param(name), value, range);
		}
		return value.doubleValue();
	}

	/** A string or an array of strings, as a list (empty when absent). */
	List<String> optionalStrings(String name) {
		JsonNode value = get(name);
		if (value == null) {
			return List.of();
		}
		if (value.isTextual()) {
			return List.of(value.asText());
		}
		if (!value.isArray()) {
			throw invalid(param(name), value, "a string or an array of strings");
		}
		List<String> strings = new ArrayList<>(value.size());
		for (int i = 0; i < value.size(); i++) {
			if (!value.get(i).isTextual()) {
				throw invalid(param(name) + "[" + i + "]", value.get(i), "a string");
			}
			strings.add(value.get(i).asText());
		}
		return strings;
	}

	ApiException missing(String name, String expectation) {
		return ApiErrors.badRequest(param(name), "%s: missing (expected: %s)".formatted(param(name), expectation))
			.exception();
	}

	static ApiException invalid(String param, JsonNode value, String expectation) {
		return ApiErrors.badRequest(param, "%s: %s (expected: %s)".formatted(param, show(value), expectation))
			.exception();
	}

	static String show(JsonNode value) {
		return shorten(value.toString());
	}

	/** At most {@value #MAX_SHOWN} characters of {@code text}, so errors stay small. */
	static String shorten(String text) {
		return (text.length() <= MAX_SHOWN) ? text : text.substring(0, MAX_SHOWN) + "...";
	}

}
