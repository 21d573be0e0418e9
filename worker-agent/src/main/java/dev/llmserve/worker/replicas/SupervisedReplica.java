package dev.llmserve.worker.replicas;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import dev.llmserve.proto.ReplicaLoad;
import dev.llmserve.proto.ReplicaSpec;
import dev.llmserve.proto.ReplicaState;
import dev.llmserve.proto.ReplicaStatus;

/**
 * One replica's lifecycle: STARTING → READY; FAILED and relaunched (same id, same GPUs);
 * DRAINING → STOPPED when asked to stop. Guarded by the registry, which calls it only
 * while holding its lock.
 */
final class SupervisedReplica {

	/** Heartbeats that report a STOPPED replica before it is forgotten. */
	static final int STOPPED_REPORTS = 2;

	/** Restart times kept; more than any restart policy counts. */
	static final int RESTART_HISTORY = 1000;

	private static final ReplicaLoad NO_LOAD = ReplicaLoad.getDefaultInstance();

	private final ReplicaSpec spec;

	private final Deque<Instant> restartTimes = new ArrayDeque<>();

	private int restarts;

	private ReplicaState state = ReplicaState.REPLICA_STARTING;

	private String message = "";

	private ReplicaLoad load = NO_LOAD;

	private Launch launch;

	private long lastLaunchId;

	private boolean stopping;

	private boolean gaveUp;

	private int stoppedReports;

	SupervisedReplica(ReplicaSpec spec) {
		this.spec = spec;
	}

	String id() {
		return this.spec.getReplicaId();
	}

	ReplicaSpec spec() {
		return this.spec;
	}

	ReplicaState state() {
		return this.state;
	}

	/** The current launch, or {@code null} while FAILED or once STOPPED. */
	Launch launch() {
		return this.launch;
	}

	boolean isStopping() {
		return this.stopping;
	}

	int restarts() {
		return this.restarts;
	}

	List<Instant> restartTimes() {
		return List.copyOf(this.restartTimes);
	}

	boolean isCurrent(long launchId) {
		return this.launch != null && this.launch.id() == launchId && !this.stopping;
	}

	/** Whether the launch failed and nothing has happened to the replica since. */
	boolean awaitsRestart(long failedLaunchId) {
		return this.state == ReplicaState.REPLICA_FAILED && this.launch == null && this.lastLaunchId == failedLaunchId
				&& !this.stopping && !this.gaveUp;
	}

	Launch launch(long launchId, LaunchPorts ports, Instant now) {
		this.lastLaunchId = launchId;
		this.launch = new Launch(launchId, ports, now, this.restarts);
		this.state = ReplicaState.REPLICA_STARTING;
		this.load = NO_LOAD;
		return this.launch;
	}

	Launch relaunch(long launchId, LaunchPorts ports, Instant now) {
		this.restarts++;
		this.restartTimes.addLast(now);
		if (this.restartTimes.size() > RESTART_HISTORY) {
			this.restartTimes.removeFirst();
		}
		return launch(launchId, ports, now);
	}

	void healthy(ReplicaLoad load, Instant now) {
		this.launch.healthyAt(now);
		if (this.state == ReplicaState.REPLICA_STARTING) {
			this.state = ReplicaState.REPLICA_READY;
			this.message = "";
		}
		if (load != null) {
			this.load = load;
		}
	}

	void unhealthy() {
		this.load = this.load.toBuilder().setEngineHealthy(false).build();
	}

	/** FAILED: the launch is over. */
	Launch fail(String message) {
		Launch ended = this.launch;
		this.launch = null;
		this.state = ReplicaState.REPLICA_FAILED;
		this.message = message;
		this.load = NO_LOAD;
		return ended;
	}

	void giveUp(String message) {
		this.gaveUp = true;
		this.message = message;
	}

	/** DRAINING: no restart from now on. */
	Launch beginStop(String message) {
		this.stopping = true;
		this.state = ReplicaState.REPLICA_DRAINING;
		this.message = message;
		return this.launch;
	}

	void stopped() {
		this.stopping = true;
		this.state = ReplicaState.REPLICA_STOPPED;
		this.launch = null;
		this.load = NO_LOAD;
	}

	/** Counts one more report of this STOPPED replica; true once it may be forgotten. */
	boolean reportedStopped() {
		return ++this.stoppedReports >= STOPPED_REPORTS;
	}

	ReplicaStatus status(String advertiseHost) {
		ReplicaStatus.Builder status = ReplicaStatus.newBuilder()
			.setSpec(this.spec)
			.setState(this.state)
			.setLoad(this.load)
			.setRestarts(this.restarts)
			.setMessage(this.message);
		if (this.launch != null) {
			status.setAddress(advertiseHost + ":" + this.launch.ports().grpc())
				.setHttpAddress(advertiseHost + ":" + this.launch.ports().http())
				.setPid(this.launch.pid());
		}
		return status.build();
	}

}
