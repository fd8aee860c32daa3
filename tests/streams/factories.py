"""Small builders of valid events for unit tests (values from the real MovieLens catalog)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from schemas import ProductClicked, ReviewSubmitted, SearchPerformed
from streams.flows.products.stats import StatsLimits
from streams.flows.profiles.profile import ProfileLimits
from streams.flows.reviews.alert_rule import AlertRule
from streams.limits import limits_from
from streams.settings import Settings

T0 = datetime(1997, 9, 20, 5, 5, 10, tzinfo=timezone.utc)


def click(n: int, kind: str = "view", user: str = "ml-u1", product: str = "ml-1",
          category: str | None = "Animation") -> ProductClicked:
    """The n-th click of a user, n seconds after T0."""
    return ProductClicked(event_id=f"c-{user}-{n}", occurred_at=T0 + timedelta(seconds=n), user_id=user,
                          product_id=product, kind=kind, category=category)


def search(n: int, query: str = "toy story", user: str = "ml-u1", category: str | None = None) -> SearchPerformed:
    """The n-th search of a user."""
    return SearchPerformed(event_id=f"s-{user}-{n}", occurred_at=T0 + timedelta(seconds=n), user_id=user,
                           query=query, results=["ml-1"], category=category)


def review(n: int, rating: int = 4, product: str = "wc-1078") -> ReviewSubmitted:
    """The n-th review of a product."""
    return ReviewSubmitted(event_id=f"r-{product}-{n}", occurred_at=T0 + timedelta(seconds=n),
                           review_id=f"wcr-{n}", product_id=product, rating=rating, text="Lovely fabric.")


#: The limits a worker with default settings uses; tests change a few fields with the helpers below.
DEFAULT_LIMITS = limits_from(Settings())


def profile_limits(**changes) -> ProfileLimits:
    """The default profile limits with ``changes``."""
    return replace(DEFAULT_LIMITS.profile, **changes)


def stats_limits(**changes) -> StatsLimits:
    """The default product-stats limits with ``changes``."""
    return replace(DEFAULT_LIMITS.stats, **changes)


def alert_rule(**changes) -> AlertRule:
    """The default alert rule with ``changes`` (checked again, like a rule built from settings)."""
    return replace(DEFAULT_LIMITS.alert_rule, **changes)
