package dev.llmserve.gateway.routing;

import reactor.core.publisher.Flux;

/**
 * Where the routing table comes from: static configuration, or the controller's snapshot
 * stream. Exactly one bean implements it.
 */
public interface RoutingTableSource {

	/** The latest table; never {@code null}. */
	RoutingTable current();

	/**
	 * The current table on subscribe, then every later table. It may complete when the
	 * source knows the table will not change again.
	 */
	Flux<RoutingTable> updates();

	/**
	 * Whether the gateway can serve from this source, which is what readiness reports. By
	 * default once the table holds a replica; a source that must first hear from
	 * elsewhere (the controller) says so until it has.
	 */
	default boolean isReady() {
		return current().hasReplicas();
	}

}
