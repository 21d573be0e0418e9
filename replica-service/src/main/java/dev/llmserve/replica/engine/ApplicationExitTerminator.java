package dev.llmserve.replica.engine;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closes the application context, then exits the JVM with the code; the first call wins.
 */
final class ApplicationExitTerminator implements ReplicaTerminator {

	private static final Logger log = LoggerFactory.getLogger(ApplicationExitTerminator.class);

	private final ConfigurableApplicationContext context;

	private final AtomicBoolean terminating = new AtomicBoolean();

	ApplicationExitTerminator(ConfigurableApplicationContext context) {
		this.context = context;
	}

	@Override
	public void terminate(int exitCode) {
		if (!this.terminating.compareAndSet(false, true)) {
			return;
		}
		log.error("Shutting the replica down (exit code {})", exitCode);
		// Off the caller's thread: closing the context stops the thread that reported
		// this.
		Thread exit = new Thread(() -> exit(exitCode), "replica-exit");
		// Non-daemon (callers' threads often are), or the JVM ends with 0 once the
		// context is closed.
		exit.setDaemon(false);
		exit.start();
	}

	private void exit(int exitCode) {
		try {
			SpringApplication.exit(this.context, () -> exitCode);
		}
		finally {
			System.exit(exitCode);
		}
	}

}
