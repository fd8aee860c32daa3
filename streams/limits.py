"""The state bounds and rules of this worker, built once from the settings."""

from __future__ import annotations

from streams.settings import Settings, get_settings
from streams.flows.reviews.alert_rule import AlertRule
from streams.flows.products.stats import StatsLimits
from streams.flows.profiles.profile import ProfileLimits


def profile_limits(settings: Settings) -> ProfileLimits:
    """Profile bounds from ``SHOPSTREAM_PROFILE_*`` and ``SHOPSTREAM_SEEN_EVENT_IDS``."""
    return ProfileLimits(recent_items=settings.profile_recent_items, recent_queries=settings.profile_recent_queries,
                         purchased=settings.profile_purchased, categories=settings.profile_categories,
                         seen_event_ids=settings.seen_event_ids)


def stats_limits(settings: Settings) -> StatsLimits:
    """Product-stats bounds from ``SHOPSTREAM_SEEN_EVENT_IDS`` and ``SHOPSTREAM_TRENDING_*``."""
    return StatsLimits(seen_event_ids=settings.seen_event_ids, window_s=settings.trending_window_s,
                       step_s=settings.trending_step_s)


def alert_rule(settings: Settings) -> AlertRule:
    """The sentiment-alert rule from ``SHOPSTREAM_ALERT_*`` (the other fields keep their documented defaults)."""
    return AlertRule(window_s=settings.alert_window_s, min_negative=settings.alert_min_negative,
                     share_threshold=settings.alert_share_threshold,
                     ratio_to_baseline=settings.alert_ratio_to_baseline, cooldown_s=settings.alert_cooldown_s,
                     seen_review_ids=settings.seen_event_ids)


PROFILE_LIMITS = profile_limits(get_settings())
ALERT_RULE = alert_rule(get_settings())
STATS_LIMITS = stats_limits(get_settings())
