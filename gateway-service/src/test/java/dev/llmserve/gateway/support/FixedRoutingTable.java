package dev.llmserve.gateway.support;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.llmserve.gateway.routing.Replica;
import dev.llmserve.gateway.routing.ReplicaState;
import dev.llmserve.gateway.routing.RoutingTable;
import dev.llmserve.gateway.routing.RoutingTableSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A routing table source a test sets by hand.
 */
public final class FixedRoutingTable implements RoutingTableSource {

	private final Sinks.Many<RoutingTable> updates = Sinks.many().replay().latest();

	private volatile RoutingTable table = RoutingTable.EMPTY;

	public FixedRoutingTable(RoutingTable table) {
		set(table);
	}

	/** One deployment with the given replicas. */
	public static FixedRoutingTable of(String deployment, Replica... replicas) {
		return new FixedRoutingTable(new RoutingTable(1, Map.of(deployment, Arrays.asList(replicas))));
	}

	/** A ready replica {@code <deployment>-<index>} at {@code host:port}. */
	public static Replica ready(String deployment, int index, String host, int port) {
		return new Replica(deployment + "-" + index, deployment, host, port, ReplicaState.READY);
	}

	public void set(RoutingTable table) {
		this.table = table;
		this.updates.tryEmitNext(table);
	}

	public void set(String deployment, List<Replica> replicas) {
		set(new RoutingTable(this.table.version() + 1, Map.of(deployment, replicas)));
	}

	@Override
	public RoutingTable current() {
		return this.table;
	}

	@Override
	public Flux<RoutingTable> updates() {
		return this.updates.asFlux();
	}

}
