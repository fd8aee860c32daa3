"""Recommendation requests: a user's profile, right after a click or search, as work for the inference agent.

Pure functions of the profile (see ``profile.py``) and the triggering event. By default a user's
events of one micro-batch lead to one request, for the last of them, from the profile that holds
them all (``SHOPSTREAM_RECOMMEND_EACH_EVENT``): a list for an event that a newer one superseded
before it was even asked for would reach the shop stale, and cost the inference agent as much as
the list that counts. A redelivered event (already applied) still yields its request, built from
the current profile: the output is then issued again under the same deterministic id, which
consumers deduplicate, so a crash between the state write and the request never loses a
recommendation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from schemas import ProductClicked, SearchPerformed
from schemas.requests import MAX_HISTORY, RecommendationRequested
from streams.flows.profiles.profile import Profile, ProfileLimits, click_into, editable, new_profile, search_into

Trigger = ProductClicked | SearchPerformed


def _context(profile: Profile, top_categories: int) -> dict:
    """The profile fields every request carries, with its ``top_categories`` strongest categories."""
    strongest = sorted(profile["affinities"].items(), key=lambda pair: (-pair[1], pair[0]))
    return {"user_id": profile["user_id"],
            "history": [entry["product_id"] for entry in profile["recent"]][-MAX_HISTORY:],
            "purchased": list(profile["purchased"]),
            "top_categories": [name for name, _ in strongest[:top_categories]]}


def click_request(profile: Profile, click: ProductClicked, top_categories: int) -> RecommendationRequested:
    """The request a click leads to, from the profile that already includes it."""
    return RecommendationRequested(event_id=click.event_id, occurred_at=click.occurred_at, trigger="click",
                                   just_viewed=click.product_id, category=click.category,
                                   **_context(profile, top_categories))


def search_request(profile: Profile, search: SearchPerformed, top_categories: int) -> RecommendationRequested:
    """The request a search leads to, from the profile that already includes it."""
    return RecommendationRequested(event_id=search.event_id, occurred_at=search.occurred_at, trigger="search",
                                   query=search.query, category=search.category,
                                   **_context(profile, top_categories))


def apply_with_requests(apply_into: Callable, make_request: Callable, profile: Profile | None,
                        events: Iterable[Trigger], limits: ProfileLimits, origins: Iterable | None = None,
                        each_event: bool = True
                        ) -> tuple[tuple[Profile | None, int, int], list[RecommendationRequested]]:
    """Fold one user's events into the profile and build their requests: ((profile, applied, duplicates),
    requests), the profile given back as it was when no event changed it.

    ``apply_into`` is ``click_into`` or ``search_into``, applied to one ``editable`` copy of the profile;
    ``make_request`` the matching builder; ``origins`` the events' (partition, offset) on their input topic.
    ``each_event``: one request per event, from the profile right after it; otherwise one for the
    last event, from the final profile (the same request as the last of ``each_event``'s).
    """
    events = list(events)
    if not events:
        return (profile, 0, 0), []
    original = profile or new_profile(events[0].user_id)
    working, applied, requests = editable(original), 0, []
    for event, origin in zip(events, origins if origins is not None else [None] * len(events), strict=True):
        applied += apply_into(working, event, limits, origin)
        if each_event:
            requests.append(make_request(working, event, limits.top_categories))
    final = working if applied else original
    if not each_event:
        requests.append(make_request(final, events[-1], limits.top_categories))
    return (final, applied, len(events) - applied), requests


def apply_clicks(profile: Profile | None, clicks: Iterable[ProductClicked], limits: ProfileLimits,
                 origins: Iterable | None = None, each_event: bool = True):
    """``apply_with_requests`` for clicks (``origins``: their coordinates on ``shop.clicks``)."""
    return apply_with_requests(click_into, click_request, profile, clicks, limits, origins, each_event)


def apply_searches(profile: Profile | None, searches: Iterable[SearchPerformed], limits: ProfileLimits,
                   origins: Iterable | None = None, each_event: bool = True):
    """``apply_with_requests`` for searches (``origins``: their coordinates on ``shop.searches``)."""
    return apply_with_requests(search_into, search_request, profile, searches, limits, origins, each_event)
