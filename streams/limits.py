"""The state bounds of this worker, built once from the settings."""

from __future__ import annotations

from streams.settings import Settings, get_settings
from streams.state.product import StatsLimits
from streams.state.profile import ProfileLimits


def profile_limits(settings: Settings) -> ProfileLimits:
    """Profile bounds from ``SHOPSTREAM_PROFILE_*`` and ``SHOPSTREAM_SEEN_EVENT_IDS``."""
    return ProfileLimits(recent_items=settings.profile_recent_items, recent_queries=settings.profile_recent_queries,
                         purchased=settings.profile_purchased, categories=settings.profile_categories,
                         seen_event_ids=settings.seen_event_ids)


def stats_limits(settings: Settings) -> StatsLimits:
    """Product-stats bounds from ``SHOPSTREAM_SEEN_EVENT_IDS`` and ``SHOPSTREAM_TRENDING_*``."""
    return StatsLimits(seen_event_ids=settings.seen_event_ids, window_s=settings.trending_window_s,
                       step_s=settings.trending_step_s)


PROFILE_LIMITS = profile_limits(get_settings())
STATS_LIMITS = stats_limits(get_settings())
