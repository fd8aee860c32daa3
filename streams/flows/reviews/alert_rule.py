"""The alert rule: when negative mentions of one aspect of one product warrant an alert.

Explicit and configurable: every threshold is a field of ``AlertRule``, set by a ``SHOPSTREAM_ALERT_*`` setting; ``streams/flows/reviews/alerts.py``
applies it to the per-(product, aspect) state.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.alerts import AlertSeverity

SEVERITIES = (AlertSeverity.LOW, AlertSeverity.MEDIUM, AlertSeverity.HIGH)


@dataclass(frozen=True)
class AlertRule:
    """When negative mentions of one aspect of one product warrant an alert, and the state's bounds.

    Built from the ``alert_*`` settings by ``streams.limits`` (``Settings.alert_<field>``;
    ``evidence_size`` is ``alert_evidence``, ``seen_review_ids`` is ``seen_event_ids``).

    An alert is raised when the current window has at least ``min_negative`` negative mentions,
    a negative share of at least ``share_threshold``, and a share at least ``ratio_to_baseline``
    times the product's baseline share. It stays active while the window still passes that rule
    with every threshold multiplied by ``resolve_factor`` (hysteresis), and resolves once it fails.
    """

    # Each field is the setting SHOPSTREAM_ALERT_<FIELD> (described in streams/settings/reviews.py),
    # except evidence_size (SHOPSTREAM_ALERT_EVIDENCE) and seen_review_ids (SHOPSTREAM_SEEN_EVENT_IDS).
    window_s: int
    step_s: int
    baseline_s: int
    baseline_step_s: int
    min_negative: int
    share_threshold: float
    ratio_to_baseline: float
    prior_share: float
    prior_weight: float
    baseline_floor: float
    medium_ratio: float
    high_ratio: float
    update_share_step: float
    resolve_factor: float
    cooldown_s: int
    evidence_size: int
    seen_review_ids: int

    def __post_init__(self) -> None:
        """Reject bounds that do not nest, so a misconfiguration fails at start-up."""
        problems = [text for failed, text in [
            (self.step_s <= 0 or self.window_s % self.step_s or self.baseline_step_s % self.step_s
             or self.baseline_s % self.baseline_step_s,
             f"window_s ({self.window_s}) and baseline_step_s ({self.baseline_step_s}) must be multiples of "
             f"step_s ({self.step_s}) > 0, and baseline_s ({self.baseline_s}) a multiple of baseline_step_s"),
            (self.baseline_s <= self.window_s, f"baseline_s ({self.baseline_s}) must exceed window_s"),
            (not 0 < self.share_threshold <= 1, "share_threshold must be in (0, 1]"),
            (not 0 < self.resolve_factor <= 1, "resolve_factor must be in (0, 1]"),
            (not 0 < self.baseline_floor <= 1, "baseline_floor must be in (0, 1]"),
            (not 0 <= self.prior_share <= 1 or self.prior_weight < 0,
             "prior_share must be in [0, 1] and prior_weight >= 0"),
            (self.medium_ratio > self.high_ratio, "medium_ratio must not exceed high_ratio"),
            (self.cooldown_s < 1, "cooldown_s must be at least 1 (alert ids are unique to the second)"),
            (not 1 <= self.evidence_size <= 10, "evidence_size must be 1 to 10 (the schema's limit)"),
        ] if failed]
        if problems:
            raise ValueError("invalid AlertRule: " + "; ".join(problems))


def severity(ratio: float, rule: AlertRule) -> AlertSeverity:
    """How far the window's share is above the baseline, by ``medium_ratio`` and ``high_ratio``."""
    if ratio >= rule.high_ratio:
        return AlertSeverity.HIGH
    return AlertSeverity.MEDIUM if ratio >= rule.medium_ratio else AlertSeverity.LOW
