"""Watch the model registry for a newer version of one kind of model, and load it off the event loop.

Shared by the inference worker's services (recommender, sentiment): each keeps serving its current
model until a newer version has loaded; a checkpoint that fails to load is logged and skipped until
its file changes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from shopmodels.checkpoints import latest_version, registry_path

log = logging.getLogger("shopstream.models")

T = TypeVar("T")
Runner = Callable[..., Awaitable[Any]]  # runs a function with its arguments on the model thread


class RegistryWatcher(Generic[T]):
    """The newest ``kind`` model in ``registry``, loaded with ``load(path)`` (which must set ``.version``)."""

    def __init__(self, registry: Path, kind: str, load: Callable[[Path], T], *, poll_s: float, missing: str) -> None:
        """``missing``: what serving does until a first version exists, for the start-up warning."""
        self.registry, self.kind, self.load, self.poll_s, self.missing = registry, kind, load, poll_s, missing
        self.model: T | None = None
        self._next_poll = 0.0
        self._failed: tuple[str, float] | None = None  # (version, mtime) that failed to load

    @property
    def version(self) -> str | None:
        """The version being served, or None before the first one."""
        return getattr(self.model, "version", None)

    async def poll(self, run: Runner, force: bool = False) -> bool:
        """Load a newer version if there is one (at most every ``poll_s``); returns True on a switch."""
        if not force and time.monotonic() < self._next_poll:
            return False
        self._next_poll = time.monotonic() + self.poll_s
        version = latest_version(self.registry, self.kind)
        if version is None:
            if force:
                log.warning("No %s in %s yet: %s.", self.kind, Path(self.registry).resolve(), self.missing)
            return False
        path = registry_path(self.registry, self.kind, version)
        if version == self.version or self._failed == (version, _mtime(path)):
            return False
        try:
            model = await run(self.load, path)
        except Exception as exc:  # a broken file must not stop serving: keep the model we have
            self._failed = (version, _mtime(path))
            log.error("Could not load %s %s (%s); still serving %s.", self.kind, path, exc, self.version)
            return False
        previous, self.model = self.version, model
        log.info("Serving %s %s on %s (was %s).", self.kind, version, getattr(model, "device", "?"), previous)
        return True


def _mtime(path: Path) -> float:
    """The file's modification time, or 0 if it is gone."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
