"""Stop-string matching on the detokenized output, the way vLLM's detokenizer does it.

While a request has stop strings, the last len(longest stop)-1 characters are held back from the
stream (they might be the start of a stop string); a matched stop string and everything after it
never reach the client.
"""


class StopStringMatcher:
    """Tracks one request's output text; `feed` returns the text that is safe to send now."""

    __slots__ = ("_stops", "_holdback", "_text", "_sent", "matched")

    def __init__(self, stops: list[str]):
        self._stops = stops
        self._holdback = max(len(stop) for stop in stops) - 1
        self._text = ""
        self._sent = 0
        self.matched: str | None = None

    def feed(self, new_text: str) -> str:
        """Add a token's text; returns the new sendable text. Sets `matched` on a stop string."""
        search_from = max(0, len(self._text) - self._holdback)
        self._text += new_text
        end = self._find_stop(search_from)
        if end is None:
            end = max(self._sent, len(self._text) - self._holdback)
        return self._take_until(end)

    def flush(self) -> str:
        """The held-back text, once the request has finished for another reason."""
        return self._take_until(len(self._text))

    def _find_stop(self, search_from: int) -> int | None:
        best = None
        for stop in self._stops:
            index = self._text.find(stop, search_from)
            if index >= 0 and (best is None or index < best[0]):
                best = (index, stop)
        if best is None:
            return None
        self.matched = best[1]
        self._text = self._text[:best[0]]
        return best[0]

    def _take_until(self, end: int) -> str:
        chunk = self._text[self._sent:end]
        self._sent = max(self._sent, end)
        return chunk
