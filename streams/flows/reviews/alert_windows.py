"""Counting aspect mentions per (product, aspect) in event-time buckets: the window and its baseline.

Mentions are counted in buckets (key: the bucket's start, Unix seconds; value: ``[negative,
total]``): ``recent`` holds the ``step_s``-wide buckets of the newest ``window_s``; a bucket that
hops out of it is folded into ``history``, ``baseline_step_s``-wide buckets kept for
``baseline_s``. ``measure`` reads the current window and the product's own baseline before it.
What an alert does with them is ``alerts.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from schemas import SentimentLabel
from streams.flows.reviews.alert_rule import AlertRule
from streams.state.clock import utc_iso
from streams.state.dedupe import already_applied, remember

AlertState = dict[str, Any]

EXCERPT_MAX = 300


@dataclass(frozen=True)
class Mention:
    """One aspect of one scored review; ``event_id`` is the ``ReviewScored`` that carried it."""

    product_id: str
    aspect: str
    polarity: SentimentLabel
    review_id: str
    occurred_at: datetime
    event_id: str
    excerpt: str | None = None


def new_state(product_id: str, aspect: str) -> AlertState:
    """Empty state for ``aspect`` of ``product_id``."""
    return {"product_id": product_id, "aspect": aspect, "latest_at": None, "last_event_id": None,
            "recent": {}, "history": {}, "evidence": [], "seen": {}, "alert": None, "cooldown_until": None,
            "resolved_at": None}


def epoch(iso: str) -> int:
    """An ISO-8601 timestamp as Unix seconds."""
    return int(datetime.fromisoformat(iso).timestamp())


def moment(epoch_s: int) -> datetime:
    """Unix seconds as a UTC datetime."""
    return datetime.fromtimestamp(epoch_s, timezone.utc)


def _add(buckets: dict[str, list[int]], start: int, negatives: int, total: int) -> None:
    counts = buckets.get(str(start), (0, 0))
    buckets[str(start)] = [counts[0] + negatives, counts[1] + total]


def _count(state: AlertState, epoch_s: int, negative: bool, rule: AlertRule) -> dict | None:
    """``recent`` and ``history`` with one mention added, buckets folded and dropped as they age.

    Returns None for a mention older than the kept baseline (too late to count).
    """
    start = epoch_s - epoch_s % rule.step_s
    end = max([start, *map(int, state["recent"])]) + rule.step_s
    window_start, oldest = end - rule.window_s, end - rule.baseline_s
    coarse = rule.baseline_step_s
    if start - start % coarse + coarse <= oldest:
        return None
    recent, history = {}, {key: counts for key, counts in state["history"].items() if int(key) + coarse > oldest}
    for key, (negatives, total) in [*state["recent"].items(), (str(start), (int(negative), 1))]:
        bucket = int(key)
        if bucket >= window_start:
            _add(recent, bucket, negatives, total)
        else:
            _add(history, bucket - bucket % coarse, negatives, total)
    return {"recent": recent, "history": history}


def _with_evidence(evidence: list[dict], mention: Mention, limit: int) -> list[dict]:
    """Evidence with a negative mention added: the newest ``limit`` by event time, newest first."""
    if mention.polarity != SentimentLabel.NEGATIVE or not mention.excerpt:
        return evidence
    entry = {"review_id": mention.review_id, "excerpt": mention.excerpt[:EXCERPT_MAX],
             "at": utc_iso(mention.occurred_at)}
    return sorted([entry, *evidence], key=lambda item: epoch(item["at"]), reverse=True)[:limit]


def apply_mention(state: AlertState | None, mention: Mention, rule: AlertRule) -> tuple[AlertState, bool]:
    """Count one mention in its key's buckets and evidence; returns (state, changed).

    A review counts once per key (a redelivery, or a second clause on the same aspect, is
    dropped), and a mention older than the kept baseline is not counted.
    """
    state = state or new_state(mention.product_id, mention.aspect)
    if (state["product_id"], state["aspect"]) != (mention.product_id, mention.aspect):
        raise ValueError(f"mention of {mention.product_id}/{mention.aspect} applied to the state of "
                         f"{state['product_id']}/{state['aspect']}; key the table by product and aspect")
    if already_applied(state["seen"], "reviews", mention.review_id):
        return state, False
    at = utc_iso(mention.occurred_at)
    buckets = _count(state, epoch(at), mention.polarity == SentimentLabel.NEGATIVE, rule)
    if buckets is None:
        return state, False
    latest = state["latest_at"]
    return {**state, **buckets, "last_event_id": mention.event_id,
            "latest_at": at if latest is None or epoch(at) > epoch(latest) else latest,
            "evidence": _with_evidence(state["evidence"], mention, rule.evidence_size),
            "seen": remember(state["seen"], "reviews", mention.review_id, rule.seen_review_ids)}, True


@dataclass(frozen=True)
class Measure:
    """The current window of one key and its baseline; window bounds in Unix seconds, end exclusive."""

    window_start: int
    window_end: int
    negative: int
    total: int
    share: float
    baseline_share: float
    ratio: float


def measure(state: AlertState, rule: AlertRule, now_s: int) -> Measure:
    """Counts and shares of the window ending with the bucket of ``now_s``, and of the baseline before it."""
    end = now_s - now_s % rule.step_s + rule.step_s
    start, oldest = end - rule.window_s, end - rule.baseline_s
    negative = total = base_negative = base_total = 0
    for key, (negatives, count) in state["recent"].items():
        if int(key) >= start:
            negative, total = negative + negatives, total + count
        else:
            base_negative, base_total = base_negative + negatives, base_total + count
    for key, (negatives, count) in state["history"].items():
        if int(key) + rule.baseline_step_s > oldest:
            base_negative, base_total = base_negative + negatives, base_total + count
    pseudo_total = base_total + rule.prior_weight
    smoothed = ((base_negative + rule.prior_share * rule.prior_weight) / pseudo_total if pseudo_total
                else rule.prior_share)
    baseline = min(1.0, max(rule.baseline_floor, smoothed))
    share = negative / total if total else 0.0
    return Measure(start, end, negative, total, share, baseline, share / baseline)
