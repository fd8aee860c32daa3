"""Real inputs for bench/recommend.py: the replay, the requests the worker would send, the model.

The requests are those the stateful agents send for MovieLens-100k's replayed clicks: every
click is folded into its user's profile with the worker's own pure functions (the last 50
items, the purchases to exclude, the product just viewed), and the request built from that
profile, taken evenly over the whole replay.
"""

from __future__ import annotations

import gc
from pathlib import Path

from schemas import ProductClicked, codec
from schemas.requests import RecommendationRequested
from schemas.topics import CATALOG, CLICKS
from shopmodels.checkpoints import latest_version
from shopmodels.datasets.clothing import load_clothing_reviews
from shopmodels.datasets.fetch import fetch_datasets
from shopmodels.datasets.movielens import load_movielens
from shopmodels.recommender.registry import KIND
from streams.limits import LIMITS
from streams.tools.replay.events import ReplayEvent, build_replay
from streams.settings import get_settings
from streams.flows.profiles.profile import apply_click
from streams.flows.recommendations.requests import click_request

Messages = list[tuple[str, bytes, bytes]]  # (topic, key, value) to produce
PARTITIONS = 4  # of every topic the benchmark creates


def inputs(requests: int, clicks: int) -> tuple[Messages, list[ReplayEvent], list[RecommendationRequested]]:
    """The catalog messages, the first ``clicks`` clicks and ``requests`` requests spread over the replay.

    The rest of the replay (~100k events) is dropped, and what is kept is frozen out of the garbage
    collector's full collections, whose pauses would otherwise slow the in-process figures by ~5-10%
    (a worker does not hold the replay).
    """
    catalog, replayed = replay()
    asked = worker_requests(replayed, requests)
    del replayed[clicks:]
    gc.collect()
    gc.freeze()
    return catalog, replayed, asked


def replay() -> tuple[Messages, list[ReplayEvent]]:
    """The real replay's catalog as messages, and its clicks in replay order."""
    paths = fetch_datasets(get_settings().cache_dir, progress=False)
    events = build_replay(load_movielens(paths), load_clothing_reviews(paths), clock="original")
    catalog, clicks = [], []
    for event in events:
        if event.topic == CATALOG:
            catalog.append((CATALOG, event.key.encode(), codec.dumps(event.value)))
        elif event.topic == CLICKS:
            clicks.append(event)
    return catalog, clicks


def worker_requests(clicks: list[ReplayEvent], count: int) -> list[RecommendationRequested]:
    """The requests the ingest agent sends for ``count`` clicks spread evenly over the replay.

    Every click is folded into its user's profile (the worker's limits), so each request carries
    the history and purchases that user had at that moment.
    """
    step, profiles, requests = max(1, len(clicks) // count), {}, []
    for position, event in enumerate(clicks[: step * count]):
        click = ProductClicked.model_validate(event.value)
        profiles[click.user_id], _ = apply_click(profiles.get(click.user_id), click, LIMITS.profile)
        if position % step == 0:
            requests.append(click_request(profiles[click.user_id], click, LIMITS.profile.top_categories))
    return requests


def checkpoint(registry: Path, scratch: Path) -> tuple[Path, str]:
    """The registry to serve from and where it came from: ``registry`` if it holds a recommender,
    else a new one under ``scratch`` with a default-architecture SASRec trained for one epoch."""
    if latest_version(registry, KIND) is not None:
        return registry, f"newest in {registry}"
    from shopmodels.recommender.config import SASRecConfig
    from shopmodels.recommender.data import leave_one_out, movielens_sequences
    from shopmodels.recommender.registry import save_sasrec
    from shopmodels.recommender.training import train_sasrec
    from shopmodels.recommender.vocabulary import Vocabulary

    print(f"No recommender in {registry}: training one (default architecture, 1 epoch) ...", flush=True)
    sequences = movielens_sequences(load_movielens(fetch_datasets(get_settings().cache_dir, progress=False)))
    vocabulary = Vocabulary.build(sequences.values())
    split = leave_one_out({user: vocabulary.encode(items) for user, items in sequences.items()})
    result = train_sasrec(SASRecConfig(num_items=len(vocabulary), epochs=1, seed=0), split, progress=False)
    save_sasrec(scratch, result.model, vocabulary, extra={"source": "bench/recommend.py, 1 epoch"})
    return scratch, f"trained here for 1 epoch (validation NDCG@10 {result.best_valid_ndcg:.3f}), temporary"
