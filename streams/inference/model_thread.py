"""The base of the inference worker's model services: one thread for all of a service's model work.

Models run on that thread, off the event loop, so heartbeats and commits never stall; one thread
per service keeps a model's calls in order and its batch's tensors out of each other's way.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from mode import Service


class ModelThreadService(Service):
    """A mode ``Service`` with a single model thread and a ``ready`` event for the agent to await."""

    thread_name = "shopstream-model"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self.thread_name)
        self.ready = asyncio.Event()  # set by the subclass once its models are loaded

    async def on_stop(self) -> None:
        """Let the model thread finish its batch, then release it."""
        self._executor.shutdown(wait=True)

    async def _run(self, function, *args):
        """Run ``function(*args)`` on the model thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)
