package dev.llmserve.gateway.openai;

import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmserve.gateway.error.ApiException;
import dev.llmserve.proto.ChatMessage;
import dev.llmserve.proto.ChatMessages;
import dev.llmserve.proto.GenerateRequest;
import dev.llmserve.proto.SamplingParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CompletionRequestParserTests {

	private static final ObjectMapper mapper = new ObjectMapper();

	private static final String CHAT = "'model':'m','messages':[{'role':'user','content':'hi'}]";

	private static final String ROLES = "one of system, user, assistant, developer, tool";

	private static final String PROMPT = "a non-empty string or an array of one such string";

	private final CompletionRequestParser parser = new CompletionRequestParser();

	static Stream<Arguments> badChatRequests() {
		return Stream.of(arguments("[]", null, "Request body: [] (expected: a JSON object)"),
				arguments("{}", "model", "model: missing (expected: a non-empty string)"),
				arguments("{'model':5}", "model", "model: 5 (expected: a non-empty string)"),
				arguments("{'model':''}", "model", "model: \"\" (expected: a non-empty string)"),
				arguments("{'model':'m'}", "messages", "messages: missing (expected: a non-empty array of messages)"),
				arguments("{'model':'m','messages':[]}", "messages",
						"messages: [] (expected: a non-empty array of messages)"),
				arguments("{'model':'m','messages':'hi'}", "messages",
						"messages: \"hi\" (expected: a non-empty array of messages)"),
				arguments("{'model':'m','messages':[5]}", "messages[0]",
						"messages[0]: 5 (expected: an object with role and content)"),
				arguments("{'model':'m','messages':[{'content':'hi'}]}", "messages[0].role",
						"messages[0].role: missing (expected: " + ROLES + ")"),
				arguments("{'model':'m','messages':[{'role':'bot','content':'hi'}]}", "messages[0].role",
						"messages[0].role: \"bot\" (expected: " + ROLES + ")"),
				arguments("{'model':'m','messages':[{'role':'user'}]}", "messages[0].content",
						"messages[0].content: missing (expected: a string or an array of text parts)"),
				arguments("{'model':'m','messages':[{'role':'user','content':5}]}", "messages[0].content",
						"messages[0].content: 5 (expected: a string or an array of text parts)"),
				arguments(
						"{'model':'m','messages':[{'role':'user','content':[{'type':'text','text':'a'},{'type':'image_url'}]}]}",
						"messages[0].content[1].type",
						"messages[0].content[1].type: \"image_url\" (expected: \"text\")"),
				arguments("{'model':'m','messages':[{'role':'user','content':[{'type':'text','text':1}]}]}",
						"messages[0].content[0].text", "messages[0].content[0].text: 1 (expected: a string)"),
				arguments("{" + CHAT + ",'max_tokens':'x'}", "max_tokens", "max_tokens: \"x\" (expected: an integer)"),
				arguments("{" + CHAT + ",'max_tokens':-1}", "max_tokens", "max_tokens: -1 (expected: > 0)"),
				arguments("{" + CHAT + ",'max_tokens':0}", "max_tokens", "max_tokens: 0 (expected: > 0)"),
				arguments("{" + CHAT + ",'max_tokens':1.5}", "max_tokens", "max_tokens: 1.5 (expected: an integer)"),
				arguments("{" + CHAT + ",'max_tokens':99999999999}", "max_tokens",
						"max_tokens: 99999999999 (expected: <= 2147483647)"),
				arguments("{" + CHAT + ",'max_completion_tokens':-3}", "max_completion_tokens",
						"max_completion_tokens: -3 (expected: > 0)"),
				arguments("{" + CHAT + ",'temperature':2.5}", "temperature",
						"temperature: 2.5 (expected: >= 0 and <= 2)"),
				arguments("{" + CHAT + ",'temperature':-0.1}", "temperature",
						"temperature: -0.1 (expected: >= 0 and <= 2)"),
				arguments("{" + CHAT + ",'temperature':'hot'}", "temperature",
						"temperature: \"hot\" (expected: a number)"),
				arguments("{" + CHAT + ",'top_p':0}", "top_p", "top_p: 0 (expected: > 0 and <= 1)"),
				arguments("{" + CHAT + ",'top_p':1.1}", "top_p", "top_p: 1.1 (expected: > 0 and <= 1)"),
				arguments("{" + CHAT + ",'stop':5}", "stop", "stop: 5 (expected: a string or an array of strings)"),
				arguments("{" + CHAT + ",'stop':['a',1]}", "stop[1]", "stop[1]: 1 (expected: a string)"),
				arguments("{" + CHAT + ",'seed':'x'}", "seed", "seed: \"x\" (expected: a 64-bit integer)"),
				arguments("{" + CHAT + ",'n':2}", "n", "n: 2 (expected: 1)"),
				arguments("{" + CHAT + ",'stream':'yes'}", "stream", "stream: \"yes\" (expected: a boolean)"),
				arguments("{" + CHAT + ",'stream_options':{'include_usage':true}}", "stream_options",
						"Stream options can only be defined when `stream=True`."),
				arguments("{" + CHAT + ",'stream':true,'stream_options':{'include_usage':'x'}}",
						"stream_options.include_usage", "stream_options.include_usage: \"x\" (expected: a boolean)"),
				arguments("{" + CHAT + ",'ignore_eos':1}", "ignore_eos", "ignore_eos: 1 (expected: a boolean)"),
				arguments("{" + CHAT + ",'user':5}", "user", "user: 5 (expected: a string)"),
				arguments("{" + CHAT + ",'foo':1}", "foo", "Unrecognized request argument supplied: foo"),
				arguments("{" + CHAT + ",'max_token':5}", "max_token",
						"Unrecognized request argument supplied: max_token"),
				arguments("{" + CHAT + ",'prompt':'x'}", "prompt", "Unrecognized request argument supplied: prompt"),
				arguments("{" + CHAT + ",'frequency_penalty':0.5}", "frequency_penalty",
						"frequency_penalty: 0.5 (expected: 0 or absent; the gateway does not implement frequency_penalty)"),
				arguments("{" + CHAT + ",'logit_bias':{'1':2}}", "logit_bias",
						"logit_bias: {\"1\":2} (expected: {} or absent; the gateway does not implement logit_bias)"),
				arguments("{" + CHAT + ",'tool_choice':'auto'}", "tool_choice",
						"tool_choice: \"auto\" (expected: \"none\" or absent; the gateway does not implement tool_choice)"));
	}

	static Stream<Arguments> badCompletionRequests() {
		return Stream.of(arguments("{'model':'m'}", "prompt", "prompt: missing (expected: " + PROMPT + ")"),
				arguments("{'model':'m','prompt':''}", "prompt", "prompt: \"\" (expected: " + PROMPT + ")"),
				arguments("{'model':'m','prompt':[]}", "prompt", "prompt: [] (expected: " + PROMPT + ")"),
				arguments("{'model':'m','prompt':['a','b']}", "prompt",
						"prompt: [\"a\",\"b\"] (expected: " + PROMPT + ")"),
				arguments("{'model':'m','prompt':[1]}", "prompt[0]", "prompt[0]: 1 (expected: " + PROMPT + ")"),
				arguments("{'prompt':'hi'}", "model", "model: missing (expected: a non-empty string)"),
				arguments("{'model':'m','prompt':'x','messages':[]}", "messages",
						"Unrecognized request argument supplied: messages"),
				arguments("{'model':'m','prompt':'x','echo':true}", "echo",
						"echo: true (expected: false or absent; the gateway does not implement echo)"));
	}

	@ParameterizedTest
	@MethodSource("badChatRequests")
	void rejectsBadChatRequestsNamingFieldAndExpectation(String body, String param, String message) {
		assertBadRequest(() -> this.parser.chat(json(body)), param, message);
	}

	@ParameterizedTest
	@MethodSource("badCompletionRequests")
	void rejectsBadCompletionRequestsNamingFieldAndExpectation(String body, String param, String message) {
		assertBadRequest(() -> this.parser.completion(json(body)), param, message);
	}

	@Test
	void readsEveryChatFieldAndAcceptsNullAndNeutralUnsupportedOnes() {
		CompletionRequest request = this.parser
			.chat(json("{'model':'m','messages':[{'role':'system','content':'Be brief.'},"
					+ "{'role':'user','content':[{'type':'text','text':'a'},{'type':'text','text':'b'}]},"
					+ "{'role':'assistant','content':null,'tool_calls':[]}],'max_tokens':5,'max_completion_tokens':7,"
					+ "'temperature':0,'top_p':1,'stop':'###','seed':42,'ignore_eos':true,'stream':true,'stream_options':{},"
					+ "'user':'u','n':1,'logit_bias':{},'frequency_penalty':0,'presence_penalty':null,'tools':[],"
					+ "'foo':null}"));
		assertThat(request.stream()).isTrue();
		assertThat(request.includeUsage()).isTrue();
		assertThat(request.toProto("id-1")).isEqualTo(GenerateRequest.newBuilder()
			.setRequestId("id-1")
			.setDeployment("m")
			.setChat(ChatMessages.newBuilder()
				.addMessages(message("system", "Be brief."))
				.addMessages(message("user", "a\nb"))
				.addMessages(message("assistant", "")))
			.setSampling(SamplingParams.newBuilder()
				.setMaxTokens(7)
				.setTemperature(0)
				.setTopP(1)
				.addStop("###")
				.setSeed(42)
				.setIgnoreEos(true))
			.build());
	}

	@Test
	void readsACompletionPromptGivenAsAnArrayOfOne() {
		CompletionRequest request = this.parser
			.completion(json("{'model':'m','prompt':['Once upon'],'stop':['a','b']}"));
		assertThat(request.stream()).isFalse();
		assertThat(request.includeUsage()).isFalse();
		assertThat(request.toProto("id-2")).isEqualTo(GenerateRequest.newBuilder()
			.setRequestId("id-2")
			.setDeployment("m")
			.setPrompt("Once upon")
			.setSampling(SamplingParams.newBuilder().addStop("a").addStop("b"))
			.build());
	}

	@Test
	void letsStreamOptionsTurnUsageOff() {
		CompletionRequest request = this.parser
			.completion(json("{'model':'m','prompt':'x','stream':true,'stream_options':{'include_usage':false}}"));
		assertThat(request.includeUsage()).isFalse();
	}

	private static void assertBadRequest(Runnable parse, String param, String message) {
		assertThatExceptionOfType(ApiException.class).isThrownBy(parse::run).satisfies((ex) -> {
			assertThat(ex.error().status()).isEqualTo(400);
			assertThat(ex.error().type()).isEqualTo("BadRequestError");
			assertThat(ex.error().param()).isEqualTo(param);
			assertThat(ex.error().message()).isEqualTo(message);
		});
	}

	private static ChatMessage message(String role, String content) {
		return ChatMessage.newBuilder().setRole(role).setContent(content).build();
	}

	private static JsonNode json(String singleQuoted) {
		try {
			return mapper.readTree(singleQuoted.replace('\'', '"'));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

}
