package dev.llmserve.loadgen.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmserve.loadgen.metrics.TimelineRow;

/**
 * Writes {@code summary.json}, {@code timeline.csv} and {@code report.html} into a
 * directory.
 */
public final class ReportFiles {

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	private ReportFiles() {
	}

	public static void write(Path dir, Map<String, Object> summary, List<TimelineRow> timeline) throws IOException {
		Files.createDirectories(dir);
		JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
		StringBuilder csv = new StringBuilder(TimelineRow.CSV_HEADER).append('\n');
		timeline.forEach((row) -> csv.append(row.toCsv()).append('\n'));
		Files.writeString(dir.resolve("timeline.csv"), csv, StandardCharsets.UTF_8);
		Files.writeString(dir.resolve("report.html"), HtmlReportWriter.render(summary, timeline),
				StandardCharsets.UTF_8);
	}

}
