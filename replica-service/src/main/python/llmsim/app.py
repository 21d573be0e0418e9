"""The simulator application: owns the engine and faults, routes each HTTP request to its handler,
and turns raised `ApiError`s into vLLM's error responses."""

import asyncio
import logging
import time

from .admin import AdminRoutes
from .engine import Engine
from .errors import ApiError
from .faults import Faults
from .generation import GenerationHandler
from .info_routes import InfoRoutes
from .metrics import EngineMetrics
from .openai_responses import compact_json
from .profiles import EngineProfile

log = logging.getLogger("llmsim.app")

NOT_FOUND = b'{"detail":"Not Found"}'
METHOD_NOT_ALLOWED = b'{"detail":"Method Not Allowed"}'


class SimApp:
    """Everything one simulator process serves, wired together."""

    def __init__(self, profile: EngineProfile, served_names: list[str], model_root: str,
                 faults: Faults, seed: int = 0):
        self.profile = profile
        self.faults = faults
        self.metrics = EngineMetrics(served_names[0], profile.max_model_len, _cache_info(profile))
        self.engine = Engine(profile, self.metrics, faults)
        self.engine.listeners.append(lambda seq: faults.request_done())
        faults.on_change = self.engine.wake
        generation = GenerationHandler(self.engine, faults, served_names, seed, _loop_time)
        info = InfoRoutes(self.engine, faults, served_names, model_root, int(time.time()))
        admin = AdminRoutes(self.engine, faults)
        self._routes = {
            "/v1/chat/completions": {"POST": generation.chat},
            "/v1/completions": {"POST": generation.completion},
            "/v1/models": {"GET": info.models},
            "/health": {"GET": info.health},
            "/ping": {"GET": info.health, "POST": info.health},
            "/version": {"GET": info.version},
            "/metrics": {"GET": info.metrics},
            "/tokenize": {"POST": info.tokenize},
            "/detokenize": {"POST": info.detokenize},
            "/admin/faults": {"GET": admin.get_faults, "POST": admin.set_faults},
            "/admin/stats": {"GET": admin.stats},
        }

    def handle(self, request, responder) -> None:
        methods = self._routes.get(request.path)
        if methods is None:
            responder.send(404, NOT_FOUND)
            return
        handler = methods.get(request.method)
        if handler is None:
            responder.send(405, METHOD_NOT_ALLOWED, headers={"allow": ", ".join(methods)})
            return
        try:
            handler(request, responder)
        except ApiError as error:
            if not responder.started:
                responder.send(error.status, compact_json(error.body()))


def _loop_time() -> float:
    return asyncio.get_running_loop().time()


def _cache_info(profile: EngineProfile) -> dict:
    """The labels of vllm:cache_config_info (CacheConfig.metrics_info())."""
    return {"block_size": profile.block_size, "cache_dtype": "auto", "calculate_kv_scales": False,
            "cpu_offload_gb": 0, "enable_prefix_caching": profile.enable_prefix_caching,
            "gpu_memory_utilization": 0.9, "is_attention_free": False, "num_cpu_blocks": None,
            "num_gpu_blocks": profile.num_gpu_blocks, "num_gpu_blocks_override": None,
            "prefix_caching_hash_algo": "builtin", "sliding_window": None, "swap_space": 4,
            "swap_space_bytes": 4 * 1024 ** 3}
