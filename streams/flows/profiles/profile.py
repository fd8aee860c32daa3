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
from streams.state.dedupe import Coordinate, already_applied, mark_into, offset_applied, remember_into

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
    updated = dict(affinities)
    add_affinity_into(updated, category, weight, limit)
    return updated


def add_affinity_into(affinities: dict[str, float], category: str, weight: float, limit: int) -> None:
    """``add_affinity`` in place: ``category`` moves to the newest end with its new weight."""
    affinities[category] = affinities.pop(category, 0.0) + weight
    if len(affinities) > limit:
        weakest = min((value, index, name) for index, (name, value) in enumerate(affinities.items()))[2]
        del affinities[weakest]


def editable(profile: Profile) -> Profile:
    """A copy of ``profile`` whose lists and maps may be changed in place without touching ``profile``: a
    user's events of one batch are applied to one such copy (``click_into``, ``search_into``)."""
    return {**profile, "recent": list(profile["recent"]), "queries": list(profile["queries"]),
            "purchased": list(profile["purchased"]), "affinities": dict(profile["affinities"]),
            "seen": {source: list(ids) for source, ids in profile["seen"].items()},
            "applied": dict(profile.get("applied", {}))}


def _touch_into(profile: Profile, source: str, event_id: str, at: str, limits: ProfileLimits) -> None:
    profile["events"] += 1
    profile["last_seen"] = at if profile["last_seen"] is None else max(profile["last_seen"], at)
    remember_into(profile["seen"], source, event_id, limits.seen_event_ids)


def click_into(profile: Profile, click: ProductClicked, limits: ProfileLimits, origin: Coordinate | None = None) -> bool:
    """Apply a view, cart or purchase to an ``editable`` profile, in place; returns whether it changed.

    ``origin``: the click's (partition, offset) on ``shop.clicks``; a click at or below the
    profile's marker for that partition was applied before (a redelivery after a crash or a
    rebalance, however long), as is one whose id the profile remembers (a copy the shop sent)."""
    if offset_applied(profile["applied"], "clicks", origin) or already_applied(profile["seen"], "clicks", click.event_id):
        return False
    at, kind = utc_iso(click.occurred_at), click.kind.value
    _touch_into(profile, "clicks", click.event_id, at, limits)
    mark_into(profile["applied"], "clicks", origin)
    recent = profile["recent"]
    recent.append({"product_id": click.product_id, "kind": kind, "at": at})
    del recent[:-limits.recent_items]
    if kind == "purchase":
        purchased = profile["purchased"]
        if click.product_id in purchased:
            purchased.remove(click.product_id)
        purchased.append(click.product_id)
        del purchased[:-limits.purchased]
    if click.category:
        add_affinity_into(profile["affinities"], click.category, limits.kind_weights[kind], limits.categories)
    return True


def search_into(profile: Profile, search: SearchPerformed, limits: ProfileLimits,
                origin: Coordinate | None = None) -> bool:
    """Apply a search query to an ``editable`` profile, in place; returns whether it changed. ``origin``: the
    search's (partition, offset) on ``shop.searches``, with the same markers as clicks have."""
    if (offset_applied(profile["applied"], "searches", origin)
            or already_applied(profile["seen"], "searches", search.event_id)):
        return False
    at = utc_iso(search.occurred_at)
    _touch_into(profile, "searches", search.event_id, at, limits)
    mark_into(profile["applied"], "searches", origin)
    queries = profile["queries"]
    queries.append({"query": search.query, "at": at})
    del queries[:-limits.recent_queries]
    if search.category:
        add_affinity_into(profile["affinities"], search.category, limits.search_weight, limits.categories)
    return True


def apply_click(profile: Profile | None, click: ProductClicked, limits: ProfileLimits,
                origin: Coordinate | None = None) -> tuple[Profile, bool]:
    """``click_into`` on a copy: returns (profile, changed), the profile given back unchanged when not changed."""
    return _on_a_copy(click_into, profile or new_profile(click.user_id), click, limits, origin)


def apply_search(profile: Profile | None, search: SearchPerformed, limits: ProfileLimits,
                 origin: Coordinate | None = None) -> tuple[Profile, bool]:
    """``search_into`` on a copy: returns (profile, changed), the profile given back unchanged when not changed."""
    return _on_a_copy(search_into, profile or new_profile(search.user_id), search, limits, origin)


def _on_a_copy(apply_into, profile: Profile, event, limits: ProfileLimits,
               origin: Coordinate | None) -> tuple[Profile, bool]:
    updated = editable(profile)
    return (updated, True) if apply_into(updated, event, limits, origin) else (profile, False)


def public_view(profile: Profile) -> Profile:
    """The profile as served over HTTP (without the internal dedupe ids)."""
    return {key: value for key, value in profile.items() if key not in ("seen", "applied")}
