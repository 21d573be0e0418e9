package dev.llmserve.controller;

import dev.llmserve.process.ParentWatchdog;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The control plane: deployments (desired state), workers and replicas (actual state),
 * reconciliation, routing snapshots for gateways, and supervision of local processes.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ControllerApplication {

	public static void main(String[] args) {
		// Under a supervisor (a test, a script), exit when it dies.
		ParentWatchdog.startFromEnvironment();
		SpringApplication.run(ControllerApplication.class, args);
	}

}
