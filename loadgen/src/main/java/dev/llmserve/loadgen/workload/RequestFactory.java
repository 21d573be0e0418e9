package dev.llmserve.loadgen.workload;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds each request of a workload: draws the prompt and lengths and encodes the body
 * the way {@code vllm bench serve} does (streamed, with usage in the last chunk).
 * Thread-safe.
 */
public final class RequestFactory {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final WorkloadSpec spec;

	private final PromptFactory prompts;

	private final ThreadLocal<SplittableRandom> random;

	public RequestFactory(WorkloadSpec spec) {
		this.spec = spec;
		this.prompts = new PromptFactory(spec.prefixGroups(), spec.prefixTokens(), spec.seed());
		SplittableRandom root = new SplittableRandom(spec.seed());
		this.random = ThreadLocal.withInitial(() -> splitFrom(root));
	}

	private static SplittableRandom splitFrom(SplittableRandom root) {
		synchronized (root) {
			return root.split();
		}
	}

	public PreparedRequest next() {
		SplittableRandom random = this.random.get();
		int inputTokens = this.spec.inputTokens().sample(random);
		int maxTokens = this.spec.maxTokens().sample(random);
		PromptFactory.Prompt prompt = this.prompts.next(random, inputTokens);
		int promptTokens = inputTokens + ((prompt.prefixGroup() >= 0) ? this.spec.prefixTokens() : 0);
		String path = this.spec.api().path(this.spec.model());
		if (this.spec.api() == ApiKind.PLAIN) {
			byte[] body = prompt.text().getBytes(StandardCharsets.UTF_8);
			return new PreparedRequest(path, "text/plain", body, promptTokens, maxTokens);
		}
		return new PreparedRequest(path, "application/json", jsonBody(prompt.text(), maxTokens), promptTokens,
				maxTokens);
	}

	private byte[] jsonBody(String prompt, int maxTokens) {
		ObjectNode body = JSON.createObjectNode().put("model", this.spec.model());
		if (this.spec.api() == ApiKind.CHAT) {
			body.putArray("messages").addObject().put("role", "user").put("content", prompt);
		}
		else {
			body.put("prompt", prompt);
		}
		body.put("max_tokens", maxTokens).put("stream", true);
		body.putObject("stream_options").put("include_usage", true);
		if (this.spec.ignoreEos()) {
			body.put("ignore_eos", true);
		}
		try {
			return JSON.writeValueAsBytes(body);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
