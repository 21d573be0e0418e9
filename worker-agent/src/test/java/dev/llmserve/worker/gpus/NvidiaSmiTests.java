package dev.llmserve.worker.gpus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NvidiaSmiTests {

	@TempDir
	Path bin;

	@Test
	void parsesOneIndexALine() {
		assertThat(NvidiaSmiOutput.parseIndexes("0\n1\n2\n3\n")).containsExactly("0", "1", "2", "3");
	}

	@Test
	void ignoresBlankLinesSpacesAndCarriageReturns() {
		assertThat(NvidiaSmiOutput.parseIndexes(" 0\r\n\r\n 1 \r\n")).containsExactly("0", "1");
		assertThat(NvidiaSmiOutput.parseIndexes("")).isEmpty();
	}

	@Test
	void refusesALineThatIsNotAnIndex() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NvidiaSmiOutput.parseIndexes("NVIDIA-SMI has failed because it couldn't communicate"))
			.withMessageStartingWith("nvidia-smi line: 'NVIDIA-SMI has failed");
	}

	@Test
	void listsTheGpusNvidiaSmiPrints() throws Exception {
		Path nvidiaSmi = script("nvidia-smi", "[ \"$1 $2\" = '--query-gpu=index --format=csv,noheader' ] || exit 9",
				"printf '0\\n1\\n'");

		assertThat(discover(nvidiaSmi, List.of(), 2)).isEqualTo(new GpuInventory(List.of("0", "1"), "nvidia-smi"));
	}

	@Test
	void fallsBackToSimulatedSlotsWithoutNvidiaSmi() {
		assertThat(discover(this.bin.resolve("missing"), List.of(), 3))
			.isEqualTo(new GpuInventory(List.of("0", "1", "2"), "simulated"));
	}

	@Test
	void fallsBackToSimulatedSlotsWhenNvidiaSmiFails() throws Exception {
		Path failing = script("nvidia-smi", "echo 'NVIDIA-SMI has failed' ; exit 9");
		Path garbled = script("garbled", "echo 'No devices were found'");

		assertThat(discover(failing, List.of(), 1).source()).isEqualTo("simulated");
		assertThat(discover(garbled, List.of(), 1).source()).isEqualTo("simulated");
	}

	@Test
	void configuredIdsOverrideDetection() throws Exception {
		Path nvidiaSmi = script("nvidia-smi", "printf '0\\n1\\n'");

		assertThat(discover(nvidiaSmi, List.of("4", "5"), 2))
			.isEqualTo(new GpuInventory(List.of("4", "5"), "configured"));
	}

	private static GpuInventory discover(Path nvidiaSmi, List<String> configured, int slots) {
		return new GpuDiscovery(new NvidiaSmi(nvidiaSmi.toString(), Duration.ofSeconds(10))).discover(configured,
				slots);
	}

	private Path script(String name, String... lines) throws Exception {
		Path script = this.bin.resolve(name);
		Files.writeString(script, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
		return script;
	}

}
