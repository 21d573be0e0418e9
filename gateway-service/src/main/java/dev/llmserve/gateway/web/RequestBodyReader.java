package dev.llmserve.gateway.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.llmserve.gateway.error.ApiErrors;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Reads request bodies with a size limit (413), a media type check (415) and strict UTF-8
 * (400), and parses JSON into a tree so that validation can say exactly what is wrong.
 */
public final class RequestBodyReader {

	private final int maxBytes;

	private final ObjectReader json;

	public RequestBodyReader(int maxBytes, ObjectMapper objectMapper) {
		this.maxBytes = maxBytes;
		this.json = objectMapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
	}

	/** The body as a JSON tree; the media type must be JSON (or absent). */
	public Mono<JsonNode> readJson(ServerRequest request) {
		return Mono.defer(() -> {
			requireMediaType(request, MediaType.APPLICATION_JSON);
			return read(request).map(this::parseJson);
		});
	}

	/** The body as text; the media type must be {@code text/plain} (or absent). */
	public Mono<String> readText(ServerRequest request) {
		return Mono.defer(() -> {
			requireMediaType(request, MediaType.TEXT_PLAIN);
			return read(request);
		});
	}

	private Mono<String> read(ServerRequest request) {
		if (request.headers().contentLength().orElse(0) > this.maxBytes) {
			return Mono.error(ApiErrors.payloadTooLarge(this.maxBytes).exception());
		}
		return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), this.maxBytes)
			.onErrorMap(DataBufferLimitException.class, (ex) -> ApiErrors.payloadTooLarge(this.maxBytes).exception())
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
		if (actual.isPresent() && !isCompatible(actual.get(), expected)) {
			throw ApiErrors.unsupportedMediaType(actual.get().toString(), expected.toString()).exception();
		}
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
	}

	private static String where(JsonLocation location) {
		if (location == null || location.getLineNr() < 0) {
			return "";
		}
		return " at line %d, column %d".formatted(location.getLineNr(), location.getColumnNr());
	}

}
