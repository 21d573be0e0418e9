package dev.llmserve.gateway;

import dev.llmserve.process.ParentWatchdog;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The client-facing gateway: OpenAI-compatible HTTP in, gRPC streams to replicas out.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

	public static void main(String[] args) {
		// Under a supervisor (the controller, a test, bin/run-local), exit when it dies.
		ParentWatchdog.startFromEnvironment();
		SpringApplication.run(GatewayApplication.class, args);
	}

}
