package dev.llmserve.controller.local.supervision;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.llmserve.process.ManagedProcess;
import dev.llmserve.process.ProcessSpec;
import reactor.core.publisher.Mono;

/**
 * A child this controller started: its own process group, no watchdog on us (it must
 * outlive a controller that was killed, to be adopted by the next one), output to its log
 * file.
 */
final class StartedChild implements ChildProcess {

	private final ManagedProcess process;

	private StartedChild(ManagedProcess process) {
		this.process = process;
	}

	static StartedChild start(ChildDefinition definition, List<String> command) throws IOException {
		return new StartedChild(ManagedProcess
			.start(ProcessSpec.of(definition.name(), command).outlivingParent().withLogFile(definition.logFile())));
	}

	@Override
	public long pid() {
		return this.process.pid();
	}

	@Override
	public boolean isRunning() {
		return this.process.isAlive();
	}

	@Override
	public CompletableFuture<Integer> onExit() {
		return this.process.onExit();
	}

	@Override
	public void kill() {
		ProcessHandle.of(pid()).map(LiveProcesses::tree).ifPresent(LiveProcesses::kill);
	}

	@Override
	public Mono<Boolean> stop(Duration grace) {
		List<ProcessHandle> tree = ProcessHandle.of(pid()).map(LiveProcesses::tree).orElse(List.of());
		return LiveProcesses.stopTree(() -> this.process.stop(grace), tree);
	}

	@Override
	public List<String> recentOutput() {
		return this.process.recentOutput();
	}

}
