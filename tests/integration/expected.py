"""The state a worker must reach, computed by folding the same events through the pure state functions."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas import ErasureRequested, ProductClicked, ProductUpserted, ReviewSubmitted, SearchPerformed
from schemas.topics import CATALOG, CLICKS, ERASURES, REVIEWS, SEARCHES
from streams.limits import limits_from
from streams.settings import Settings
from streams.flows.products.catalog import upsert_product
from streams.flows.products.stats import apply_interaction, apply_review, public_stats
from streams.flows.profiles.profile import ProfileLimits, apply_click, apply_search, public_view

MODELS = {CLICKS: ProductClicked, SEARCHES: SearchPerformed, REVIEWS: ReviewSubmitted, CATALOG: ProductUpserted,
          ERASURES: ErasureRequested}


@dataclass
class ExpectedState:
    """Profiles, product stats and catalog entries after applying events in topic order."""

    settings: Settings
    profiles: dict = field(default_factory=dict)
    stats: dict = field(default_factory=dict)
    catalog: dict = field(default_factory=dict)

    @property
    def limits(self) -> ProfileLimits:
        return limits_from(self.settings).profile

    def apply(self, topic: str, value: dict) -> None:
        """Apply one valid event."""
        event = MODELS[topic].model_validate(value)
        seen = limits_from(self.settings).stats
        if topic == CLICKS:
            self.profiles[event.user_id], _ = apply_click(self.profiles.get(event.user_id), event, self.limits)
            self.stats[event.product_id], _ = apply_interaction(self.stats.get(event.product_id), event, seen)
        elif topic == SEARCHES:
            self.profiles[event.user_id], _ = apply_search(self.profiles.get(event.user_id), event, self.limits)
        elif topic == REVIEWS:
            self.stats[event.product_id], _ = apply_review(self.stats.get(event.product_id), event, seen)
        elif topic == CATALOG:
            self.catalog[event.product_id], _ = upsert_product(self.catalog.get(event.product_id), event)
        else:
            self.profiles.pop(event.user_id, None)

    def public_profiles(self) -> dict:
        """Profiles as ``GET /users/{id}/profile`` serves them."""
        return {user: public_view(profile) for user, profile in self.profiles.items()}

    def public_stats(self) -> dict:
        """Stats as ``GET /products/{id}/stats`` serves them."""
        return {pid: public_stats(stats, limits_from(self.settings).stats) for pid, stats in self.stats.items()}
