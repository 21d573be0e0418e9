package dev.llmserve.controller.deployments.api;

import java.util.Comparator;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.llmserve.controller.deployments.DeploymentConflictException;
import dev.llmserve.controller.deployments.DeploymentNotFoundException;
import dev.llmserve.controller.deployments.DeploymentStoreException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/** The admin API's errors, as {@link ApiError} bodies. */
@RestControllerAdvice(assignableTypes = DeploymentsRestController.class)
class DeploymentsExceptionHandler {

	@ExceptionHandler
	ResponseEntity<ApiError> invalid(WebExchangeBindException ex) {
		var fieldErrors = ex.getFieldErrors()
			.stream()
			.map((error) -> new ApiError.FieldError(error.getField(), error.getDefaultMessage()))
			.sorted(Comparator.comparing(ApiError.FieldError::field))
			.toList();
		return ResponseEntity.badRequest().body(new ApiError("invalid request", fieldErrors));
	}

	@ExceptionHandler
	ResponseEntity<ApiError> unreadable(ServerWebInputException ex) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		String detail = (cause instanceof JsonMappingException json) ? json.getOriginalMessage() : cause.getMessage();
		return ResponseEntity.badRequest().body(ApiError.of("unreadable request body: " + detail));
	}

	@ExceptionHandler
	ResponseEntity<ApiError> status(ResponseStatusException ex) {
		String reason = (ex.getReason() != null) ? ex.getReason() : ex.getStatusCode().toString();
		return ResponseEntity.status(ex.getStatusCode()).body(ApiError.of(reason));
	}

	@ExceptionHandler
	ResponseEntity<ApiError> notPersisted(DeploymentStoreException ex) {
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(ApiError.of("the change could not be persisted, nothing changed: " + ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ApiError> notFound(DeploymentNotFoundException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ApiError.of(ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ApiError> conflict(DeploymentConflictException ex) {
		return ResponseEntity.status(HttpStatus.CONFLICT).body(ApiError.of(ex.getMessage()));
	}

}
