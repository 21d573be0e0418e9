package dev.llmserve.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.llmserve.proto.GenerateChunk;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.LoadRequest;
import dev.llmserve.proto.ReactorInferenceGrpc;
import dev.llmserve.proto.ReplicaLoad;
import dev.llmserve.proto.Usage;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A replica's {@code Inference} service whose behaviour a test controls: what
 * {@code Generate} streams or fails with, what {@code GetLoad} reports. It records every
 * request and every cancellation.
 */
public final class FakeReplica implements AutoCloseable {

	/** A healthy, idle replica. */
	public static final ReplicaLoad IDLE = ReplicaLoad.newBuilder().setEngineHealthy(true).build();

	private final List<GenerateRequest> requests = new CopyOnWriteArrayList<>();

	private static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent",
			Metadata.ASCII_STRING_MARSHALLER);

	private final List<String> traceparents = new CopyOnWriteArrayList<>();

	private final AtomicInteger cancellations = new AtomicInteger();

	private final AtomicInteger loadCalls = new AtomicInteger();

	private volatile Function<GenerateRequest, Flux<GenerateChunk>> behaviour = (request) -> tokens("Hello", " world");

	private volatile ReplicaLoad load = IDLE;

	private final Server server;

	private FakeReplica(Function<Service, Server> serverFactory) {
		this.server = serverFactory.apply(new Service());
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Listens on a free loopback port over grpc-netty. */
	public static FakeReplica onFreePort() {
		return new FakeReplica((service) -> NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			.addService(ServerInterceptors.intercept(service, service.traceparents()))
			.build());
	}

	/** Serves the in-process transport under {@code name}. */
	public static FakeReplica inProcess(String name) {
		return new FakeReplica((service) -> InProcessServerBuilder.forName(name)
			.addService(ServerInterceptors.intercept(service, service.traceparents()))
			.build());
	}

	/** The Netty port. */
	public int port() {
		return this.server.getPort();
	}

	/** What {@code Generate} answers from now on. */
	public void behave(Function<GenerateRequest, Flux<GenerateChunk>> behaviour) {
		this.behaviour = behaviour;
	}

	/** What {@code GetLoad} reports from now on. */
	public void reportLoad(ReplicaLoad load) {
		this.load = load;
	}

	/** Back to streaming "Hello world", idle, with nothing recorded. */
	public void reset() {
		behave((request) -> tokens("Hello", " world"));
		reportLoad(IDLE);
		this.requests.clear();
		this.cancellations.set(0);
		this.traceparents.clear();
		this.loadCalls.set(0);
	}

	public List<GenerateRequest> requests() {
		return List.copyOf(this.requests);
	}

	/** The {@code traceparent} metadata of the calls received, in order. */
	public List<String> traceparents() {
		return List.copyOf(this.traceparents);
	}

	public int cancellations() {
		return this.cancellations.get();
	}

	public int loadCalls() {
		return this.loadCalls.get();
	}

	@Override
	public void close() {
		this.server.shutdownNow();
	}

	/** One chunk per text, the last one finishing with {@code stop} and usage. */
	public static Flux<GenerateChunk> tokens(String... texts) {
		return Flux.range(0, texts.length).map((i) -> {
			GenerateChunk.Builder chunk = GenerateChunk.newBuilder().setText(texts[i]).setTokenCount(1);
			if (i == texts.length - 1) {
				chunk.setFinishReason("stop")
					.setUsage(Usage.newBuilder().setPromptTokens(5).setCompletionTokens(texts.length));
			}
			return chunk.build();
		});
	}

	/** A non-final chunk. */
	public static GenerateChunk token(String text) {
		return GenerateChunk.newBuilder().setText(text).setTokenCount(1).build();
	}

	/** Fails at once with the status. */
	public static Flux<GenerateChunk> failing(Status status) {
		return Flux.error(status.asRuntimeException());
	}

	private final class Service extends ReactorInferenceGrpc.InferenceImplBase {

		/** Records the W3C trace context each call carries. */
		ServerInterceptor traceparents() {
			return new ServerInterceptor() {
				@Override
				public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
						ServerCallHandler<Q, A> next) {
					String traceparent = headers.get(TRACEPARENT);
					if (traceparent != null) {
						FakeReplica.this.traceparents.add(traceparent);
					}
					return next.startCall(call, headers);
				}
			};
		}

		@Override
		public Flux<GenerateChunk> generate(GenerateRequest request) {
			FakeReplica.this.requests.add(request);
			return FakeReplica.this.behaviour.apply(request)
				.doOnCancel(FakeReplica.this.cancellations::incrementAndGet);
		}

		@Override
		public Mono<ReplicaLoad> getLoad(LoadRequest request) {
			FakeReplica.this.loadCalls.incrementAndGet();
			return Mono.just(FakeReplica.this.load);
		}

	}

}
