package dev.llmserve.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ManagedProcessTests {

	@Test
	void stopEndsTheWholeProcessTree() throws Exception {
		try (ManagedProcess process = ManagedProcess
			.start(ProcessSpec.of("tree", List.of("sh", "-c", "sleep 300 & sleep 300 & wait")))) {
			await().atMost(Duration.ofSeconds(5)).until(() -> process.pid() > 0 && descendants(process).size() == 2);
			List<ProcessHandle> children = descendants(process);

			// sh defers SIGTERM while it waits, so its children are ended as leftovers.
			assertThat(process.stop(Duration.ofSeconds(1))).isTrue();

			assertThat(process.isAlive()).isFalse();
			assertThat(children).noneMatch(ProcessHandle::isAlive);
		}
	}

	@Test
	void stopAlsoEndsADescendantThatWasReparentedAwayFromTheTree() throws Exception {
		String marker = "4321." + ProcessHandle.current().pid();
		try (ManagedProcess process = ManagedProcess.start(ProcessSpec.of("orphaner",
				List.of("sh", "-c", "(sleep " + marker + " &); echo started; exec sleep 300")))) {
			await().atMost(Duration.ofSeconds(5)).until(() -> processWith(marker).isPresent());
			ProcessHandle orphan = processWith(marker).orElseThrow();
			assertThat(descendants(process)).doesNotContain(orphan);

			process.stop(Duration.ofSeconds(5));

			await().atMost(Duration.ofSeconds(2)).until(() -> !orphan.isAlive());
		}
	}

	@Test
	void stopLetsTheRootStopItsOwnChildrenFirst() throws Exception {
		String script = "sleep 300 & child=$!; "
				+ "trap 'kill -0 $child && echo child-alive-on-term; kill $child; wait $child; exit 0' TERM; "
				+ "echo ready; wait";
		try (ManagedProcess process = ManagedProcess.start(ProcessSpec.of("drainer", List.of("sh", "-c", script)))) {
			await().atMost(Duration.ofSeconds(5)).until(() -> process.recentOutput().contains("ready"));

			assertThat(process.stop(Duration.ofSeconds(5))).isTrue();

			assertThat(process.onExit().get(1, TimeUnit.SECONDS)).isZero();
			assertThat(process.recentOutput()).contains("child-alive-on-term");
		}
	}

	@Test
	void stopKillsAProcessThatIgnoresSigterm() throws Exception {
		try (ManagedProcess process = ManagedProcess.start(ProcessSpec.of("stubborn",
				List.of("sh", "-c", "trap '' TERM; echo ready; while true; do sleep 0.1; done")))) {
			await().atMost(Duration.ofSeconds(5)).until(() -> process.recentOutput().contains("ready"));

			assertThat(process.stop(Duration.ofMillis(300))).isTrue();

			assertThat(process.onExit().get(1, TimeUnit.SECONDS)).isEqualTo(137);
		}
	}

	@Test
	void outputIsKeptAndExitCodeReported() throws Exception {
		ManagedProcess process = ManagedProcess
			.start(ProcessSpec.of("talker", List.of("sh", "-c", "echo one; echo two >&2; exit 7")));

		assertThat(process.onExit().get(5, TimeUnit.SECONDS)).isEqualTo(7);
		await().atMost(Duration.ofSeconds(2)).until(() -> process.recentOutput().size() == 2);
		assertThat(process.recentOutput()).containsExactly("one", "two");
	}

	@Test
	void listenersSeeLinesPrintedAfterTheyRegister() throws Exception {
		List<String> seen = new CopyOnWriteArrayList<>();
		try (ManagedProcess process = ManagedProcess
			.start(ProcessSpec.of("late", List.of("sh", "-c", "sleep 0.5; echo late; exec sleep 300")))) {
			process.onOutput(seen::add);

			await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("late"));
		}
	}

	@Test
	void outputCanGoToALogFileThatOutlivesUs(@TempDir Path dir) throws Exception {
		Path log = dir.resolve("logs").resolve("child.log");
		ManagedProcess process = ManagedProcess
			.start(ProcessSpec.of("logger", List.of("sh", "-c", "echo one; echo two")).withLogFile(log));

		assertThat(process.onExit().get(5, TimeUnit.SECONDS)).isZero();
		assertThat(Files.readAllLines(log)).containsExactly("one", "two");
		assertThat(process.recentOutput()).containsExactly("one", "two");
	}

	@Test
	void aChildMeantToOutliveUsIsNotToldToWatchUs() throws Exception {
		ManagedProcess process = ManagedProcess
			.start(ProcessSpec.of("env", List.of("sh", "-c", "echo \"[$" + ParentWatchdog.PARENT_PID_ENV + "]\""))
				.outlivingParent());

		process.onExit().get(5, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(2)).until(() -> !process.recentOutput().isEmpty());
		assertThat(process.recentOutput()).doesNotContain("[" + ProcessHandle.current().pid() + "]");
	}

	@Test
	void childIsToldWhoItsParentIs() throws Exception {
		ManagedProcess process = ManagedProcess
			.start(ProcessSpec.of("env", List.of("sh", "-c", "echo \"$" + ParentWatchdog.PARENT_PID_ENV + "\"")));

		process.onExit().get(5, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(2)).until(() -> !process.recentOutput().isEmpty());
		assertThat(process.recentOutput()).containsExactly(Long.toString(ProcessHandle.current().pid()));
	}

	/**
	 * The {@code sleep} process with this argument (not the shell whose script mentions
	 * it).
	 */
	private static Optional<ProcessHandle> processWith(String marker) {
		return ProcessHandle.allProcesses()
			.filter((handle) -> handle.info().command().orElse("").endsWith("/sleep")
					&& List.of(handle.info().arguments().orElse(new String[0])).contains(marker))
			.findFirst();
	}

	private static List<ProcessHandle> descendants(ManagedProcess process) {
		return ProcessHandle.of(process.pid()).map((handle) -> handle.descendants().toList()).orElse(List.of());
	}

}
