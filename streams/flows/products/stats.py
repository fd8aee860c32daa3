"""Product statistics, keyed by product_id.

Stats (the ``product-stats`` table)::

    {"product_id": "p1", "category": "Dresses", "views": 10, "carts": 2, "purchases": 1,
     "reviews": 3, "rating_sum": 12, "last_interaction_at": "...", "seen": {"clicks@2": ["evt-9"]},
     "applied": {"clicks@2": 5120, "reviews@0": 31}, "buckets": {"880934400": 3, "880934700": 1}}

Clicks and reviews reach the stats only through ShopStream's own re-key
(``<app_id>-product-interactions``, see ``forwarded``), each with the partition and offset it
had on its input topic: the offset markers in ``applied`` make a replayed record a no-op
(``streams/state/dedupe.py``), and every update of a product lands in the one partition
ShopStream's partitioner picks, whatever partitioner the shop's producer used.

Trending is a hopping window over event time: interactions are counted in ``step_s``-wide
buckets (keyed by the bucket's start, Unix seconds), and the buckets of the newest
``window_s`` are kept, so the window of size ``window_s`` that ends at the product's latest
activity is the sum of the kept buckets. Keeping buckets in the value keeps an update to
one changelog record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemas import ProductClicked, ReviewSubmitted
from streams.state.clock import utc_iso
from streams.state.dedupe import Coordinate, already_applied, mark, marker, offset_applied, remember

Stats = dict[str, Any]

#: Which counter each click kind increments.
KIND_COUNTERS = {"view": "views", "cart": "carts", "purchase": "purchases"}


@dataclass(frozen=True)
class StatsLimits:
    """Bounds of product stats, built from the settings by ``streams.limits``."""

    seen_event_ids: int  # Settings.seen_event_ids
    window_s: int  # Settings.trending_window_s
    step_s: int  # Settings.trending_step_s


def new_stats(product_id: str) -> Stats:
    """Empty statistics for ``product_id``."""
    return {"product_id": product_id, "category": None, "views": 0, "carts": 0, "purchases": 0,
            "reviews": 0, "rating_sum": 0, "last_interaction_at": None, "seen": {}, "applied": {},
            "buckets": {}}


def add_to_window(buckets: dict[str, int], epoch_s: int, limits: StatsLimits) -> dict[str, int]:
    """Count one interaction at ``epoch_s`` in its bucket; drop buckets that left the window.

    An interaction older than the kept window is too late for trending and is not counted.
    """
    start = epoch_s - epoch_s % limits.step_s
    newest = max([start, *map(int, buckets)])
    oldest_kept = newest - limits.window_s + limits.step_s
    if start < oldest_kept:
        return buckets
    kept = {key: count for key, count in buckets.items() if int(key) >= oldest_kept}
    kept[str(start)] = kept.get(str(start), 0) + 1
    return kept


def trending_window(buckets: dict[str, int], limits: StatsLimits) -> dict[str, Any]:
    """The hopping window ending at the product's latest activity: its bounds and count."""
    if not buckets:
        return {"window_start": None, "window_end": None, "count": 0}
    end = max(map(int, buckets)) + limits.step_s
    return {"window_start": end - limits.window_s, "window_end": end, "count": sum(buckets.values())}


def _duplicate(stats: Stats, source: str, event_id: str, at: Coordinate | None) -> bool:
    return (offset_applied(stats.get("applied", {}), source, at)
            or already_applied(stats["seen"], _ids_of(source, at), event_id))


def _ids_of(source: str, at: Coordinate | None) -> str:
    """Where a product remembers an event id: per input partition (``clicks@2``), where the shop's
    copy of an event follows its original closely, however many clicks other partitions interleave."""
    return marker(source, at) if at is not None else source


def counted(click: ProductClicked) -> dict[str, Any]:
    """What product stats use of a click, as ``forward`` carries it: plain JSON, no model to rebuild on the way
    in (the click was validated where it entered), its time as UTC text and as Unix seconds."""
    return {"event_id": click.event_id, "product_id": click.product_id, "kind": click.kind.value,
            "category": click.category, "time": utc_iso(click.occurred_at),
            "epoch_s": int(click.occurred_at.timestamp())}


def apply_counted(stats: Stats | None, click: dict[str, Any], limits: StatsLimits,
                  origin: Coordinate | None = None) -> tuple[Stats, bool]:
    """Count a click (as ``counted`` gives it) on its product and its trending window; returns (stats, changed).

    ``origin`` is the click's (partition, offset) on ``shop.clicks``; a click at or below the
    marker of its partition, or with an id seen recently, is a duplicate."""
    stats = stats or new_stats(click["product_id"])
    if _duplicate(stats, "clicks", click["event_id"], origin):
        return stats, False
    counter, at, last = KIND_COUNTERS[click["kind"]], click["time"], stats["last_interaction_at"]
    return {**stats, counter: stats[counter] + 1, "category": click["category"] or stats["category"],
            "last_interaction_at": at if last is None else max(last, at),
            "buckets": add_to_window(stats["buckets"], click["epoch_s"], limits),
            "applied": mark(stats.get("applied", {}), "clicks", origin),
            "seen": remember(stats["seen"], _ids_of("clicks", origin), click["event_id"], limits.seen_event_ids)}, True


def apply_interaction(stats: Stats | None, click: ProductClicked, limits: StatsLimits,
                      origin: Coordinate | None = None) -> tuple[Stats, bool]:
    """``apply_counted`` for a click as read from ``shop.clicks``."""
    return apply_counted(stats, counted(click), limits, origin)


def apply_review(stats: Stats | None, review: ReviewSubmitted, limits: StatsLimits,
                 origin: Coordinate | None = None) -> tuple[Stats, bool]:
    """Count a review and its rating on its product; returns (stats, changed). ``origin`` as for clicks."""
    stats = stats or new_stats(review.product_id)
    if _duplicate(stats, "reviews", review.event_id, origin):
        return stats, False
    return {**stats, "reviews": stats["reviews"] + 1, "rating_sum": stats["rating_sum"] + review.rating,
            "applied": mark(stats.get("applied", {}), "reviews", origin),
            "seen": remember(stats["seen"], _ids_of("reviews", origin), review.event_id, limits.seen_event_ids)}, True


def carried(kind: str, event: ProductClicked | ReviewSubmitted) -> dict[str, Any]:
    """How a forwarded record carries one valid event of ``kind``: a click as ``counted``, a review whole."""
    return counted(event) if kind == "clicks" else event.model_dump(mode="json")


def forwarded(kind: str, events: list[dict], at: list[Coordinate]) -> dict[str, Any]:
    """The record that carries one product's ``events`` of ``kind`` to its stats, with their coordinates."""
    return {kind: events, "at": [list(coordinate) for coordinate in at]}


def forwarded_events(record: dict[str, Any]) -> list[tuple[str, dict[str, Any], Coordinate | None]]:
    """The (kind, event, input coordinate) of each event a forwarded record carries, in order.

    A record holds one kind, for one or many products (each event names its own); a record of an
    older version (no ``at``) has no coordinates, and is applied with the event-id guard alone."""
    events = []
    for kind in ("clicks", "reviews"):
        values = record.get(kind)
        if values:
            coordinates = record.get("at") or [None] * len(values)
            events += [(kind, value, tuple(at) if at else None) for value, at in zip(values, coordinates, strict=True)]
    return events


def apply_forwarded(stats: Stats | None, kind: str, event: dict[str, Any], at: Coordinate | None,
                    limits: StatsLimits) -> tuple[Stats, bool]:
    """Apply one forwarded event of ``kind`` (``clicks`` or ``reviews``) to its product's stats;
    returns (stats, changed). A click of an older version (the whole event, no ``epoch_s``) is read as one."""
    if kind == "reviews":
        return apply_review(stats, ReviewSubmitted.model_validate(event), limits, at)
    if "epoch_s" not in event:
        event = counted(ProductClicked.model_validate(event))
    return apply_counted(stats, event, limits, at)


def public_stats(stats: Stats, limits: StatsLimits) -> Stats:
    """Stats as served over HTTP: no internals, plus mean rating and the latest trending window."""
    view = {key: value for key, value in stats.items() if key not in ("seen", "applied", "buckets")}
    view["mean_rating"] = round(stats["rating_sum"] / stats["reviews"], 3) if stats["reviews"] else None
    view["trending"] = trending_window(stats["buckets"], limits)
    return view
