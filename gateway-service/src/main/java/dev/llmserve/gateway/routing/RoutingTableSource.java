package dev.llmserve.gateway.routing;

import reactor.core.publisher.Flux;

/**
 * Where the routing table comes from: static configuration now, the controller's snapshot
 * stream later. Exactly one bean implements it.
 */
public interface RoutingTableSource {

	/** The latest table; never {@code null}. */
	RoutingTable current();

	/**
	 * The current table on subscribe, then every later table. It may complete when the
	 * source knows the table will not change again.
	 */
	Flux<RoutingTable> updates();

}
