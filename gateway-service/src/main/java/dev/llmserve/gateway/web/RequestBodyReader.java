package dev.llmserve.gateway.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.llmserve.gateway.error.ApiErrors;
import dev.llmserve.gateway.error.ApiException;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Reads request bodies with a size limit (413), a media type, charset and content-coding
 * check (415) and strict UTF-8 (400), and parses JSON into a tree so that validation can
 * say exactly what is wrong. Duplicate keys are refused: parsers disagree on which one
 * wins, which lets a request mean one thing to a proxy and another to the gateway.
 */
public final class RequestBodyReader {

	/** UTF-8, and ASCII, which is a subset of it. */
	private static final Set<String> UTF8_NAMES = Set.of("utf-8", "utf8", "us-ascii", "ascii");

	private final int maxBytes;

	private final ObjectReader json;

	public RequestBodyReader(int maxBytes, ObjectMapper objectMapper) {
		this.maxBytes = maxBytes;
		this.json = objectMapper.reader()
			.with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
	}

	/** The body as a JSON tree; the media type must be JSON (or absent). */
	public Mono<JsonNode> readJson(ServerRequest request) {
		return Mono.defer(() -> {
			requireMediaType(request, MediaType.APPLICATION_JSON);
			requireIdentityCoding(request);
			return read(request).map(this::parseJson);
		});
	}

	/** The body as text; the media type must be {@code text/plain} (or absent). */
	public Mono<String> readText(ServerRequest request) {
		return Mono.defer(() -> {
			requireMediaType(request, MediaType.TEXT_PLAIN);
			requireIdentityCoding(request);
			return read(request);
		});
	}

	private Mono<String> read(ServerRequest request) {
		if (request.headers().contentLength().orElse(0) > this.maxBytes) {
			return Mono.error(ApiErrors.payloadTooLarge(this.maxBytes).exception());
		}
		return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), this.maxBytes)
			.onErrorMap(DataBufferLimitException.class, (ex) -> ApiErrors.payloadTooLarge(this.maxBytes).exception())
			// E.g. broken chunked framing: the client's fault, not a gateway failure.
			.onErrorMap((ex) -> !(ex instanceof ApiException),
					(ex) -> ApiErrors
						.badRequest(null, "Request body could not be read (expected: a complete HTTP body)")
						.exception())
			.map(RequestBodyReader::decodeUtf8)
			.defaultIfEmpty("");
	}

	private static void requireMediaType(ServerRequest request, MediaType expected) {
		Optional<MediaType> actual;
		try {
			actual = request.headers().contentType();
		}
		catch (InvalidMediaTypeException ex) {
			throw ApiErrors.unsupportedMediaType(ex.getMediaType(), expected.toString()).exception();
		}
		String raw = request.headers().firstHeader(HttpHeaders.CONTENT_TYPE);
		if (raw != null && hasParameterWithoutValue(raw)) {
			// Spring reads "application/json; charset" as if the parameter were absent.
			throw ApiErrors.unsupportedMediaType(raw, expected.toString()).exception();
		}
		if (actual.isPresent() && !isCompatible(actual.get(), expected)) {
			throw ApiErrors.unsupportedMediaType(actual.get().toString(), expected.toString()).exception();
		}
		String charset = actual.map((type) -> type.getParameter("charset")).orElse(null);
		if (charset != null && !UTF8_NAMES.contains(unquote(charset).toLowerCase(Locale.ROOT))) {
			throw ApiErrors.unsupportedMediaType(actual.get().toString(), expected + ";charset=utf-8").exception();
		}
	}

	private static boolean hasParameterWithoutValue(String contentType) {
		String[] parts = contentType.split(";");
		for (int i = 1; i < parts.length; i++) {
			if (!parts[i].isBlank() && parts[i].indexOf('=') < 0) {
				return true;
			}
		}
		return false;
	}

	private static void requireIdentityCoding(ServerRequest request) {
		for (String coding : request.headers().header(HttpHeaders.CONTENT_ENCODING)) {
			if (!coding.isBlank() && !"identity".equalsIgnoreCase(coding.trim())) {
				throw ApiErrors.unsupportedContentEncoding(coding).exception();
			}
		}
	}

	private static String unquote(String value) {
		return (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\""))
				? value.substring(1, value.length() - 1) : value;
	}

	private static boolean isCompatible(MediaType actual, MediaType expected) {
		if (actual.equalsTypeAndSubtype(expected)) {
			return true;
		}
		return expected.equals(MediaType.APPLICATION_JSON) && "application".equals(actual.getType())
				&& "json".equals(actual.getSubtypeSuffix());
	}

	private static String decodeUtf8(DataBuffer buffer) {
		byte[] bytes = new byte[buffer.readableByteCount()];
		buffer.read(bytes);
		DataBufferUtils.release(buffer);
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw ApiErrors.badRequest(null, "Request body is not valid UTF-8 (expected: UTF-8 text)").exception();
		}
	}

	private JsonNode parseJson(String body) {
		if (body.isBlank()) {
			throw ApiErrors.badRequest(null, "Request body is empty (expected: a JSON object)").exception();
		}
		try {
			return this.json.readTree(body);
		}
		catch (JsonProcessingException ex) {
			throw ApiErrors
				.badRequest(null,
						"Request body is not valid JSON: %s%s (expected: a JSON object)"
							.formatted(ex.getOriginalMessage(), where(ex.getLocation())))
				.exception();
		}
		catch (RuntimeException ex) {
			// Jackson reports some pathological input unchecked; it is still bad input.
			throw ApiErrors.badRequest(null, "Request body is not valid JSON (expected: a JSON object)").exception();
		}
	}

	private static String where(JsonLocation location) {
		if (location == null || location.getLineNr() < 0) {
			return "";
		}
		return " at line %d, column %d".formatted(location.getLineNr(), location.getColumnNr());
	}

}
