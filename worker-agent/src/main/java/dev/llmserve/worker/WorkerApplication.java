package dev.llmserve.worker;

import dev.llmserve.process.ParentWatchdog;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The agent on one node: advertises its GPUs, runs replica processes on them, restarts
 * the ones that crash, and reports all of them to the controller.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class WorkerApplication {

	public static void main(String[] args) {
		// Under a supervisor that asked for it, exit when the supervisor dies.
		ParentWatchdog.startFromEnvironment();
		SpringApplication.run(WorkerApplication.class, args);
	}

}
