package dev.llmserve.gateway.admission;

import java.util.ArrayList;
import java.util.List;

import org.springframework.web.server.ServerWebExchange;

/**
 * The permits an exchange holds, released when the exchange ends however it ends
 * ({@link PermitReleasingWebFilter}): a safety net for the one path the response body
 * cannot cover, a response that is dropped before its body is subscribed. A permit held
 * after the exchange ended is released at once.
 */
final class ExchangePermits {

	static final String ATTRIBUTE = ExchangePermits.class.getName();

	private final List<Permit> permits = new ArrayList<>(1);

	private boolean closed;

	/**
	 * Ties the permit to the exchange, if the filter runs (it always does in the app).
	 */
	static void hold(ServerWebExchange exchange, Permit permit) {
		ExchangePermits held = exchange.getAttribute(ATTRIBUTE);
		if (held != null) {
			held.hold(permit);
		}
	}

	void hold(Permit permit) {
		synchronized (this) {
			if (!this.closed) {
				this.permits.add(permit);
				return;
			}
		}
		permit.release();
	}

	void close() {
		List<Permit> held;
		synchronized (this) {
			this.closed = true;
			held = List.copyOf(this.permits);
			this.permits.clear();
		}
		held.forEach(Permit::release);
	}

}
