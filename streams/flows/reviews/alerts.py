"""Sentiment alerts: aspect mentions per (product, aspect), and when they warrant an alert.

State (one table value per product and aspect)::

    {"product_id": "sku-88231", "aspect": "waterproofing", "latest_at": "2024-05-02T08:15:02+00:00",
     "last_event_id": "score:rev-evt-3301", "recent": {"1714637700": [3, 4]}, "history": {"1714633200": [1, 9]},
     "evidence": [{"review_id": "r-3301", "excerpt": "my feet were soaked", "at": "2024-05-02T08:15:02+00:00"}],
     "seen": {"reviews": ["r-3301"]}, "alert": None, "cooldown_until": None, "resolved_at": None}

Mentions are counted in event-time buckets (``alert_windows.py``). A value holds at most ``window_s / step_s + baseline_s / baseline_step_s + 1``
buckets (13 + 169 by default) while the window still hops by ``step_s``. The current window is
the ``window_s`` ending with the bucket of ``now``; the product's own baseline is everything kept
before it. ``now`` is event time: the newest mention seen for the key, or a later time the caller
passes (e.g. a watermark), never the wall clock.

The lifecycle is three pure steps: ``apply_mention`` counts, ``decide`` reads the state and says
whether to raise, update or resolve, ``record`` writes that decision into the state (``observe``
does all three). While an alert is active ``alert`` holds its id, ``raised_at``,
``last_updated_at``, ``peak_severity``, ``peak_share``, the window, the sequence number of its
last decision and ``slots_lost`` (recommendation slots demotion took from the product while it
was active, reported by inference workers: ``add_lost_slots``); after it resolves,
``resolved_at`` and ``cooldown_until`` are set.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from schemas import ReviewScored
from schemas.alerts import AlertEvidence, AlertSeverity, AlertStatus, SentimentAlertChanged
from schemas.common import IDENTIFIER_PATTERN, derive_event_id
from streams.flows.reviews.alert_rule import SEVERITIES, AlertRule, severity
from streams.flows.reviews.alert_windows import AlertState, Measure, Mention, apply_mention, epoch, measure, moment
from streams.state.clock import utc_iso
from streams.state.dedupe import already_applied, remember


@dataclass(frozen=True)
class Decision:
    """What to announce about one key's alert; every field of ``SentimentAlertChanged`` follows
    from it (see ``alert_event``)."""

    status: AlertStatus
    alert_id: str
    sequence: int  # 0 for the raise, then 1, 2, ... for each update and the resolution
    product_id: str
    aspect: str
    severity: AlertSeverity
    decided_at: datetime  # event time
    caused_by: str
    window_start: datetime
    window_end: datetime
    negative_count: int
    total_count: int
    negative_share: float
    baseline_share: float
    ratio: float
    evidence: tuple[tuple[str, str], ...]  # (review_id, excerpt), newest first, within the window
    slots_lost: int = 0  # recommendation slots lost to demotion while the alert was active


def alert_key(product_id: str, aspect: str) -> str:
    """The ``aspect-alerts`` key of one product's aspect."""
    return f"{product_id}|{aspect}"


def mentions_of(scored: ReviewScored) -> list[Mention]:
    """The aspect mentions of a scored review."""
    return [Mention(scored.product_id, aspect.aspect, aspect.polarity, scored.review_id, scored.caused_at,
                    scored.event_id, aspect.clause) for aspect in scored.aspects]


def _passes(window: Measure, rule: AlertRule, factor: float) -> bool:
    """Whether the window passes the raise rule with its thresholds multiplied by ``factor``."""
    return (window.negative >= rule.min_negative * factor and window.share >= rule.share_threshold * factor
            and window.ratio >= rule.ratio_to_baseline * factor)


def alert_id(product_id: str, aspect: str, raised_at: datetime) -> str:
    """Stable id of the alert raised at ``raised_at``: readable when it fits an identifier, else hashed."""
    stamp = raised_at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    readable = f"alert-{product_id}-{aspect}-{stamp}"
    if len(readable) <= 64 and re.fullmatch(IDENTIFIER_PATTERN, readable):
        return readable
    return "alert-" + hashlib.sha256("\x1f".join([product_id, aspect, stamp]).encode()).hexdigest()[:40]


def _decision(state: AlertState, window: Measure, status: AlertStatus, rule: AlertRule, now_s: int) -> Decision:
    active = state["alert"]
    evidence = tuple((entry["review_id"], entry["excerpt"]) for entry in state["evidence"]
                     if epoch(entry["at"]) >= window.window_start)
    return Decision(
        status=status, sequence=0 if active is None else active["sequence"] + 1,
        alert_id=alert_id(state["product_id"], state["aspect"], moment(now_s)) if active is None
        else active["alert_id"],
        product_id=state["product_id"], aspect=state["aspect"], severity=severity(window.ratio, rule),
        decided_at=moment(now_s), caused_by=state["last_event_id"], window_start=moment(window.window_start),
        window_end=moment(window.window_end), negative_count=window.negative, total_count=window.total,
        negative_share=round(window.share, 4), baseline_share=round(window.baseline_share, 4),
        ratio=round(window.ratio, 4), evidence=evidence,
        slots_lost=0 if active is None else active.get("slots_lost", 0))


def decide(state: AlertState | None, rule: AlertRule, now: datetime | None = None) -> Decision | None:
    """Whether to raise, update or resolve the key's alert at event time ``now``; None when nothing changes.

    ``now`` defaults to the newest mention seen, and is never taken earlier than it. Raising
    needs no active alert, ``now`` past the cooldown and the rule passed; an active alert
    resolves once the rule fails even with ``resolve_factor``, and is updated only when its
    severity or its share (by ``update_share_step`` over its peak) rises.
    """
    if state is None or state["latest_at"] is None:
        return None
    now_s = max(epoch(state["latest_at"]), int(now.timestamp()) if now else 0)
    window, active = measure(state, rule, now_s), state["alert"]
    if active is None:
        cooling = state["cooldown_until"] is not None and now_s < epoch(state["cooldown_until"])
        raise_now = not cooling and _passes(window, rule, 1.0)
        return _decision(state, window, AlertStatus.RAISED, rule, now_s) if raise_now else None
    if not _passes(window, rule, rule.resolve_factor):
        return _decision(state, window, AlertStatus.RESOLVED, rule, now_s)
    rank = SEVERITIES.index
    grew = (rank(severity(window.ratio, rule)) > rank(AlertSeverity(active["peak_severity"]))
            or window.share >= active["peak_share"] + rule.update_share_step)
    return _decision(state, window, AlertStatus.UPDATED, rule, now_s) if grew else None


def record(state: AlertState, decision: Decision, rule: AlertRule) -> AlertState:
    """The state after ``decision`` was announced: the alert opened, updated, or closed into cooldown."""
    at, active = utc_iso(decision.decided_at), state["alert"]
    expected = None if active is None else active["alert_id"]
    if (decision.status is AlertStatus.RAISED) != (expected is None) or expected not in (None, decision.alert_id):
        raise ValueError(f"{decision.status.value} decision for alert {decision.alert_id} does not fit the "
                         f"state (active alert: {expected}); record each decision on the state decide() was given")
    if decision.status is AlertStatus.RESOLVED:
        return {**state, "alert": None, "resolved_at": at,
                "cooldown_until": utc_iso(decision.decided_at + timedelta(seconds=rule.cooldown_s))}
    active = active or {"alert_id": decision.alert_id, "raised_at": at, "peak_share": 0.0, "peak_severity": "low"}
    peak_severity = max(AlertSeverity(active["peak_severity"]), decision.severity, key=SEVERITIES.index)
    return {**state, "alert": {**active, "last_updated_at": at, "peak_severity": peak_severity.value,
                               "peak_share": max(active["peak_share"], decision.negative_share),
                               "window_start": utc_iso(decision.window_start),
                               "window_end": utc_iso(decision.window_end), "sequence": decision.sequence}}


def observe(state: AlertState | None, mention: Mention, rule: AlertRule
            ) -> tuple[AlertState, Decision | None, bool]:
    """Apply a mention, decide at its key's newest event time and record the decision.

    Returns (state, decision or None, changed); the one state value holds both the count and
    the alert it led to, so they are written in one changelog record.
    """
    state, changed = apply_mention(state, mention, rule)
    decision = decide(state, rule)
    if decision is None:
        return state, None, changed
    return record(state, decision, rule), decision, True


def alert_event(decision: Decision) -> SentimentAlertChanged:
    """The ``SentimentAlertChanged`` announcing ``decision``; its id is deterministic, so a replay repeats it."""
    return SentimentAlertChanged(
        event_id=derive_event_id("alert", decision.alert_id, decision.sequence, decision.status.value),
        occurred_at=decision.decided_at, caused_by=decision.caused_by, alert_id=decision.alert_id,
        product_id=decision.product_id, aspect=decision.aspect, status=decision.status,
        severity=decision.severity, window_start=decision.window_start, window_end=decision.window_end,
        negative_count=decision.negative_count, total_count=decision.total_count,
        negative_share=decision.negative_share, baseline_share=decision.baseline_share,
        evidence=[AlertEvidence(review_id=review_id, excerpt=excerpt) for review_id, excerpt in decision.evidence],
        recommendation_slots_lost=decision.slots_lost)


def add_lost_slots(state: AlertState | None, alert_id_: str, slots: int, report_id: str, rule: AlertRule
                   ) -> tuple[AlertState | None, Decision | None]:
    """Add ``slots`` lost recommendation slots to the key's alert ``alert_id_`` and announce the total.

    Returns (state, an "updated" decision carrying the new ``slots_lost``), or (state, None) when
    that alert is no longer active (resolved since, or another alert now) or the report
    ``report_id`` was already counted.
    """
    active = None if state is None else state["alert"]
    if active is None or active["alert_id"] != alert_id_ or already_applied(state["seen"], "reports", report_id):
        return state, None
    state = {**state, "alert": {**active, "slots_lost": active.get("slots_lost", 0) + slots},
             "seen": remember(state["seen"], "reports", report_id, rule.seen_review_ids)}
    window = measure(state, rule, epoch(state["latest_at"]))
    decision = replace(_decision(state, window, AlertStatus.UPDATED, rule, epoch(state["latest_at"])),
                       caused_by=report_id)
    return record(state, decision, rule), decision
