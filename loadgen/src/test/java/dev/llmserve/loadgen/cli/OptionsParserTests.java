package dev.llmserve.loadgen.cli;

import java.net.URI;
import java.time.Duration;

import dev.llmserve.loadgen.load.LoadShape;
import dev.llmserve.loadgen.metrics.Slo;
import dev.llmserve.loadgen.workload.ApiKind;
import dev.llmserve.loadgen.workload.TokenRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OptionsParserTests {

	@Test
	void parsesTheIssuesExampleCommand() {
		LoadgenOptions options = OptionsParser.parse("--url", "http://127.0.0.1:8000", "--model", "tinyllama",
				"--users", "100", "--duration", "60s", "--out", "/tmp/x");

		assertThat(options.client().targets()).containsExactly(URI.create("http://127.0.0.1:8000"));
		assertThat(options.shape()).isEqualTo(new LoadShape.ClosedLoop(100, Double.POSITIVE_INFINITY));
		assertThat(options.limits().duration()).isEqualTo(Duration.ofSeconds(60));
		assertThat(options.client().maxConnections()).isEqualTo(164);
		assertThat(options.out()).hasToString("/tmp/x");
	}

	@Test
	void parsesAnOpenLoopWorkloadWithEqualsSyntax() {
		LoadgenOptions options = OptionsParser.parse("--rate=inf", "--max-concurrency=32", "--burstiness=0.5",
				"--api=completions", "--input-tokens=300:500", "--max-tokens=500", "--ignore-eos", "--prefix-groups=4",
				"--prefix-tokens=1000", "--slo=ttft:500,e2el:20000", "--duration=2m");

		assertThat(options.shape()).isEqualTo(new LoadShape.OpenLoop(Double.POSITIVE_INFINITY, 0.5, 32));
		assertThat(options.workload().api()).isEqualTo(ApiKind.COMPLETIONS);
		assertThat(options.workload().inputTokens()).isEqualTo(new TokenRange(300, 500));
		assertThat(options.workload().ignoreEos()).isTrue();
		assertThat(options.workload().prefixGroups()).isEqualTo(4);
		assertThat(options.slo()).isEqualTo(new Slo(500.0, null, 20000.0));
		assertThat(options.limits().duration()).isEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void severalTargetsAreListed() {
		LoadgenOptions options = OptionsParser.parse("--targets", "http://127.0.0.1:1,http://127.0.0.1:2");

		assertThat(options.client().targets()).hasSize(2);
	}

	@Test
	void errorsNameTheFlagAndWhatItExpects() {
		assertThatIllegalArgumentException().isThrownBy(() -> OptionsParser.parse("--users", "0"))
			.withMessage("users: 0 (expected: >= 1)");
		assertThatIllegalArgumentException().isThrownBy(() -> OptionsParser.parse("--duration", "soon"))
			.withMessageContaining("expected: a duration");
		assertThatIllegalArgumentException().isThrownBy(() -> OptionsParser.parse("--bogus"))
			.withMessageContaining("unknown flag");
		assertThatIllegalArgumentException().isThrownBy(() -> OptionsParser.parse("--rate", "inf"))
			.withMessageContaining("unbounded");
		assertThatIllegalArgumentException().isThrownBy(() -> OptionsParser.parse("--url", "ftp://x"))
			.withMessageContaining("expected: http://host:port");
		assertThatIllegalArgumentException().isThrownBy(() -> OptionsParser.parse("--users", "5", "--rate", "3"))
			.withMessageContaining("not both");
	}

	@Test
	void everyFlagIsInTheHelp() {
		String help = HelpText.render();

		Flags.BY_NAME.keySet().forEach((name) -> assertThat(help).contains("--" + name));
	}

}
