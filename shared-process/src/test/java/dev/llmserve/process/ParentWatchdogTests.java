package dev.llmserve.process;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ParentWatchdogTests {

	@Test
	void exitsWhenTheParentDies() throws Exception {
		try (ManagedProcess parent = ManagedProcess.start(ProcessSpec.of("parent", List.of("sleep", "300")))) {
			CompletableFuture<Integer> exitCode = new CompletableFuture<>();
			new ParentWatchdog(ProcessHandle.of(parent.pid()).orElseThrow(), Duration.ofMillis(50), exitCode::complete)
				.start();

			assertThat(exitCode).isNotDone();
			parent.stop(Duration.ofSeconds(1));

			assertThat(exitCode.get(2, TimeUnit.SECONDS)).isEqualTo(ParentWatchdog.ORPHANED_EXIT_CODE);
		}
	}

}
