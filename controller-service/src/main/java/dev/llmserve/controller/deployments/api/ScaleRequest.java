package dev.llmserve.controller.deployments.api;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * {@code PUT /api/v1/deployments/{name}/replicas}.
 *
 * @param replicas the new replica count
 */
record ScaleRequest(@NotNull @Min(0) Integer replicas) {
}
