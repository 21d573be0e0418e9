package dev.llmserve.loadgen.cli;

import java.nio.file.Path;

import dev.llmserve.loadgen.client.ClientSpec;
import dev.llmserve.loadgen.load.LoadShape;
import dev.llmserve.loadgen.load.RunLimits;
import dev.llmserve.loadgen.metrics.Slo;
import dev.llmserve.loadgen.workload.WorkloadSpec;

/**
 * A parsed command line.
 *
 * @param client where and how to connect
 * @param workload what each request asks for
 * @param shape closed or open loop
 * @param limits duration, drain, request count
 * @param slo goodput objectives
 * @param out the directory for the reports, or null
 * @param label a name for the run, or null
 * @param quiet whether to skip the progress line
 * @param help whether only the help was asked for
 */
public record LoadgenOptions(ClientSpec client, WorkloadSpec workload, LoadShape shape, RunLimits limits, Slo slo,
		Path out, String label, boolean quiet, boolean help) {
}
