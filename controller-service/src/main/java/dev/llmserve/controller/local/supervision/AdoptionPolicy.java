package dev.llmserve.controller.local.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides what becomes of a child recorded by an earlier controller: adopt the process,
 * replace it, or start a new one. A pid alone proves nothing (the OS reuses them), so the
 * process must also have started when the record says.
 */
final class AdoptionPolicy {

	/**
	 * How far apart two readings of one process's start may be. The OS derives it from
	 * the boot time, which it reports in whole seconds and which moves when the clock is
	 * set.
	 */
	static final Duration START_TOLERANCE = Duration.ofSeconds(1);

	private AdoptionPolicy() {
	}

	/**
	 * Whether the process holding the recorded pid is the recorded one.
	 * @param runningSince when the process now holding the pid started; empty if none
	 * runs (a zombie does not) or its start is unknown
	 */
	static boolean isRecordedProcess(ChildRecord record, Optional<Instant> runningSince) {
		return record.startInstant() != null && runningSince
			.filter((start) -> Duration.between(start, record.startInstant()).abs().compareTo(START_TOLERANCE) <= 0)
			.isPresent();
	}

	/**
	 * @param record the child as recorded
	 * @param runningSince when the process now holding the recorded pid started; empty if
	 * none runs or its start is unknown
	 * @param expectedCommand the command this controller would run the child with on the
	 * recorded ports (or on new ones, if the recorded ones are no longer acceptable)
	 * @param answers whether the process answers its health check; only consulted for the
	 * recorded process
	 */
	static Decision decide(ChildRecord record, Optional<Instant> runningSince, List<String> expectedCommand,
			boolean answers) {
		if (runningSince.isEmpty()) {
			return new Decision(Action.START_NEW, "pid %d is no longer running".formatted(record.pid()));
		}
		if (!isRecordedProcess(record, runningSince)) {
			return new Decision(Action.START_NEW, "pid %d now belongs to another process (started %s, recorded %s)"
				.formatted(record.pid(), runningSince.get(), record.startInstant()));
		}
		if (!record.command().equals(expectedCommand)) {
			return new Decision(Action.REPLACE,
					"it runs an outdated command (the configuration, the ports or the controller's address changed)");
		}
		if (!answers) {
			return new Decision(Action.REPLACE, "it does not answer its health check");
		}
		return new Decision(Action.ADOPT, "running since %s and healthy".formatted(record.startInstant()));
	}

	enum Action {

		/** Supervise the running process as if we had started it. */
		ADOPT,

		/** The process is ours but unusable: stop it, then start a new one. */
		REPLACE,

		/**
		 * The process is gone (or the pid is someone else's, left alone): start a new
		 * one.
		 */
		START_NEW

	}

	record Decision(Action action, String reason) {
	}

}
