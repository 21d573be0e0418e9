package dev.llmserve.controller.deployments.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error answer of the admin API.
 *
 * @param error what went wrong
 * @param fieldErrors each invalid field (on 400 for invalid input only)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record ApiError(String error, List<FieldError> fieldErrors) {

	static ApiError of(String error) {
		return new ApiError(error, List.of());
	}

	/**
	 * @param field the field's path, e.g. {@code engine.profile}
	 * @param message what it should be
	 */
	record FieldError(String field, String message) {
	}

}
