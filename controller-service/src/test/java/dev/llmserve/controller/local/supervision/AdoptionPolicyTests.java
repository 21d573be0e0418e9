package dev.llmserve.controller.local.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.llmserve.controller.local.supervision.AdoptionPolicy.Action;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AdoptionPolicyTests {

	private static final Instant STARTED = Instant.parse("2026-01-10T08:00:00.120Z");

	private static final List<String> COMMAND = List.of("java", "-jar", "gateway-service.jar", "--server.port=8000");

	private final ChildRecord record = new ChildRecord("gateway", "gateway", 4242, STARTED, Map.of("http", 8000),
			COMMAND);

	@Test
	void adoptsTheRecordedProcessWhenItIsAliveStartedAtTheRecordedInstantAndAnswers() {
		assertThat(AdoptionPolicy.decide(this.record, Optional.of(STARTED), COMMAND, true).action())
			.isEqualTo(Action.ADOPT);
	}

	@Test
	void startsANewProcessWhenThePidWasReusedAndLeavesTheOtherProcessAlone() {
		Optional<Instant> someoneElse = Optional.of(STARTED.plus(Duration.ofMinutes(3)));

		AdoptionPolicy.Decision decision = AdoptionPolicy.decide(this.record, someoneElse, COMMAND, true);

		assertThat(decision.action()).isEqualTo(Action.START_NEW);
		assertThat(decision.reason()).contains("another process");
	}

	@Test
	void startsANewProcessWhenTheRecordedOneIsGone() {
		AdoptionPolicy.Decision decision = AdoptionPolicy.decide(this.record, Optional.empty(), COMMAND, false);

		assertThat(decision.action()).isEqualTo(Action.START_NEW);
		assertThat(decision.reason()).contains("no longer running");
	}

	@Test
	void replacesTheRecordedProcessWhenItDoesNotAnswer() {
		assertThat(AdoptionPolicy.decide(this.record, Optional.of(STARTED), COMMAND, false).action())
			.isEqualTo(Action.REPLACE);
	}

	@Test
	void replacesTheRecordedProcessWhenItRunsAnotherCommand() {
		List<String> otherPort = List.of("java", "-jar", "gateway-service.jar", "--server.port=8001");

		assertThat(AdoptionPolicy.decide(this.record, Optional.of(STARTED), otherPort, true).action())
			.isEqualTo(Action.REPLACE);
	}

	@Test
	void toleratesTheStartInstantMovingByASecondBetweenReadings() {
		Optional<Instant> readNow = Optional.of(STARTED.plusSeconds(1));

		assertThat(AdoptionPolicy.decide(this.record, readNow, COMMAND, true).action()).isEqualTo(Action.ADOPT);
		assertThat(AdoptionPolicy.isRecordedProcess(this.record, Optional.of(STARTED.plusMillis(1010)))).isFalse();
	}

	@Test
	void neverAdoptsARecordWithoutAStartInstant() {
		ChildRecord unknownStart = new ChildRecord("gateway", "gateway", 4242, null, Map.of("http", 8000), COMMAND);

		assertThat(AdoptionPolicy.decide(unknownStart, Optional.of(STARTED), COMMAND, true).action())
			.isEqualTo(Action.START_NEW);
	}

}
