package dev.llmserve.worker.support;

import java.util.ArrayList;
import java.util.List;

/** A process and its descendants, captured at one moment so they can be checked later. */
public record ProcessTree(List<ProcessHandle> processes) {

	public ProcessTree {
		processes = List.copyOf(processes);
	}

	public static ProcessTree of(long pid) {
		List<ProcessHandle> processes = new ArrayList<>();
		ProcessHandle.of(pid).ifPresent((root) -> {
			processes.add(root);
			root.descendants().forEach(processes::add);
		});
		return new ProcessTree(processes);
	}

	public List<ProcessHandle> alive() {
		return this.processes.stream().filter(ProcessHandle::isAlive).toList();
	}

	public boolean hasCommandContaining(String text) {
		return this.processes.stream().anyMatch((process) -> process.info().commandLine().orElse("").contains(text));
	}

	/** Last resort for a test that failed half-way. */
	public void kill() {
		this.processes.forEach(ProcessHandle::destroyForcibly);
	}

	@Override
	public String toString() {
		return this.processes.stream()
			.map((process) -> process.pid() + (process.isAlive() ? "" : "(gone)"))
			.toList()
			.toString();
	}

}
