package dev.llmserve.gateway.tracing;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.propagation.Propagator;
import org.slf4j.MDC;

/**
 * The trace of the HTTP request a generation serves, captured once per request: sent to
 * replicas as W3C {@code traceparent} metadata, and put in the MDC of the request's log
 * lines. The gateway does not propagate the trace through every Reactor operator (that
 * would cost thread-local work on every token), so the request path's rare log lines
 * (retries, failovers) go through {@link #log(Runnable)}.
 */
public final class RequestTrace {

	/** No trace: tracing is off, or the request has none. */
	public static final RequestTrace NONE = new RequestTrace(null, null);

	private final TraceContext context;

	private final ClientInterceptor interceptor;

	RequestTrace(TraceContext context, Propagator propagator) {
		this.context = context;
		this.interceptor = (context != null) ? MetadataUtils.newAttachHeadersInterceptor(headers(context, propagator))
				: null;
	}

	/** Attaches the trace to a call; {@code null} without a trace. */
	public ClientInterceptor interceptor() {
		return this.interceptor;
	}

	/** Runs a log statement with the trace's ids in the MDC (Boot's log correlation). */
	public void log(Runnable statement) {
		if (this.context == null) {
			statement.run();
			return;
		}
		try (MDC.MDCCloseable traceId = MDC.putCloseable("traceId", this.context.traceId());
				MDC.MDCCloseable spanId = MDC.putCloseable("spanId", this.context.spanId())) {
			statement.run();
		}
	}

	private static Metadata headers(TraceContext context, Propagator propagator) {
		Metadata headers = new Metadata();
		propagator.inject(context, headers,
				(carrier, key, value) -> carrier.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value));
		return headers;
	}

}
