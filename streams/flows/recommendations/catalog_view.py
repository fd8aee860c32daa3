"""A read-only view of the catalog and of live product stats, for the stateless inference role.

The stateful worker owns the ``products`` and ``product-stats`` tables; an inference worker keeps
no tables. Like a Kafka Streams GlobalKTable, it reads every partition of ``shop.catalog`` and of
``<app_id>-product-stats-changelog`` into a ``CatalogView`` (``serving.follower`` does the
reading) and asks it for titles (readable reasons) and trending products (cold start).

Pure: bytes in, answers out; no Kafka, no Faust. Records are applied on the event loop while the
model thread reads, so every method holds one lock for its few dictionary operations.

Changelog records are what Faust writes for a ``key_type=str`` table with its default
serializers: the key is the product id as a JSON string (``b'"ml-1"'``), the value a
``schemas.state.ProductStatsState`` as JSON (the contract between the roles), and a deleted key
is a record without a value.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import orjson
from pydantic import ValidationError

from schemas import ProductUpserted
from schemas.state import ProductStatsState
from streams.flows.products.stats import StatsLimits
from streams.flows.intake.validation import Rejection, describe_validation_error, parse_event


@dataclass(frozen=True)
class CatalogEntry:
    """What the view keeps of a product's newest ``ProductUpserted``."""

    title: str
    category: str
    occurred_at: datetime


@dataclass(frozen=True)
class Activity:
    """What the view keeps of a product's stats.

    interactions: views + carts + purchases, ever.
    buckets: trending bucket start (Unix seconds) -> interactions in that bucket.
    """

    category: str | None
    interactions: int
    buckets: dict[int, int]


def product_key(key: bytes | None) -> str:
    """The product id of a changelog key: a JSON string as Faust writes it, or raw UTF-8."""
    if not key:
        raise ValueError("a product-stats record has no key; expected the product id")
    if key[:1] == b'"':
        try:
            decoded = orjson.loads(key)
        except orjson.JSONDecodeError:
            decoded = None
        if isinstance(decoded, str):
            return decoded
    return key.decode("utf-8")


def activity_of(product_id: str, value: bytes) -> Activity:
    """Decode one product-stats changelog value (``schemas.state.ProductStatsState``); ``ValueError``
    says what is wrong with it."""
    try:
        stats = ProductStatsState.model_validate_json(value)
    except ValidationError as exc:
        raise ValueError(f"the product-stats record of {product_id!r} is not a stats dict "
                         f"(schemas.state.ProductStatsState): {describe_validation_error(exc)}") from exc
    return Activity(category=stats.category, interactions=stats.interactions, buckets=dict(stats.buckets))


class CatalogView:
    """Titles, categories and trending products, rebuilt from the catalog and the stats changelog."""

    def __init__(self, limits: StatsLimits, *, max_event_bytes: int = 65_536) -> None:
        """``limits``: the trending window (``window_s``, ``step_s``) the stateful worker uses;
        ``max_event_bytes``: the catalog message size limit (``SHOPSTREAM_MAX_EVENT_BYTES``)."""
        self.limits = limits
        self.max_event_bytes = max_event_bytes
        self._products: dict[str, CatalogEntry] = {}
        self._activity: dict[str, Activity] = {}
        self._changed_titles: set[str] = set()
        self._rankings: dict[str | None, list[tuple[str, float]]] = {}  # category (None: all) -> ranking
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many products the catalog holds."""
        return len(self._products)

    @property
    def stats_count(self) -> int:
        """How many products have stats."""
        return len(self._activity)

    def apply_catalog(self, key: bytes | None, value: bytes | None) -> bool:
        """Apply one ``shop.catalog`` message; returns whether the view changed.

        Messages the stateful worker dead-letters (invalid, or keyed by anything but their
        product_id) are ignored, and so are updates no newer (by occurred_at) than the entry held.
        """
        product = parse_event(value, ProductUpserted, key=key, key_field="product_id",
                              max_bytes=self.max_event_bytes)
        if isinstance(product, Rejection):
            return False
        with self._lock:
            current = self._products.get(product.product_id)
            if current is not None and current.occurred_at >= product.occurred_at:
                return False
            self._products[product.product_id] = CatalogEntry(product.title, product.category, product.occurred_at)
            if current is None or current.title != product.title:
                self._changed_titles.add(product.product_id)
            if (current is None or current.category != product.category) and product.product_id in self._activity:
                self._rankings.clear()
        return True

    def apply_stats(self, key: bytes | None, value: bytes | None) -> None:
        """Apply one product-stats changelog record; no value deletes the product's stats.

        Raises ``ValueError`` for a record that is not a stats dict (the view is left unchanged).
        """
        product_id = product_key(key)
        activity = activity_of(product_id, value) if value else None
        with self._lock:
            if self._activity.get(product_id) == activity:
                return
            if activity is None:
                del self._activity[product_id]
            else:
                self._activity[product_id] = activity
            self._rankings.clear()

    def title(self, product_id: str) -> str | None:
        """The product's title, or None when the catalog does not know it."""
        entry = self._products.get(product_id)
        return entry.title if entry else None

    def category(self, product_id: str) -> str | None:
        """The product's catalog category, else the category its stats carry, else None."""
        with self._lock:
            return self._category(product_id)

    def _category(self, product_id: str) -> str | None:
        entry = self._products.get(product_id)
        if entry is not None:
            return entry.category
        activity = self._activity.get(product_id)
        return activity.category if activity else None

    def trending(self, category: str | None, k: int, exclude: Collection[str] = ()) -> list[tuple[str, float]]:
        """The ``k`` most interacted-with products of ``category`` (None: all) in the trending window.

        The window is the one ending at the newest activity of any product, so a product whose
        burst is long over scores 0. Ties go to more interactions ever, then to the smaller
        product id. Returns (product_id, interactions in the window); products without stats
        are never listed. Rankings are cached until the next stats change.
        """
        with self._lock:
            ranking = self._rankings.get(category)
            if ranking is None:
                ranking = self._rankings[category] = self._rank(category)
        excluded = exclude if isinstance(exclude, (set, frozenset, dict)) else set(exclude)
        picks: list[tuple[str, float]] = []
        for product_id, score in ranking:
            if len(picks) >= k:
                break
            if product_id not in excluded:
                picks.append((product_id, score))
        return picks

    def _rank(self, category: str | None) -> list[tuple[str, float]]:
        if category is not None:
            everything = self._rankings.get(None) or self._rank(None)
            self._rankings[None] = everything
            return [(pid, score) for pid, score in everything if self._category(pid) == category]
        newest = max((max(activity.buckets) for activity in self._activity.values() if activity.buckets),
                     default=0)
        oldest_kept = newest - self.limits.window_s + self.limits.step_s
        scored = [(pid, sum(count for start, count in activity.buckets.items() if start >= oldest_kept),
                   activity.interactions) for pid, activity in self._activity.items()]
        scored.sort(key=lambda item: (-item[1], -item[2], item[0]))
        return [(pid, float(window)) for pid, window, _ in scored]

    def interactions(self, product_id: str) -> int:
        """Views, carts and purchases of the product ever (0 without stats): its all-time popularity."""
        activity = self._activity.get(product_id)
        return activity.interactions if activity else 0

    def take_changed_titles(self) -> dict[str, str]:
        """product_id -> title of the products whose title is new or changed since the last call."""
        with self._lock:
            changed, self._changed_titles = self._changed_titles, set()
            return {pid: self._products[pid].title for pid in sorted(changed)}
