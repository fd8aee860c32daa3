"""The base of the inference worker's model services: one thread for all of a service's model work.

Models run on that thread, off the event loop, so heartbeats and commits never stall; one thread
per service keeps a model's calls in order and its batch's tensors out of each other's way.

A service switches to a newer model version between batches: its agent holds ``batch_turn`` while it
reloads and serves a batch, so a batch runs on one version. While no batch comes, the service looks
for a newer version itself every ``SHOPSTREAM_MODEL_POLL_S``, under the same lock: a version trained
while the shop is quiet is served at once, not when the next request happens to arrive.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from mode import Service


class ModelThreadService(Service):
    """A mode ``Service`` with a single model thread, a ``ready`` event for the agent to await and the
    ``batch_turn`` its agent holds while it serves a batch. Subclasses set ``settings``."""

    thread_name = "shopstream-model"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self.thread_name)
        self.ready = asyncio.Event()  # set by the subclass once its models are loaded
        self.batch_turn = asyncio.Lock()  # held by the agent from its reload to the end of a batch

    async def maybe_reload(self) -> bool:
        """Switch to newer model versions; returns True on a switch (this base watches none)."""
        return False

    @Service.task
    async def _reload_while_idle(self) -> None:
        """Every ``SHOPSTREAM_MODEL_POLL_S``, when no batch is being served, switch to a newer version if any."""
        await self.ready.wait()
        while not self.should_stop:
            await self.sleep(self.settings.model_poll_s)
            if not self.batch_turn.locked():
                async with self.batch_turn:
                    await self.maybe_reload()

    async def on_stop(self) -> None:
        """Let the model thread finish its batch, then release it."""
        self._executor.shutdown(wait=True)

    async def _run(self, function, *args):
        """Run ``function(*args)`` on the model thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)
