"""Settings of the per-user and per-product state: bounds, affinity weights, trending window."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator

from streams.settings.base import Section


class StateSettings(Section):
    """How much a profile and a product's stats keep, and how interactions weigh."""

    title: ClassVar[str] = "State"

    profile_recent_items: int = Field(50, ge=1, description="Interactions kept per user profile (the newest).")
    profile_recent_queries: int = Field(10, ge=1, description="Search queries kept per user profile (the newest).")
    profile_purchased: int = Field(200, ge=1, description="Purchased product ids kept per user profile (the newest).")
    profile_categories: int = Field(20, ge=1, description="Categories kept in a user's affinity map (the strongest).")
    affinity_view: float = Field(1.0, ge=0, description="Affinity a view adds to its product's category.")
    affinity_cart: float = Field(3.0, ge=0, description="Affinity an add-to-cart adds to its product's category.")
    affinity_purchase: float = Field(5.0, ge=0, description="Affinity a purchase adds to its product's category.")
    affinity_search: float = Field(2.0, ge=0, description="Affinity a search with a category filter adds to that category.")
    seen_event_ids: int = Field(
        64, ge=1, description="Event ids remembered per table key and source stream, to drop redelivered events."
    )
    erasure_guard_s: int = Field(
        7 * 86400, ge=60, description="How long an erased user's guard (a SHA-256 digest of the id, no id) is kept, "
        "seconds: while it lasts, recommendation answers and events caused before the erasure are dropped instead "
        "of bringing the user back; it should exceed how late an event or an answer can arrive."
    )
    trending_window_s: int = Field(3600, ge=1, description="Size of the hopping trending window (event time), seconds.")
    trending_step_s: int = Field(300, ge=1, description="Step of the hopping trending window, seconds; at most the window size.")

    @field_validator("trending_step_s")
    @classmethod
    def _step_fits_window(cls, step: int, info) -> int:
        window = info.data.get("trending_window_s")
        if window is not None and step > window:
            raise ValueError(f"trending_step_s ({step}) must not exceed trending_window_s ({window})")
        return step
