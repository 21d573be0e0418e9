package dev.llmserve.gateway.openai;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.llmserve.gateway.JsonStrings;
import dev.llmserve.gateway.routing.RoutingTableSource;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /v1/models}: one card per deployment in the routing table, so the list
 * follows the controller's snapshots. A deployment is listed even while none of its
 * replicas is READY (its requests get 503 and {@code Retry-After} then, not 404);
 * {@code created} is when this gateway first saw it.
 */
final class ModelsHandler {

	private final RoutingTableSource source;

	private final Clock clock;

	private final ConcurrentMap<String, Long> firstSeen = new ConcurrentHashMap<>();

	ModelsHandler(RoutingTableSource source, Clock clock) {
		this.source = source;
		this.clock = clock;
	}

	Mono<ServerResponse> list(ServerRequest request) {
		StringBuilder json = new StringBuilder(128).append("{\"object\":\"list\",\"data\":[");
		String separator = "";
		for (String deployment : this.source.current().deploymentNames()) {
			json.append(separator).append("{\"id\":");
			JsonStrings.appendQuoted(json, deployment).append(",\"object\":\"model\",\"created\":");
			json.append(created(deployment)).append(",\"owned_by\":\"llmserve\"}");
			separator = ",";
		}
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(json.append("]}").toString());
	}

	private long created(String deployment) {
		return this.firstSeen.computeIfAbsent(deployment, (name) -> this.clock.instant().getEpochSecond());
	}

}
