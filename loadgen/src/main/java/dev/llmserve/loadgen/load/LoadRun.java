package dev.llmserve.loadgen.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.llmserve.loadgen.client.ClientSpec;
import dev.llmserve.loadgen.client.StreamingClient;
import dev.llmserve.loadgen.client.TargetSelector;
import dev.llmserve.loadgen.metrics.LiveStats;
import dev.llmserve.loadgen.metrics.ResultAggregator;
import dev.llmserve.loadgen.metrics.Slo;
import dev.llmserve.loadgen.metrics.TimelineRow;
import dev.llmserve.loadgen.workload.RequestFactory;
import dev.llmserve.loadgen.workload.WorkloadSpec;
import reactor.core.Disposable;

/**
 * One run: offers the load for its duration, samples a timeline row every second (handing
 * each to a progress callback), lets in-flight requests drain, cancels the rest, and
 * reports.
 */
public final class LoadRun {

	private static final long POLL_MILLIS = 20;

	private static final long ABORT_GRACE_NANOS = 5_000_000_000L;

	private final ClientSpec clientSpec;

	private final WorkloadSpec workload;

	private final LoadShape shape;

	private final RunLimits limits;

	private final Slo slo;

	private volatile boolean stopRequested;

	public LoadRun(ClientSpec clientSpec, WorkloadSpec workload, LoadShape shape, RunLimits limits, Slo slo) {
		this.clientSpec = clientSpec;
		this.workload = workload;
		this.shape = shape;
		this.limits = limits;
		this.slo = slo;
	}

	/** Runs the load; {@code progress} gets each second's row, from a timer thread. */
	public RunReport run(Consumer<TimelineRow> progress) throws InterruptedException {
		ResultAggregator aggregator = new ResultAggregator(this.slo);
		LiveStats live = new LiveStats();
		List<TimelineRow> timeline = new ArrayList<>();
		ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "loadgen-ticker");
			thread.setDaemon(true);
			return thread;
		});
		try (StreamingClient client = new StreamingClient(this.clientSpec)) {
			RequestIssuer issuer = new RequestIssuer(client, new RequestFactory(this.workload),
					new TargetSelector(this.clientSpec.targets().size()), this.workload.api().isEventStream(),
					aggregator, live, this.limits.maxRequests());
			Instant startedAt = Instant.now();
			long start = System.nanoTime();
			long measuredFrom = start + this.limits.warmup().toNanos();
			issuer.measureFrom(measuredFrom);
			ticker.scheduleAtFixedRate(() -> tick(live, timeline, progress, start), 1, 1, TimeUnit.SECONDS);
			Disposable driver = driver(issuer, aggregator, live).start();
			long offerEnd = measuredFrom + this.limits.duration().toNanos();
			waitUntil(() -> this.stopRequested || System.nanoTime() >= offerEnd
					|| (!issuer.accepting() && live.inFlight() == 0));
			// Stop starting requests but let users finish theirs: disposing the driver
			// would cancel them.
			issuer.stop();
			long drainEnd = System.nanoTime() + this.limits.drain().toNanos();
			waitUntil(() -> this.stopRequested || live.inFlight() == 0 || System.nanoTime() >= drainEnd);
			issuer.abort();
			driver.dispose();
			long abortEnd = System.nanoTime() + ABORT_GRACE_NANOS;
			waitUntil(() -> live.inFlight() == 0 || System.nanoTime() >= abortEnd);
			double seconds = (System.nanoTime() - measuredFrom) / 1e9;
			ticker.shutdown();
			ticker.awaitTermination(2, TimeUnit.SECONDS);
			synchronized (timeline) {
				int last = timeline.isEmpty() ? 0 : timeline.get(timeline.size() - 1).second();
				int end = (int) Math.ceil((System.nanoTime() - start) / 1e9);
				timeline.add(live.sample(Math.max(end, last + 1)));
				return new RunReport(startedAt, seconds, this.limits.warmup().toMillis() / 1000.0, aggregator.totals(),
						timeline, live.peakInFlight(), processCpuSeconds());
			}
		}
		finally {
			ticker.shutdownNow();
		}
	}

	/**
	 * Ends the run now (from another thread, e.g. on SIGTERM): no more requests, no
	 * drain; what is in flight is cancelled and the report covers what happened so far.
	 */
	public void requestStop() {
		this.stopRequested = true;
	}

	private static void tick(LiveStats live, List<TimelineRow> timeline, Consumer<TimelineRow> progress, long start) {
		TimelineRow row;
		synchronized (timeline) {
			row = live.sample((int) Math.round((System.nanoTime() - start) / 1e9));
			timeline.add(row);
		}
		progress.accept(row);
	}

	private LoadDriver driver(RequestIssuer issuer, ResultAggregator aggregator, LiveStats live) {
		if (this.shape instanceof LoadShape.OpenLoop open) {
			ArrivalProcess arrivals = new ArrivalProcess(open.rate(), open.burstiness(),
					new SplittableRandom(this.workload.seed() + 1));
			return new OpenLoopDriver(open, arrivals, issuer, aggregator);
		}
		return new ClosedLoopDriver((LoadShape.ClosedLoop) this.shape, issuer, live);
	}

	private static double processCpuSeconds() {
		return ProcessHandle.current().info().totalCpuDuration().map((cpu) -> cpu.toNanos() / 1e9).orElse(Double.NaN);
	}

	private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
		while (!condition.getAsBoolean()) {
			Thread.sleep(POLL_MILLIS);
		}
	}

}
