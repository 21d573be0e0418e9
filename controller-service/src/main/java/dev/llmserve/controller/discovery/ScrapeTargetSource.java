package dev.llmserve.controller.discovery;

import java.util.List;

/**
 * Something that knows processes to scrape: the replicas workers report, the children
 * local mode supervises. Asked again at every refresh, so it answers from memory.
 */
@FunctionalInterface
public interface ScrapeTargetSource {

	List<ScrapeTarget> scrapeTargets();

}
