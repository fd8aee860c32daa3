"""User profiles: what a user did recently, bounded in every dimension.

A profile (the value of the ``user-profiles`` table, keyed by user_id) looks like::

    {"user_id": "u1", "events": 3, "last_seen": "2026-11-28T10:00:00+00:00",
     "recent": [{"product_id": "p9", "kind": "view", "at": "..."}],   # newest last
     "queries": [{"query": "red dress", "at": "..."}],                # newest last
     "purchased": ["p3"],                                              # newest last
     "affinities": {"Dresses": 6.0},                                   # weighted counts
     "seen": {"clicks": ["evt-1"], "searches": ["evt-2"]},           # recent event ids per stream
     "applied": {"clicks@3": 1207, "searches@0": 88}}                # highest input offset per topic partition
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from schemas import ProductClicked, SearchPerformed
from streams.state.clock import utc_iso
from streams.state.dedupe import Coordinate, already_applied, mark, offset_applied, remember

Profile = dict[str, Any]

@dataclass(frozen=True)
class ProfileLimits:
    """Bounds and weights of one profile, built from the settings by ``streams.limits``."""

    recent_items: int  # Settings.profile_recent_items
    recent_queries: int  # Settings.profile_recent_queries
    purchased: int  # Settings.profile_purchased
    categories: int  # Settings.profile_categories
    seen_event_ids: int  # Settings.seen_event_ids
    kind_weights: Mapping[str, float]  # click kind -> affinity it adds: Settings.affinity_view/_cart/_purchase
    search_weight: float  # Settings.affinity_search
    top_categories: int  # Settings.request_top_categories: strongest categories a recommendation request carries


def new_profile(user_id: str) -> Profile:
    """An empty profile for ``user_id``."""
    return {"user_id": user_id, "events": 0, "last_seen": None, "recent": [], "queries": [],
            "purchased": [], "affinities": {}, "seen": {}}


def add_affinity(affinities: dict[str, float], category: str, weight: float, limit: int) -> dict[str, float]:
    """Add ``weight`` to ``category`` and keep the ``limit`` strongest categories (ties: newest kept)."""
    updated = {name: value for name, value in affinities.items() if name != category}
    updated[category] = affinities.get(category, 0.0) + weight
    if len(updated) <= limit:
        return updated
    weakest = min((value, index, name) for index, (name, value) in enumerate(updated.items()))[2]
    del updated[weakest]
    return updated


def _touch(profile: Profile, source: str, event_id: str, at: str, limits: ProfileLimits) -> Profile:
    latest = at if profile["last_seen"] is None else max(profile["last_seen"], at)
    return {**profile, "events": profile["events"] + 1, "last_seen": latest,
            "seen": remember(profile["seen"], source, event_id, limits.seen_event_ids)}


def apply_click(profile: Profile | None, click: ProductClicked, limits: ProfileLimits,
                origin: Coordinate | None = None) -> tuple[Profile, bool]:
    """Apply a view, cart or purchase to a profile; returns (profile, changed).

    ``origin``: the click's (partition, offset) on ``shop.clicks``; a click at or below the
    profile's marker for that partition was applied before (a redelivery after a crash or a
    rebalance, however long), as is one whose id the profile remembers (a copy the shop sent)."""
    profile = profile or new_profile(click.user_id)
    if (offset_applied(profile.get("applied", {}), "clicks", origin)
            or already_applied(profile["seen"], "clicks", click.event_id)):
        return profile, False
    at = utc_iso(click.occurred_at)
    kind = click.kind.value
    updated = _touch(profile, "clicks", click.event_id, at, limits)
    updated["applied"] = mark(profile.get("applied", {}), "clicks", origin)
    entry = {"product_id": click.product_id, "kind": kind, "at": at}
    updated["recent"] = [*profile["recent"], entry][-limits.recent_items:]
    if kind == "purchase":
        kept = [pid for pid in profile["purchased"] if pid != click.product_id]
        updated["purchased"] = [*kept, click.product_id][-limits.purchased:]
    if click.category:
        updated["affinities"] = add_affinity(
            profile["affinities"], click.category, limits.kind_weights[kind], limits.categories
        )
    return updated, True


def apply_search(profile: Profile | None, search: SearchPerformed, limits: ProfileLimits,
                 origin: Coordinate | None = None) -> tuple[Profile, bool]:
    """Apply a search query to a profile; returns (profile, changed). ``origin``: the search's
    (partition, offset) on ``shop.searches``, with the same markers as clicks have."""
    profile = profile or new_profile(search.user_id)
    if (offset_applied(profile.get("applied", {}), "searches", origin)
            or already_applied(profile["seen"], "searches", search.event_id)):
        return profile, False
    at = utc_iso(search.occurred_at)
    updated = _touch(profile, "searches", search.event_id, at, limits)
    updated["applied"] = mark(profile.get("applied", {}), "searches", origin)
    updated["queries"] = [*profile["queries"], {"query": search.query, "at": at}][-limits.recent_queries:]
    if search.category:
        updated["affinities"] = add_affinity(
            profile["affinities"], search.category, limits.search_weight, limits.categories
        )
    return updated, True


def public_view(profile: Profile) -> Profile:
    """The profile as served over HTTP (without the internal dedupe ids)."""
    return {key: value for key, value in profile.items() if key not in ("seen", "applied")}
