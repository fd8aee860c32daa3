"""The alert rule: when negative mentions of one aspect of one product warrant an alert.

Explicit and configurable: every threshold is a field of ``AlertRule``; ``streams/flows/reviews/alerts.py``
applies it to the per-(product, aspect) state.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.alerts import AlertSeverity

SEVERITIES = (AlertSeverity.LOW, AlertSeverity.MEDIUM, AlertSeverity.HIGH)


@dataclass(frozen=True)
class AlertRule:
    """When negative mentions of one aspect of one product warrant an alert, and the state's bounds.

    An alert is raised when the current window has at least ``min_negative`` negative mentions,
    a negative share of at least ``share_threshold``, and a share at least ``ratio_to_baseline``
    times the product's baseline share. It stays active while the window still passes that rule
    with every threshold multiplied by ``resolve_factor`` (hysteresis), and resolves once it fails.
    """

    #: int, seconds: size of the current window (event time).
    window_s: int = 3600
    #: int, seconds: width of the window's buckets; the window hops by this much.
    step_s: int = 300
    #: int, seconds: history kept; the baseline is what it holds before the current window (7 days
    #: covers a weekly cycle of who reviews what).
    baseline_s: int = 7 * 86400
    #: int, seconds: width of the baseline's buckets, a multiple of step_s. Coarser than the window's
    #: (the baseline needs no 5-minute detail), so 7 days take 168 buckets, not 2016; the oldest
    #: edge of the baseline is exact to within this much.
    baseline_step_s: int = 3600
    #: int: fewest negative mentions in the window to raise; below this a share means little.
    min_negative: int = 5
    #: float in (0, 1]: least negative share in the window to raise.
    share_threshold: float = 0.4
    #: float >= 1: least ratio of the window's share to the (smoothed) baseline share to raise, so a
    #: product whose aspect is always criticised this much does not alert.
    ratio_to_baseline: float = 2.0
    #: float in [0, 1]: prior negative share blended into the baseline (Laplace-style smoothing):
    #: baseline = (negative + prior_share * prior_weight) / (total + prior_weight). A product with
    #: no history is assumed to be criticised like a typical one.
    prior_share: float = 0.15
    #: float >= 0: weight of that prior, in pseudo-mentions; it fades as real history grows.
    prior_weight: float = 20.0
    #: float in (0, 1]: least baseline share used for the ratio, so a spotless history cannot
    #: make the ratio (and the severity) explode.
    baseline_floor: float = 0.02
    #: float: ratio from which the severity is medium (below it, low).
    medium_ratio: float = 3.0
    #: float: ratio from which the severity is high.
    high_ratio: float = 5.0
    #: float in (0, 1]: while active, an update is issued only when the share rises this much above
    #: the alert's peak share, or the severity above its peak severity, so growth gives a few
    #: updates (at most 1 / update_share_step + 2), not one per review.
    update_share_step: float = 0.1
    #: float in (0, 1]: the active alert resolves when the window fails the raise rule with
    #: min_negative, share_threshold and ratio_to_baseline all multiplied by this.
    resolve_factor: float = 0.75
    #: int, seconds (>= 1): after a resolution, no new alert for the key until this much later.
    #: At least a second, as alert ids carry the raise time to the second.
    cooldown_s: int = 6 * 3600
    #: int in [1, 10]: newest negative mentions kept as evidence (the schema allows 10).
    evidence_size: int = 5
    #: int: review ids remembered per key to drop redelivered reviews (as ``Settings.seen_event_ids``).
    seen_review_ids: int = 64

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
