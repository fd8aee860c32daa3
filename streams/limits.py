"""The limits and rules the pure state functions take, built once from the settings.

Every number here is a ``Settings`` field (``streams/settings/``); ``limits_from`` is the one
place that turns them into the frozen objects the flows' pure functions get as an argument.
"""

from __future__ import annotations

from dataclasses import dataclass

from streams.flows.copy.requests import PraiseRule
from streams.flows.products.stats import StatsLimits
from streams.flows.profiles.profile import ProfileLimits
from streams.flows.reviews.alert_rule import AlertRule
from streams.settings import Settings, get_settings


@dataclass(frozen=True)
class Limits:
    """Every limit and rule of the state functions: profiles, product stats, alerts, praise."""

    profile: ProfileLimits
    stats: StatsLimits
    alert_rule: AlertRule
    praise: PraiseRule


def limits_from(settings: Settings) -> Limits:
    """The limits ``settings`` describe (an invalid alert rule raises ``ValueError`` here, at start-up)."""
    profile = ProfileLimits(
        recent_items=settings.profile_recent_items, recent_queries=settings.profile_recent_queries,
        purchased=settings.profile_purchased, categories=settings.profile_categories,
        seen_event_ids=settings.seen_event_ids, search_weight=settings.affinity_search,
        kind_weights={"view": settings.affinity_view, "cart": settings.affinity_cart,
                      "purchase": settings.affinity_purchase},
        top_categories=settings.request_top_categories)
    stats = StatsLimits(seen_event_ids=settings.seen_event_ids, window_s=settings.trending_window_s,
                        step_s=settings.trending_step_s)
    rule_fields = [name for name in AlertRule.__dataclass_fields__ if name not in ("evidence_size", "seen_review_ids")]
    rule = AlertRule(**{name: getattr(settings, f"alert_{name}") for name in rule_fields},
                     evidence_size=settings.alert_evidence, seen_review_ids=settings.seen_event_ids)
    praise = PraiseRule(most=settings.copy_praised, min_mentions=settings.copy_praise_min_mentions,
                        max_negative_share=settings.copy_praise_max_negative_share)
    return Limits(profile=profile, stats=stats, alert_rule=rule, praise=praise)


#: This worker's limits, from its settings.
LIMITS = limits_from(get_settings())
