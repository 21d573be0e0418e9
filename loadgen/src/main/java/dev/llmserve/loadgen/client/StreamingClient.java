package dev.llmserve.loadgen.client;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.llmserve.loadgen.workload.PreparedRequest;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Sends streamed requests over Reactor Netty and times every chunk on arrival. One pooled
 * HTTP/1.1 connection per concurrent stream, so the pool is sized for the whole load and
 * nothing ever waits for a connection that a slow stream holds.
 */
public final class StreamingClient implements AutoCloseable {

	private final ClientSpec spec;

	private final LoopResources loops;

	private final List<ConnectionProvider> providers = new ArrayList<>();

	private final List<HttpClient> clients = new ArrayList<>();

	private final List<String> baseUrls;

	private final AtomicInteger nextClient = new AtomicInteger();

	public StreamingClient(ClientSpec spec) {
		this.spec = spec;
		this.loops = LoopResources.create("loadgen", spec.ioThreads(), true);
		this.baseUrls = spec.targets().stream().map((uri) -> uri.toString().replaceAll("/+$", "")).toList();
		List<String> binds = spec.bindAddresses().isEmpty() ? List.of("") : spec.bindAddresses();
		for (String bind : binds) {
			ConnectionProvider provider = connectionProvider(spec);
			this.providers.add(provider);
			this.clients.add(httpClient(spec, provider, bind));
		}
	}

	private static ConnectionProvider connectionProvider(ClientSpec spec) {
		return ConnectionProvider.builder("loadgen")
			.maxConnections(spec.maxConnections())
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(spec.timeout())
			.maxIdleTime(Duration.ofSeconds(60))
			.build();
	}

	private HttpClient httpClient(ClientSpec spec, ConnectionProvider provider, String bind) {
		HttpClient client = HttpClient.create(provider)
			.runOn(this.loops)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) spec.connectTimeout().toMillis())
			.responseTimeout(spec.idleTimeout())
			.keepAlive(true);
		return bind.isEmpty() ? client : client.bindAddress(() -> new InetSocketAddress(bind, 0));
	}

	/**
	 * Sends one request to a target. The result never errors: every failure is an
	 * outcome. A cancelled subscription closes the connection, as a client that goes away
	 * would.
	 */
	public Mono<RequestResult> send(int target, PreparedRequest request, boolean eventStream, StreamListener listener) {
		return Mono.defer(() -> {
			Exchange exchange = new Exchange(target, request, eventStream, listener);
			return client().headers((headers) -> headers.set(HttpHeaderNames.CONTENT_TYPE, request.contentType()))
				.post()
				.uri(this.baseUrls.get(target) + request.path())
				.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(request.body())))
				.response(exchange::read)
				.next()
				.timeout(this.spec.timeout())
				.onErrorResume((failure) -> Mono.just(exchange.failed(failure)));
		});
	}

	private HttpClient client() {
		return (this.clients.size() == 1) ? this.clients.get(0)
				: this.clients.get(Math.floorMod(this.nextClient.getAndIncrement(), this.clients.size()));
	}

	@Override
	public void close() {
		this.providers.forEach(ConnectionProvider::dispose);
		this.loops.dispose();
	}

}
