"""Per-product review sentiment summary, kept from ``shop.review-scores`` (keyed by product_id).

A summary (the ``review-sentiment`` table)::

    {"product_id": "wc-1078", "reviews": 12, "labels": {"positive": 9, "negative": 2, "neutral": 1},
     "score_sum": {"positive": 8.1, ...}, "last_review_at": "...",
     "aspects": {"size_fit": {"mentions": 5, "negative": 3, "positive": 2}}, "seen": {"scores": ["score:..."]}}
"""

from __future__ import annotations

from typing import Any

from schemas import ReviewScored
from streams.state.clock import utc_iso
from streams.state.dedupe import already_applied, remember

Summary = dict[str, Any]
LABELS = ("positive", "negative", "neutral")


def new_summary(product_id: str) -> Summary:
    """An empty summary for ``product_id``."""
    return {"product_id": product_id, "reviews": 0, "labels": dict.fromkeys(LABELS, 0), "last_review_at": None,
            "aspects": {}, "seen": {}}


def apply_scored(summary: Summary | None, scored: ReviewScored, seen_ids: int) -> tuple[Summary, bool]:
    """Count one scored review and its aspect mentions; returns (summary, changed)."""
    summary = summary or new_summary(scored.product_id)
    if already_applied(summary["seen"], "scores", scored.event_id):
        return summary, False
    aspects = {name: dict(counts) for name, counts in summary["aspects"].items()}
    for mention in scored.aspects:
        counts = aspects.setdefault(mention.aspect, {"mentions": 0, "negative": 0, "positive": 0})
        counts["mentions"] += 1
        counts["negative"] += mention.polarity.value == "negative"
        counts["positive"] = counts.get("positive", 0) + (mention.polarity.value == "positive")
    at = utc_iso(scored.caused_at)
    last = summary["last_review_at"]
    labels = {**summary["labels"], scored.sentiment.value: summary["labels"][scored.sentiment.value] + 1}
    return {**summary, "reviews": summary["reviews"] + 1, "labels": labels, "aspects": aspects,
            "last_review_at": at if last is None else max(last, at),
            "seen": remember(summary["seen"], "scores", scored.event_id, seen_ids)}, True


def public_summary(summary: Summary, active_alerts: list[dict]) -> Summary:
    """The summary as served over HTTP: shares instead of internals, plus the active alerts."""
    reviews = summary["reviews"]
    view = {key: value for key, value in summary.items() if key != "seen"}
    view["shares"] = {label: round(count / reviews, 4) if reviews else None
                      for label, count in summary["labels"].items()}
    view["aspects"] = {name: {**counts, "negative_share": round(counts["negative"] / counts["mentions"], 4)}
                       for name, counts in summary["aspects"].items()}
    view["active_alerts"] = active_alerts
    return view
