package dev.llmserve.replica;

import dev.llmserve.process.ParentWatchdog;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** One model replica: a gRPC {@code Inference} server in front of a supervised engine. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ReplicaApplication {

	public static void main(String[] args) {
		// First, so that a replica whose worker agent died never lingers (nor its
		// engine).
		ParentWatchdog.startFromEnvironment();
		SpringApplication.run(ReplicaApplication.class, args);
	}

}
