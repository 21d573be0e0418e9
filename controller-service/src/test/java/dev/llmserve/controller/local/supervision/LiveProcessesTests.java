package dev.llmserve.controller.local.supervision;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LiveProcessesTests {

	@Test
	void aZombieCountsAsGoneThoughTheJdkCallsItAlive() throws Exception {
		// The forked child ends at once; its parent never reaps it.
		Process parent = new ProcessBuilder("python3", "-c",
				"import os, time\nif os.fork() == 0:\n    os._exit(0)\ntime.sleep(30)")
			.start();
		try {
			await().atMost(Duration.ofSeconds(5))
				.until(() -> parent.toHandle().children().anyMatch((child) -> !LiveProcesses.isRunning(child)));
			ProcessHandle zombie = parent.toHandle().children().findFirst().orElseThrow();

			assertThat(zombie.isAlive()).isTrue();
			assertThat(LiveProcesses.isRunning(zombie)).isFalse();
			assertThat(LiveProcesses.running(zombie.pid())).isEmpty();
			assertThat(LiveProcesses.running(parent.pid())).isPresent();
		}
		finally {
			parent.destroyForcibly();
		}
	}

	@Test
	void awaitGoneEmitsOnceTheWholeTreeIsGone() throws Exception {
		Process parent = new ProcessBuilder("sh", "-c", "sleep 30 & wait").start();
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> parent.toHandle().children().count() == 1);
			List<ProcessHandle> tree = LiveProcesses.tree(parent.toHandle());

			LiveProcesses.kill(tree);

			assertThat(LiveProcesses.awaitGone(tree).block(Duration.ofSeconds(5))).isTrue();
		}
		finally {
			parent.destroyForcibly();
		}
	}

}
