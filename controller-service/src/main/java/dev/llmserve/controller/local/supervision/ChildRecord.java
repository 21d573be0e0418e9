package dev.llmserve.controller.local.supervision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A child process as written down, so that a controller started after this one died can
 * find it again.
 *
 * @param role what the child is
 * @param id its id
 * @param pid its process id
 * @param startInstant when the process started, as the OS tells it
 * ({@link ProcessHandle.Info#startInstant()}); it tells the recorded process from a later
 * one that got the same pid. {@code null} when the OS did not tell.
 * @param ports its ports by name
 * @param command the command line it runs
 */
record ChildRecord(String role, String id, long pid, Instant startInstant, Map<String, Integer> ports,
		List<String> command) {

	ChildRecord {
		ports = Map.copyOf(ports);
		command = List.copyOf(command);
	}

}
