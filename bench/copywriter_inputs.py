"""Real inputs for bench/copywriter.py: catalog products of the replay, as the shop sends them.

The replay's catalog (``streams/tools/replay/events.py``) holds a ``ProductUpserted`` for each MovieLens
movie (``ml-<item_id>``) and each Women's Clothing item (``wc-<clothing_id>``), none with a
description, so each asks the worker for copy. No Kafka or Faust is imported here.
"""

from __future__ import annotations

from schemas.topics import CATALOG
from shopmodels.datasets.clothing import load_clothing_reviews
from shopmodels.datasets.fetch import fetch_datasets
from shopmodels.datasets.movielens import load_movielens
from streams.tools.replay.events import ReplayEvent, build_replay
from streams.settings import get_settings


def catalog_events(count: int) -> tuple[ReplayEvent, list[ReplayEvent]]:
    """A warm-up product, and ``count`` others: half movies, half clothing (one more movie when odd),
    each spread evenly over its part of the catalog."""
    paths = fetch_datasets(get_settings().cache_dir, progress=False)
    movies, clothes = [], []
    for event in build_replay(load_movielens(paths), load_clothing_reviews(paths)):
        if event.topic != CATALOG:  # the catalog comes first
            break
        (movies if event.key.startswith("ml-") else clothes).append(event)
    picked = spread(movies, count - count // 2) + spread(clothes, count // 2)
    warmup = next(event for event in movies if event not in picked)
    return warmup, picked


def spread(events: list[ReplayEvent], count: int) -> list[ReplayEvent]:
    """``count`` of ``events``, evenly spaced, the first included."""
    if count > len(events):
        raise SystemExit(f"--products asks for {count} of one kind; the catalog has {len(events)}.")
    return [events[i * len(events) // count] for i in range(count)] if count else []


def as_messages(events: list[ReplayEvent]) -> list[tuple[str, bytes, bytes]]:
    """The events as (topic, key, value) messages to produce."""
    from schemas import codec

    return [(event.topic, event.key.encode(), codec.dumps(event.value)) for event in events]
