"""Real inputs for bench/reviews.py: Women's Clothing reviews as the shop sends them, and the model.

The reviews are the replay's (``streams/tools/replay/events.py``): each clothing review with text is
a ``ReviewSubmitted`` on shop.reviews for product ``wc-<clothing_id>`` (anonymous, language
"en"), and the catalog events of the products reviewed go first. What the in-process figures
score is what the inference agent gets: the worker's own ``review_request`` of each review
(title and text joined, PII redacted). No Kafka or Faust is imported here.
"""

from __future__ import annotations

from pathlib import Path

from schemas import ReviewSubmitted, codec
from schemas.requests import ReviewScoringRequested
from schemas.topics import CATALOG, REVIEWS
from shopmodels.checkpoints import latest_version, load_checkpoint, registry_path
from shopmodels.datasets.clothing import load_clothing_reviews
from shopmodels.datasets.fetch import fetch_datasets
from shopmodels.datasets.movielens import load_movielens
from shopmodels.sentiment.english.registry import KIND
from streams.replay.events import ReplayEvent, build_replay
from streams.settings import get_settings
from streams.flows.reviews.requests import review_request

Messages = list[tuple[str, bytes, bytes]]  # (topic, key, value) to produce


def review_events(throughput: int, latency: int) -> tuple[Messages, ReplayEvent, list[ReplayEvent], list[ReplayEvent]]:
    """The catalog messages of the products reviewed; one warm-up review; ``throughput`` reviews spread
    evenly over the ~22,600 with text; and ``latency`` others, each taken halfway between two of those."""
    paths = fetch_datasets(get_settings().cache_dir, progress=False)
    events = build_replay(load_movielens(paths), load_clothing_reviews(paths), clock="original")
    catalog, reviews = {}, []
    for event in events:
        if event.topic == CATALOG and event.key.startswith("wc-"):
            catalog[event.key] = event
        elif event.topic == REVIEWS:
            reviews.append(event)
    step = len(reviews) // max(throughput, latency, 1)
    if step < 4:  # the sets are interleaved (positions 0, step/4 and step/2 of every step)
        raise SystemExit(f"--reviews and --latency-reviews may each be at most {len(reviews) // 4} "
                         f"(a quarter of the {len(reviews)} real reviews with text).")
    warmup, measured, paced = reviews[step // 4], reviews[::step][:throughput], reviews[step // 2::step][:latency]
    reviewed = {event.key for event in [warmup, *measured, *paced]}
    products = [(CATALOG, key.encode(), codec.dumps(catalog[key].value)) for key in sorted(reviewed)]
    return products, warmup, measured, paced


def as_messages(reviews: list[ReplayEvent]) -> Messages:
    """The reviews as shop.reviews messages, keyed by product."""
    return [(REVIEWS, event.key.encode(), codec.dumps(event.value)) for event in reviews]


def scoring_requests(reviews: list[ReplayEvent]) -> list[ReviewScoringRequested]:
    """What the ingest agent hands the inference agent for each review."""
    return [review_request(ReviewSubmitted.model_validate(event.value)) for event in reviews]


def sentiment_checkpoint(registry: Path, checkpoint: Path | None) -> Path:
    """``checkpoint`` if given, else the newest sentiment model in ``registry``; a clear error if there is none."""
    if checkpoint is not None:
        if not checkpoint.is_file():
            raise SystemExit(f"--checkpoint {checkpoint}: no such file. Pass the model.pt of a sentiment "
                             f"model, e.g. models/sentiment/<version>/model.pt.")
        return checkpoint
    version = latest_version(registry, KIND)
    if version is None:
        raise SystemExit(f"No sentiment model in {Path(registry).resolve() / KIND}. Train one "
                         f"(`shopstream train sentiment --registry {registry}`), or pass --registry <a registry "
                         f"that holds one> or --checkpoint <its model.pt>; --raw-only --untrained needs none.")
    return registry_path(registry, KIND, version)


def serving_registry(checkpoint: Path, scratch: Path) -> tuple[Path, str]:
    """A registry under ``scratch`` holding only ``checkpoint`` (linked, under its own version), so the
    worker serves exactly the model measured in process; and that version."""
    version = load_checkpoint(checkpoint).version
    target = registry_path(scratch, KIND, version)
    target.parent.mkdir(parents=True)
    target.symlink_to(checkpoint.resolve())
    return scratch, version


def untrained_registry(scratch: Path) -> tuple[Path, str]:
    """A registry under ``scratch`` with an untrained classifier: the pretrained MiniLM encoder and a
    random head, default ``SentimentConfig`` (its labels mean nothing; its cost is a trained model's
    at the same max_tokens)."""
    from shopmodels.sentiment.english.model import SentimentClassifier, SentimentConfig, load_pretrained_encoder
    from shopmodels.sentiment.english.registry import save_sentiment

    model = SentimentClassifier(SentimentConfig(), load_pretrained_encoder())
    path = save_sentiment(scratch, model, temperature=1.0, split_seed=0,
                          extra={"source": "bench/reviews.py --untrained: random head"})
    return scratch, path.parent.name
