package dev.llmserve.gateway.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import reactor.util.context.ContextView;

/**
 * Finds a request's trace in its Reactor context, where WebFlux's HTTP server observation
 * keeps it (the streamed body sees the handling's context too).
 */
public final class RequestTraces {

	/** Tracing off: every request has {@link RequestTrace#NONE}. */
	public static final RequestTraces DISABLED = new RequestTraces(null);

	private final Propagator propagator;

	RequestTraces(Propagator propagator) {
		this.propagator = propagator;
	}

	/** The trace of the request whose Reactor context this is. */
	public RequestTrace of(ContextView context) {
		if (this.propagator == null) {
			return RequestTrace.NONE;
		}
		Object current = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		if (!(current instanceof Observation observation)) {
			return RequestTrace.NONE;
		}
		TracingObservationHandler.TracingContext tracing = observation.getContextView()
			.get(TracingObservationHandler.TracingContext.class);
		Span span = (tracing != null) ? tracing.getSpan() : null;
		return (span != null) ? new RequestTrace(span.context(), this.propagator) : RequestTrace.NONE;
	}

}
