package dev.llmserve.controller.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** With a stand-in {@code java} that creates the files the real one would. */
class FastStartCacheTests {

	private static final String FAKE_JAVA = """
			#!/bin/sh
			dest=""; archive=""; jar=""; previous=""
			for argument in "$@"; do
			  case "$previous" in --destination) dest="$argument";; -jar) jar="$argument";; esac
			  case "$argument" in -XX:ArchiveClassesAtExit=*) archive="${argument#-XX:ArchiveClassesAtExit=}";; esac
			  previous="$argument"
			done
			if [ -n "$dest" ]; then mkdir -p "$dest/lib" && cp "$jar" "$dest/$(basename "$jar")"; fi
			if [ -n "$archive" ]; then echo classes > "$archive"; fi
			""";

	@TempDir
	Path dir;

	@Test
	void runsTheExtractedJarWithItsArchiveOncePrepared() throws IOException {
		FastStartCache cache = cache(jar(), java(FAKE_JAVA));

		cache.prepare().block(Duration.ofSeconds(10));

		assertThat(cache.javaArguments()).containsExactly("-XX:SharedArchiveFile=" + cache.archive(), "-jar",
				cache.extractedJar().toString());
		assertThat(cache.extractedJar()).isRegularFile();
		assertThat(cache.archive()).isRegularFile();
		assertThat(cache.directory().getParent()).isEqualTo(this.dir.resolve("cache"));
	}

	@Test
	void reusesWhatAnEarlierControllerPrepared() throws IOException {
		Path jar = jar();
		Path java = java(FAKE_JAVA);
		cache(jar, java).prepare().block(Duration.ofSeconds(10));
		Files.writeString(java, "#!/bin/sh\nexit 1\n");

		FastStartCache next = cache(jar, java);
		next.prepare().block(Duration.ofSeconds(10));

		assertThat(next.javaArguments()).first().isEqualTo("-XX:SharedArchiveFile=" + next.archive());
	}

	@Test
	void aRebuiltJarGetsAFreshCache() throws IOException {
		Path jar = jar();
		FastStartCache before = cache(jar, java(FAKE_JAVA));
		Files.writeString(jar, "PK rebuilt");
		Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));

		assertThat(cache(jar, java(FAKE_JAVA)).directory()).isNotEqualTo(before.directory());
	}

	@Test
	void discardsTheCachesOfOtherBuilds() throws IOException {
		Path jar = jar();
		FastStartCache old = cache(jar, java(FAKE_JAVA));
		old.prepare().block(Duration.ofSeconds(10));
		Files.writeString(jar, "PK rebuilt");
		Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
		FastStartCache current = cache(jar, java(FAKE_JAVA));
		current.prepare().block(Duration.ofSeconds(10));

		current.discardOthers().block(Duration.ofSeconds(10));

		assertThat(old.directory()).doesNotExist();
		assertThat(current.archive()).isRegularFile();
	}

	@Test
	void runsTheJarAsItIsWhenItCannotBeExtracted() throws IOException {
		Path jar = jar();
		FastStartCache cache = cache(jar, java("#!/bin/sh\necho 'no jarmode here'; exit 1\n"));

		cache.prepare().block(Duration.ofSeconds(10));

		assertThat(cache.javaArguments()).containsExactly("-jar", jar.toString());
		assertThat(this.dir.resolve("logs/gateway-service-extract.log")).content().contains("no jarmode here");
	}

	private FastStartCache cache(Path jar, Path java) {
		return new FastStartCache(jar, this.dir.resolve("cache"), java, List.of("-Xmx1g"), this.dir.resolve("logs"));
	}

	private Path jar() throws IOException {
		return Files.writeString(this.dir.resolve("gateway-service.jar"), "PK");
	}

	private Path java(String script) throws IOException {
		Path java = Files.createTempFile(this.dir, "java", ".sh");
		Files.writeString(java, script);
		Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
		return java;
	}

}
