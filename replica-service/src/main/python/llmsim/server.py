"""Starts and stops one simulator instance (engine task + HTTP listener) on the running loop."""

import asyncio
import logging

from .app import SimApp
from .http_server import start_http_server

log = logging.getLogger("llmsim.server")


class SimServer:
    """An `SimApp` listening on host:port; `start` returns the bound port (useful with port 0)."""

    def __init__(self, app: SimApp, host: str, port: int):
        self.app = app
        self.host = host
        self.port = port
        self._engine_task: asyncio.Task | None = None
        self._server = None
        self._connections: set = set()

    async def start(self) -> int:
        loop = asyncio.get_running_loop()
        self._engine_task = loop.create_task(self.app.engine.run(), name="engine-step-loop")
        self._engine_task.add_done_callback(self._engine_died)
        self._server, self._connections = await start_http_server(self.app, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        self.app.faults.start(loop)
        return self.port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for connection in list(self._connections):
            connection.close()
        if self._engine_task is not None:
            self._engine_task.cancel()
            await asyncio.gather(self._engine_task, return_exceptions=True)
        await asyncio.sleep(0)  # let the transports finish closing

    def _engine_died(self, task: asyncio.Task) -> None:
        """Like vLLM's EngineDeadError: report it and answer /health with 503 from now on."""
        if not task.cancelled() and task.exception() is not None:
            log.error("Engine step loop died", exc_info=task.exception())
            self.app.faults.update({"unhealthy_seconds": 1e9})
