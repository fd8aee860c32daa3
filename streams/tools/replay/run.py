"""Replay the real datasets into Kafka with ShopStream's settings (``shopstream replay``)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from shopmodels.datasets import fetch_datasets, load_clothing_reviews, load_movielens
from streams.tools.replay.events import Clock, build_replay
from streams.tools.replay.producer import ReplayStats, produce

if TYPE_CHECKING:
    from streams.settings import Settings


async def run_replay(
    settings: Settings,
    *,
    rate: float | None,
    users: int | None,
    limit: int | None,
    clock: Clock,
    progress: bool = True,
) -> ReplayStats:
    """Fetch the datasets if needed (no network when cached), build the replay and send it.

    Raises DatasetUnavailable when the data is neither cached nor downloadable,
    and ReplayError when Kafka cannot be reached; see ``produce`` for ``rate``
    and ``clock`` and ``build_replay`` for ``users`` and ``limit``.
    """
    events = await asyncio.to_thread(build_events, settings, users, limit, progress)
    return await produce(
        events, bootstrap=settings.bootstrap_servers, rate=rate, progress=progress, clock=clock
    )


def build_events(settings: Settings, users: int | None, limit: int | None, progress: bool):
    """Load the cached datasets and return the replay's events (timestamps as in the data)."""
    paths = fetch_datasets(settings.cache_dir, progress=progress)
    movielens, reviews = load_movielens(paths), load_clothing_reviews(paths)
    return build_replay(movielens, reviews, users=users, limit=limit, clock="original")
