package dev.llmserve.replica.grpc;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * Continues the caller's trace (W3C {@code traceparent} metadata from the gateway): one
 * server span per call, ended when the call ends, and in scope (so in the MDC of log
 * lines) while the call is dispatched, which is when the service runs and subscribes to
 * the engine. Lighter than Micrometer's gRPC observation, which handles every streamed
 * message: this costs nothing per token.
 */
final class TracingServerInterceptor implements ServerInterceptor {

	private final Tracer tracer;

	private final Propagator propagator;

	TracingServerInterceptor(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	@Override
	public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
			ServerCallHandler<Q, A> next) {
		Span span = this.propagator
			.extract(headers, (carrier, key) -> carrier.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER)))
			.name(call.getMethodDescriptor().getFullMethodName())
			.kind(Span.Kind.SERVER)
			.start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			return new ScopedListener<>(next.startCall(call, headers), span);
		}
	}

	private final class ScopedListener<Q> extends SimpleForwardingServerCallListener<Q> {

		private final Span span;

		ScopedListener(ServerCall.Listener<Q> delegate, Span span) {
			super(delegate);
			this.span = span;
		}

		@Override
		public void onMessage(Q message) {
			try (Tracer.SpanInScope scope = TracingServerInterceptor.this.tracer.withSpan(this.span)) {
				super.onMessage(message);
			}
		}

		@Override
		public void onHalfClose() {
			try (Tracer.SpanInScope scope = TracingServerInterceptor.this.tracer.withSpan(this.span)) {
				super.onHalfClose();
			}
		}

		@Override
		public void onCancel() {
			try {
				super.onCancel();
			}
			finally {
				this.span.event("cancelled").end();
			}
		}

		@Override
		public void onComplete() {
			try {
				super.onComplete();
			}
			finally {
				this.span.end();
			}
		}

	}

}
