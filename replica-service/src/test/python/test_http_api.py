"""The OpenAI-compatible API over real sockets: chunk shapes and order, bodies, info endpoints."""

import json
import unittest

from simtest_support import MODEL, InProcessSim, http_request, post_json, stream_events

CHAT = "/v1/chat/completions"
COMPLETIONS = "/v1/completions"
MESSAGES = [{"role": "user", "content": "Tell me about serving language models."}]


class ChatStreamTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = InProcessSim().__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def chat_stream(self, **fields):
        body = {"model": MODEL, "messages": MESSAGES, "stream": True, **fields}
        status, payloads = stream_events(self.sim.port, CHAT, body, headers={"X-Request-Id": "abc123"})
        self.assertEqual(200, status)
        self.assertEqual("[DONE]", payloads[-1])
        return [json.loads(payload) for payload in payloads[:-1]]

    def test_role_chunk_then_one_chunk_per_token_then_finish_usage_and_done(self):
        chunks = self.chat_stream(max_tokens=5, ignore_eos=True, stream_options={"include_usage": True})
        self.assertEqual(7, len(chunks))
        first, tokens, last, usage = chunks[0], chunks[1:5], chunks[5], chunks[6]
        self.assertEqual({"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": None,
                          "finish_reason": None}, first["choices"][0])
        self.assertEqual(["id", "object", "created", "model", "choices"], list(first))
        for chunk in tokens:
            choice = chunk["choices"][0]
            self.assertEqual(["index", "delta", "logprobs", "finish_reason"], list(choice))
            self.assertTrue(choice["delta"]["content"].startswith(" ") or choice["delta"]["content"] in ".,")
        self.assertEqual(["index", "delta", "logprobs", "finish_reason", "stop_reason"], list(last["choices"][0]))
        self.assertEqual(("length", None), (last["choices"][0]["finish_reason"], last["choices"][0]["stop_reason"]))
        self.assertEqual([], usage["choices"])
        self.assertEqual(["prompt_tokens", "total_tokens", "completion_tokens"], list(usage["usage"]))
        self.assertEqual(5, usage["usage"]["completion_tokens"])

    def test_every_chunk_carries_the_same_id_created_and_model(self):
        chunks = self.chat_stream(max_tokens=3, stream_options={})
        self.assertEqual({("chatcmpl-abc123", "chat.completion.chunk", MODEL)},
                         {(chunk["id"], chunk["object"], chunk["model"]) for chunk in chunks})
        self.assertEqual(1, len({chunk["created"] for chunk in chunks}))
        self.assertIn("usage", chunks[-1], "include_usage defaults to true once stream_options is present")

    def test_no_usage_chunk_without_stream_options_or_with_include_usage_false(self):
        for options in ({}, {"stream_options": {"include_usage": False}}):
            chunks = self.chat_stream(max_tokens=3, **options)
            self.assertTrue(all(chunk["choices"] for chunk in chunks))

    def test_eos_ends_with_an_empty_content_delta_and_finish_reason_stop(self):
        last = self.chat_stream(max_tokens=1000)[-1]["choices"][0]
        self.assertEqual({"content": ""}, last["delta"])
        self.assertEqual(("stop", None), (last["finish_reason"], last["stop_reason"]))

    def test_a_stop_string_is_reported_as_the_stop_reason_and_not_sent(self):
        words = "".join(chunk["choices"][0]["delta"]["content"] for chunk in self.chat_stream(max_tokens=8)[1:])
        stop = " " + words.split(" ")[3]
        chunks = self.chat_stream(max_tokens=8, stop=[stop])
        text = "".join(chunk["choices"][0]["delta"].get("content", "") for chunk in chunks)
        self.assertEqual(words[:words.index(stop)], text)
        last = chunks[-1]["choices"][0]
        self.assertEqual(("stop", stop), (last["finish_reason"], last["stop_reason"]))

    def test_single_token_answer_sends_role_and_final_chunk(self):
        chunks = self.chat_stream(max_tokens=1)
        self.assertEqual(2, len(chunks))
        self.assertEqual("length", chunks[1]["choices"][0]["finish_reason"])


class CompletionsAndBodiesTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = InProcessSim().__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def test_completions_stream_chunks_have_text_and_null_finish_fields_until_the_end(self):
        body = {"prompt": "Once upon a time", "stream": True, "max_tokens": 4,
                "stream_options": {"include_usage": True}}
        status, payloads = stream_events(self.sim.port, COMPLETIONS, body)
        chunks = [json.loads(payload) for payload in payloads[:-1]]
        self.assertEqual(["index", "text", "logprobs", "finish_reason", "stop_reason"], list(chunks[0]["choices"][0]))
        self.assertEqual("text_completion", chunks[0]["object"])
        self.assertTrue(chunks[0]["id"].startswith("cmpl-"))
        self.assertEqual([None, None, None, "length"], [chunk["choices"][0]["finish_reason"] for chunk in chunks[:4]])
        prompt_tokens = post_json(self.sim.port, "/tokenize", {"prompt": "Once upon a time"})[1]["count"]
        self.assertEqual({"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens + 4, "completion_tokens": 4},
                         chunks[4]["usage"])

    def test_completions_default_to_16_tokens_and_accept_a_list_with_one_prompt(self):
        status, body = post_json(self.sim.port, COMPLETIONS, {"prompt": ["Hello"], "ignore_eos": True})
        self.assertEqual(200, status)
        self.assertEqual(16, body["usage"]["completion_tokens"])
        self.assertEqual(["id", "object", "created", "model", "choices", "usage"], list(body)[:6])

    def test_non_streaming_chat_body_matches_the_streamed_text(self):
        request = {"messages": MESSAGES, "max_tokens": 12, "seed": 3, "temperature": 0.7}
        status, body = post_json(self.sim.port, CHAT, request)
        streamed = stream_events(self.sim.port, CHAT, {**request, "stream": True})[1][:-1]
        text = "".join(json.loads(p)["choices"][0]["delta"].get("content", "") for p in streamed)
        self.assertEqual(200, status)
        self.assertEqual("chat.completion", body["object"])
        self.assertEqual(text, body["choices"][0]["message"]["content"])
        self.assertEqual("assistant", body["choices"][0]["message"]["role"])
        self.assertEqual(["prompt_tokens", "total_tokens", "completion_tokens"], list(body["usage"])[:3])

    def test_chat_default_max_tokens_is_the_rest_of_the_context(self):
        status, body = post_json(self.sim.port, CHAT, {"messages": MESSAGES, "ignore_eos": True})
        usage = body["usage"]
        self.assertEqual(2048, usage["total_tokens"])

    def test_max_completion_tokens_and_text_parts_are_honoured(self):
        messages = [{"role": "user", "content": [{"type": "text", "text": "Hi"}, {"type": "text", "text": "there"}]}]
        status, body = post_json(self.sim.port, CHAT, {"messages": messages, "max_completion_tokens": 3,
                                                       "ignore_eos": True})
        self.assertEqual((200, 3), (status, body["usage"]["completion_tokens"]))

    def test_continue_final_message_continues_the_assistant_text(self):
        messages = MESSAGES + [{"role": "assistant", "content": " Machine learning is"}]
        request = {"messages": messages, "continue_final_message": True, "max_tokens": 4}
        status, body = post_json(self.sim.port, CHAT, request)
        self.assertEqual(200, status)
        status, tokens = post_json(self.sim.port, "/tokenize", {"messages": messages, "continue_final_message": True,
                                                                "add_generation_prompt": False})
        self.assertEqual(tokens["count"], body["usage"]["prompt_tokens"])

    def test_models_lists_the_served_name_in_vllms_shape(self):
        status, headers, data = http_request(self.sim.port, "GET", "/v1/models")
        card = json.loads(data)["data"][0]
        self.assertEqual(["id", "object", "created", "owned_by", "root", "parent", "max_model_len", "permission"],
                         list(card))
        self.assertEqual((MODEL, "model", "vllm", 2048), (card["id"], card["object"], card["owned_by"],
                                                         card["max_model_len"]))
        self.assertTrue(card["permission"][0]["id"].startswith("modelperm-"))

    def test_health_ping_and_version(self):
        self.assertEqual((200, b""), http_request(self.sim.port, "GET", "/health")[::2])
        self.assertEqual(200, http_request(self.sim.port, "GET", "/ping")[0])
        self.assertIn("version", json.loads(http_request(self.sim.port, "GET", "/version")[2]))

    def test_tokenize_and_detokenize_round_trip(self):
        status, tokens = post_json(self.sim.port, "/tokenize", {"prompt": "Hello world"})
        self.assertEqual(["count", "max_model_len", "tokens", "token_strs"], list(tokens))
        self.assertEqual(tokens["count"], len(tokens["tokens"]))
        status, text = post_json(self.sim.port, "/detokenize", {"tokens": tokens["tokens"][1:]})
        self.assertEqual({"prompt": "Hello world"}, text)

    def test_usage_prompt_tokens_match_tokenize(self):
        status, tokens = post_json(self.sim.port, "/tokenize", {"messages": MESSAGES})
        status, body = post_json(self.sim.port, CHAT, {"messages": MESSAGES, "max_tokens": 1})
        self.assertEqual(tokens["count"], body["usage"]["prompt_tokens"])


class InStreamErrorTests(unittest.TestCase):
    def test_an_error_after_the_200_is_an_error_event_followed_by_done(self):
        with InProcessSim(num_gpu_blocks=3) as sim:  # 32 tokens of KV: this prompt can never fit
            body = {"messages": [{"role": "user", "content": "word " * 40}], "stream": True, "max_tokens": 5}
            status, payloads = stream_events(sim.port, CHAT, body)
            self.assertEqual((200, "[DONE]"), (status, payloads[-1]))
            self.assertEqual(2, len(payloads), "no role chunk: the request never produced a token")
            error = json.loads(payloads[0])["error"]
            self.assertEqual(["message", "type", "param", "code"], list(error))
            self.assertEqual(("InternalServerError", 500), (error["type"], error["code"]))


if __name__ == "__main__":
    unittest.main()
