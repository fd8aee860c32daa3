"""What the dashboard shows, computed from plain values: no Faust, no clock, so each part is tested alone.

The view (``streams/monitoring/dashboard/views.py``) hands these functions the values of this worker's tables;
a table on a multi-worker cluster holds only this worker's partitions, so every figure here is
this worker's share of the shop.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from streams.flows.reviews.alert_rule import AlertRule, severity
from streams.flows.reviews.alert_windows import AlertState, measure
from streams.state.clock import utc_iso
from streams.flows.products.stats import StatsLimits

Catalog = Mapping[str, dict]


def percentile(values: list[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) of ``values``, interpolated linearly between ranks; None when empty."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile q={q} is outside 0-100; pass e.g. 50 for the median")
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def gini(counts: Iterable[float]) -> float | None:
    """Gini coefficient of ``counts``: 0 when all are equal, (n-1)/n when one holds everything; None when all are 0."""
    ordered = sorted(counts)
    if any(count < 0 for count in ordered):
        raise ValueError("gini of negative counts is undefined; pass appearance counts (0 or more)")
    total, n = sum(ordered), len(ordered)
    if total == 0:
        return None
    weighted = sum(rank * count for rank, count in enumerate(ordered, start=1))
    return 2 * weighted / (n * total) - (n + 1) / n


def title_of(catalog: Catalog, product_id: str) -> str | None:
    """The product's title in the catalog table, or None when this worker holds no entry for it."""
    entry = catalog.get(product_id)
    return entry.get("title") if entry else None


def recommendation_spread(lists: Iterable[dict], catalog_ids: Iterable[str]) -> dict[str, Any]:
    """How widely users' newest recommendation lists spread over the catalog.

    ``coverage``: share of catalog products in at least one list; ``gini``: concentration of
    every catalog product's appearances (0 spread evenly, 1 all on one product). Products
    missing from the catalog are counted in ``recommended_products`` but in neither share.
    ``versions``: how many users' newest list each model version wrote.
    """
    appearances, versions, users = Counter(), Counter(), 0
    for issued in lists:
        users += 1
        versions[issued.get("model_version") or "unknown"] += 1
        appearances.update({item["product_id"] for item in issued["items"]})
    catalog = set(catalog_ids)
    in_catalog = [appearances.get(product_id, 0) for product_id in catalog]
    covered = sum(1 for count in in_catalog if count)
    return {"users": users, "catalog_products": len(catalog), "recommended_products": len(appearances),
            "coverage": covered / len(catalog) if catalog else None,
            "gini": gini(in_catalog) if catalog else None, "versions": dict(versions.most_common())}


def top_trending(stats: Iterable[dict], catalog: Catalog, limits: StatsLimits, n: int = 10) -> dict[str, Any]:
    """The ``n`` products with the most interactions in one shared trending window, with titles.

    Each product keeps the buckets of the window ending at its own latest activity; to rank
    products against each other, the window here ends at the newest bucket of any product
    (event time), so a product last active long ago counts nothing.
    """
    buckets = {entry["product_id"]: entry["buckets"] for entry in stats if entry.get("buckets")}
    if not buckets:
        return {"window_start": None, "window_end": None, "products": []}
    end = max(int(start) for kept in buckets.values() for start in kept) + limits.step_s
    begin = end - limits.window_s
    counts = {product_id: sum(count for start, count in kept.items() if int(start) >= begin)
              for product_id, kept in buckets.items()}
    ranked = sorted(((count, product_id) for product_id, count in counts.items() if count),
                    key=lambda pair: (-pair[0], pair[1]))[:n]
    return {"window_start": utc_iso_s(begin), "window_end": utc_iso_s(end),
            "products": [{"product_id": product_id, "title": title_of(catalog, product_id), "count": count}
                         for count, product_id in ranked]}


def alert_cards(states: Iterable[AlertState], catalog: Catalog, rule: AlertRule, n: int = 20,
                excerpts: int = 3) -> list[dict[str, Any]]:
    """The active sentiment alerts, worst first (by ratio to baseline), as the page draws them.

    Each card measures the window ending at the key's newest mention (as the alert rule does) and
    carries up to ``excerpts`` pieces of evidence from that window, newest first.
    """
    cards = []
    for state in states:
        active = state.get("alert")
        if not active or state["latest_at"] is None:
            continue
        window = measure(state, rule, _epoch(state["latest_at"]))
        evidence = [entry for entry in state["evidence"] if _epoch(entry["at"]) >= window.window_start]
        cards.append({
            "alert_id": active["alert_id"], "product_id": state["product_id"], "aspect": state["aspect"],
            "title": title_of(catalog, state["product_id"]), "severity": severity(window.ratio, rule).value,
            "peak_severity": active["peak_severity"], "raised_at": active["raised_at"],
            "negative_share": round(window.share, 4), "baseline_share": round(window.baseline_share, 4),
            "ratio": round(window.ratio, 2), "negative_count": window.negative, "total_count": window.total,
            "slots_lost": active.get("slots_lost", 0),
            "evidence": [{"review_id": entry["review_id"], "excerpt": entry["excerpt"]}
                         for entry in evidence[:excerpts]]})
    return sorted(cards, key=lambda card: (-card["ratio"], card["product_id"], card["aspect"]))[:n]


def utc_iso_s(epoch_s: int) -> str:
    """Unix seconds as an ISO-8601 UTC timestamp."""
    return utc_iso(datetime.fromtimestamp(epoch_s, timezone.utc))


def _epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp())
