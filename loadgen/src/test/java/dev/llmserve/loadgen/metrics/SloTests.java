package dev.llmserve.loadgen.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SloTests {

	@Test
	void parsesAnySubsetOfObjectives() {
		assertThat(Slo.parse("ttft:500,e2el:10000")).isEqualTo(new Slo(500.0, null, 10000.0));
		assertThat(Slo.parse("tpot:12.5")).isEqualTo(new Slo(null, 12.5, null));
	}

	@Test
	void rejectsUnknownMetricsAndNonPositiveValuesSayingWhatItExpects() {
		assertThatIllegalArgumentException().isThrownBy(() -> Slo.parse("itl:5"))
			.withMessageContaining("expected: ttft:MS,tpot:MS,e2el:MS");
		assertThatIllegalArgumentException().isThrownBy(() -> Slo.parse("ttft:0"));
		assertThatIllegalArgumentException().isThrownBy(() -> Slo.parse("ttft"));
	}

}
