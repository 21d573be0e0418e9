package dev.llmserve.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops a process and everything it started: SIGTERM to the whole tree, a grace period,
 * then SIGKILL to whatever is left.
 */
public final class ProcessTrees {

	/**
	 * How long what is left of a tree gets between SIGTERM and SIGKILL once its root is
	 * gone.
	 */
	private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(2);

	private ProcessTrees() {
	}

	/**
	 * Stops {@code root} and all its descendants: SIGTERM to the root alone, which may
	 * need the grace period to stop its own children in order (a replica drains its
	 * streams before it stops its engine); after that, whatever is left of the tree gets
	 * SIGTERM and then SIGKILL. The descendants are collected before any signal, because
	 * a child whose parent dies is re-parented and can no longer be found from the root.
	 * Blocks for at most about {@code grace} plus a few seconds.
	 * @return whether every process of the tree is gone
	 */
	public static boolean stop(ProcessHandle root, Duration grace) {
		return stop(root, grace, false);
	}

	/**
	 * As {@link #stop(ProcessHandle, Duration)}, and when {@code groupLeader} the
	 * leftovers also include every process of the group the root leads, even ones
	 * re-parented away from it.
	 * @return whether every process of the tree is gone
	 */
	static boolean stop(ProcessHandle root, Duration grace, boolean groupLeader) {
		List<ProcessHandle> tree = collect(root);
		root.destroy();
		if (!awaitAll(List.of(root), grace)) {
			root.destroyForcibly();
		}
		signalGroup(root, groupLeader, "TERM");
		tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
		boolean stopped = awaitAll(tree, LEFTOVER_GRACE);
		// The group may outlive the tree we could see: always finish it off.
		signalGroup(root, groupLeader, "KILL");
		if (!stopped) {
			tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
			return awaitAll(tree, Duration.ofSeconds(5));
		}
		return true;
	}

	private static void signalGroup(ProcessHandle root, boolean groupLeader, String signal) {
		if (groupLeader) {
			ProcessGroups.signal(root.pid(), signal);
		}
	}

	/** The root followed by all its live descendants, deepest last. */
	static List<ProcessHandle> collect(ProcessHandle root) {
		List<ProcessHandle> tree = new ArrayList<>();
		tree.add(root);
		root.descendants().forEach(tree::add);
		return tree;
	}

	private static boolean awaitAll(List<ProcessHandle> tree, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (ProcessHandle handle : tree) {
			long left = deadline - System.nanoTime();
			try {
				handle.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			catch (Exception ex) {
				if (handle.isAlive()) {
					return false;
				}
			}
		}
		return true;
	}

}
