"""Simulator-only endpoints: live fault injection and engine counters for tests."""

from .faults import FaultError
from .errors import bad_request
from .openai_requests import decode_json_body
from .openai_responses import compact_json


class AdminRoutes:
    def __init__(self, engine, faults):
        self._engine = engine
        self._faults = faults

    def get_faults(self, request, responder) -> None:
        responder.send(200, compact_json(self._faults.snapshot()))

    def set_faults(self, request, responder) -> None:
        body = decode_json_body(request.body)
        try:
            active = self._faults.update(body)
        except FaultError as error:
            raise bad_request(str(error)) from None
        responder.send(200, compact_json(active))

    def stats(self, request, responder) -> None:
        engine = self._engine
        stats, scheduler = engine.stats, engine.scheduler
        body = {
            "requests_total": stats.requests_total,
            "completed": stats.completed,
            "aborted": stats.aborted,
            "running": len(scheduler.running),
            "waiting": len(scheduler.waiting),
            "preemptions": scheduler.counters.preemptions,
            "prefix_cache_hits": scheduler.counters.prefix_hits,
            "prefix_cache_queries": scheduler.counters.prefix_queries,
            "steps": stats.steps,
            "kv_cache_usage": engine.kv.usage(),
            "free_blocks": engine.kv.num_free,
            "recent_aborts": list(stats.recent_aborts),
        }
        responder.send(200, compact_json(body))
