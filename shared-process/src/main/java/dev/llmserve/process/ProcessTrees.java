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

	private ProcessTrees() {
	}

	/**
	 * Stops {@code root} and all its descendants. The descendants are collected before
	 * any signal is sent, because a child whose parent dies is re-parented and can no
	 * longer be found from the root. Blocks for at most about {@code grace} plus a short
	 * kill wait.
	 * @return whether every process of the tree is gone
	 */
	public static boolean stop(ProcessHandle root, Duration grace) {
		List<ProcessHandle> tree = collect(root);
		tree.forEach(ProcessHandle::destroy);
		if (!awaitAll(tree, grace)) {
			tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
			return awaitAll(tree, Duration.ofSeconds(5));
		}
		return true;
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
