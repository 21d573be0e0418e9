package dev.llmserve.controller.discovery;

import java.util.Map;
import java.util.TreeMap;

/**
 * One process Prometheus should scrape: its Actuator {@code host:port} and the labels its
 * series get (e.g. {@code service=replica}, {@code deployment}, {@code replica}).
 *
 * @param address the HTTP address, host:port
 * @param labels target labels, kept sorted so that equal targets write equal files
 */
public record ScrapeTarget(String address, Map<String, String> labels) {

	public ScrapeTarget {
		if (address == null || address.isBlank()) {
			throw new IllegalArgumentException("address: '%s' (expected: host:port)".formatted(address));
		}
		labels = Map.copyOf(labels);
	}

	/** The labels in name order. */
	Map<String, String> sortedLabels() {
		return new TreeMap<>(this.labels);
	}

}
