"""Error responses exactly as vLLM shapes them, and the HTTP/1.1 edge cases of the server."""

import json
import socket
import unittest

from simtest_support import MODEL, InProcessSim, http_request, post_json

CHAT = "/v1/chat/completions"
COMPLETIONS = "/v1/completions"
MESSAGES = [{"role": "user", "content": "hello"}]


class ApiErrorTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = InProcessSim(max_model_len=256).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def error(self, path, body, expected_status=400):
        status, response = post_json(self.sim.port, path, body)
        self.assertEqual(expected_status, status, response)
        self.assertEqual(["message", "type", "param", "code"], list(response["error"]))
        self.assertEqual(expected_status, response["error"]["code"])
        return response["error"]

    def test_prompt_as_long_as_the_context_is_rejected(self):
        error = self.error(COMPLETIONS, {"prompt": [7] * 256})
        self.assertEqual({"message": "This model's maximum context length is 256 tokens. However, your request has "
                                     "256 input tokens. Please reduce the length of the input messages.",
                          "type": "BadRequestError", "param": "input_tokens", "code": 400}, error)

    def test_max_tokens_beyond_the_context_is_rejected(self):
        error = self.error(COMPLETIONS, {"prompt": [7] * 100, "max_tokens": 200})
        self.assertEqual("'max_tokens' or 'max_completion_tokens' is too large: 200. This model's maximum context "
                         "length is 256 tokens and your request has 100 input tokens (200 > 256 - 100).",
                         error["message"])
        self.assertEqual(("BadRequestError", "max_tokens"), (error["type"], error["param"]))

    def test_max_tokens_below_one_is_rejected(self):
        error = self.error(CHAT, {"messages": MESSAGES, "max_tokens": 0})
        self.assertEqual("max_tokens must be at least 1, got 0.", error["message"])

    def test_missing_messages_is_a_pydantic_validation_error(self):
        error = self.error(CHAT, {"model": MODEL})
        self.assertEqual(("Bad Request", "body.messages"), (error["type"], error["param"]))
        self.assertTrue(error["message"].startswith("1 validation error:\n  {'type': 'missing'"))

    def test_missing_prompt_is_rejected(self):
        error = self.error(COMPLETIONS, {"model": MODEL})
        self.assertIn("Either prompt or prompt_embeds must be provided", error["message"])

    def test_wrong_field_types_are_all_reported(self):
        error = self.error(CHAT, {"messages": MESSAGES, "max_tokens": "many", "temperature": "hot"})
        self.assertTrue(error["message"].startswith("2 validation errors:"))
        self.assertEqual(("Bad Request", "body.max_tokens"), (error["type"], error["param"]))

    def test_malformed_json_is_a_json_decode_error(self):
        status, headers, data = http_request(self.sim.port, "POST", CHAT, b'{"messages": [')
        error = json.loads(data)["error"]
        self.assertEqual((400, "Bad Request"), (status, error["type"]))
        self.assertIn("JSON decode error", error["message"])

    def test_unknown_model_is_404_with_vllms_exact_body(self):
        status, body = post_json(self.sim.port, CHAT, {"model": "foo", "messages": MESSAGES})
        self.assertEqual(404, status)
        self.assertEqual({"error": {"message": "The model `foo` does not exist.", "type": "NotFoundError",
                                    "param": "model", "code": 404}}, body)

    def test_stream_options_without_stream(self):
        error = self.error(CHAT, {"messages": MESSAGES, "stream_options": {"include_usage": True}})
        self.assertIn("Stream options can only be defined when `stream=True`.", error["message"])
        self.assertEqual("stream_options", error["param"])

    def test_only_one_choice_is_simulated(self):
        self.assertEqual("n", self.error(CHAT, {"messages": MESSAGES, "n": 2})["param"])

    def test_negative_temperature_is_rejected(self):
        self.assertEqual("temperature", self.error(CHAT, {"messages": MESSAGES, "temperature": -1})["param"])

    def test_unknown_path_and_wrong_method_answer_like_fastapi(self):
        self.assertEqual((404, b'{"detail":"Not Found"}'), http_request(self.sim.port, "GET", "/nope")[::2])
        status, headers, data = http_request(self.sim.port, "GET", CHAT)
        self.assertEqual((405, b'{"detail":"Method Not Allowed"}'), (status, data))
        self.assertEqual("POST", headers["allow"])


class HttpProtocolTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = InProcessSim().__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def exchange(self, raw: bytes) -> bytes:
        """Send raw bytes, read until the server closes the connection."""
        with socket.create_connection(("127.0.0.1", self.sim.port), timeout=5) as sock:
            sock.sendall(raw)
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
            return received

    def test_keep_alive_serves_pipelined_requests_in_order_and_connection_close_ends_it(self):
        request = b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n"
        closing = b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        received = self.exchange(request + request + closing)
        self.assertEqual(3, received.count(b"HTTP/1.1 200 OK"))
        self.assertTrue(received.endswith(b"content-length: 0\r\n\r\n"))
        self.assertIn(b"connection: close", received)

    def test_chunked_request_bodies_are_accepted(self):
        body = json.dumps({"prompt": "hi", "max_tokens": 2}).encode()
        chunked = b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (5, body[:5], len(body) - 5, body[5:])
        received = self.exchange(b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                 b"Connection: close\r\n\r\n" + chunked)
        self.assertTrue(received.startswith(b"HTTP/1.1 200 OK"), received[:200])
        self.assertIn(b'"completion_tokens":2', received)

    def test_oversized_body_is_413_and_the_connection_closes(self):
        received = self.exchange(b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n")
        self.assertTrue(received.startswith(b"HTTP/1.1 413"), received)

    def test_malformed_request_line_is_400_and_the_connection_closes(self):
        self.assertTrue(self.exchange(b"HELLO\r\n\r\n").startswith(b"HTTP/1.1 400 Bad Request"))

    def test_malformed_header_is_400(self):
        self.assertTrue(self.exchange(b"GET /health HTTP/1.1\r\nno colon here\r\n\r\n").startswith(b"HTTP/1.1 400"))

    def test_expect_100_continue_is_answered(self):
        with socket.create_connection(("127.0.0.1", self.sim.port), timeout=5) as sock:
            body = b'{"tokens":[]}'
            sock.sendall(b"POST /detokenize HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(body))
            self.assertEqual(b"HTTP/1.1 100 Continue\r\n\r\n", sock.recv(100))
            sock.sendall(body)
            self.assertTrue(sock.recv(1000).startswith(b"HTTP/1.1 200 OK"))


if __name__ == "__main__":
    unittest.main()
