package dev.llmserve.controller;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Profile {@code json-logs} turns the console into Boot's structured JSON (ECS); the
 * gateway's JsonLogsIntegrationTests shows the lines it produces, trace id included.
 */
class JsonLogsProfileTests {

	@Test
	void jsonLogsProfileWritesTheConsoleAsEcsJson() throws Exception {
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("json-logs",
				new ClassPathResource("application-json-logs.yml"));

		assertThat(sources).singleElement()
			.satisfies(
					(source) -> assertThat(source.getProperty("logging.structured.format.console")).hasToString("ecs"));
	}

}
