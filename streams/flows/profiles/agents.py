"""Agents of the profiles flow (state role): clicks, searches and erasures into user profiles.

    shop.clicks ───> ingest_clicks ───┬──> apply_user_clicks ──┬──> user-profiles table (user_id)
                                      │                        └──> <app_id>-inference-requests (recommendations)
                                      └──> <app_id>-product-interactions (re-keyed by product; products flow)
    shop.searches ─> ingest_searches ───> apply_user_searches ─┬──> user-profiles table
                                                               └──> <app_id>-inference-requests
    shop.erasures ─> erase_users ───────> erase ───────────────┬──> user-profiles, latest-recommendations (tombstones)
                                                               ├──> erasure-guards table (sha256 of the user id)
                                                               └──> shop.erasure-confirmations

A user's events are applied in the user's murmur2 home partition: those the shop's producer put
in another partition take the detour through ``<app_id>-moved-events`` (``intake/moved.py``) to
the same ``apply_*`` handler. The handlers take turns (``profile_turn``): each reads, writes and
asks for its recommendations before the next reads, so a user's requests leave in the order of
the profiles they were built from, and a list never misses a purchase whose own list came before
it. While a user's erasure guard lasts, clicks and searches that
happened before the erasure are dropped (``erasure.py``), so events still in flight do not bring
the user back.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from schemas import ErasureRequested, ProductClicked, SearchPerformed
from schemas.requests import RecommendationRequested
from streams import topics
from streams.app import app, settings
from streams.flows.intake.inputs import as_event, count_applied, store, valid_batches, validated
from streams.flows.intake.moved import apply_home, handles
from streams.flows.intake.placement import Item
from streams.flows.products.forward import forward
from streams.flows.profiles.erasure import (caused_before_erasure, confirmation, erase_user, expired_guards,
                                            guard_key, new_guard, repeated_confirmation)
from streams.flows.recommendations.requests import apply_clicks, apply_searches
from streams.limits import LIMITS
from streams.state.batch import group_by
from streams.tables import erasure_guards, latest_recommendations, profiles


@app.agent(topics.clicks)
async def ingest_clicks(stream):
    """Apply each micro-batch of valid clicks to the users' profiles, then pass every click on, one
    record per product, to product stats."""
    async for batch in valid_batches(stream, ProductClicked, "user_id"):
        await apply_home("clicks", batch, "user_id")
        await forward(batch, "clicks")  # every click counts on product stats (they hold no user id)


@app.agent(topics.searches)
async def ingest_searches(stream):
    """Apply each micro-batch of valid searches to the users' profiles."""
    async for batch in valid_batches(stream, SearchPerformed, "user_id"):
        await apply_home("searches", batch, "user_id")


#: Held by a handler from its first profile read to its last request sent (see the module's docstring).
profile_turn = asyncio.Lock()


@handles("clicks", ProductClicked)
async def apply_user_clicks(items: list[Item[ProductClicked]]) -> None:
    """Apply clicks to their users' profiles (one write per user) and ask for their recommendations (one per
    user, or per click with ``SHOPSTREAM_RECOMMEND_EACH_EVENT``)."""
    async with profile_turn:
        for user_id, group in group_by(not_erased(items), lambda item: item.value.user_id).items():
            as_event(group[-1].event)
            folded, requests = apply_clicks(profiles.get(user_id), [item.value for item in group], LIMITS.profile,
                                            [item.at for item in group], settings.recommend_each_event)
            store(profiles, user_id, folded, "clicks")
            await ask_for_recommendations(requests)


@handles("searches", SearchPerformed)
async def apply_user_searches(items: list[Item[SearchPerformed]]) -> None:
    """Apply searches to their users' profiles (recent queries, category affinity) and ask for
    recommendations that reflect each."""
    async with profile_turn:
        for user_id, group in group_by(not_erased(items), lambda item: item.value.user_id).items():
            as_event(group[-1].event)
            folded, requests = apply_searches(profiles.get(user_id), [item.value for item in group],
                                              LIMITS.profile, [item.at for item in group], settings.recommend_each_event)
            store(profiles, user_id, folded, "searches")
            await ask_for_recommendations(requests)


async def ask_for_recommendations(requests: list[RecommendationRequested]) -> None:
    """Hand recommendation requests to the inference agent, keyed by user."""
    for request in requests:
        await topics.inference_requests.send(key=request.user_id, value=request)


def not_erased(items: list[Item]) -> list[Item]:
    """The items not caused before their user's erasure (one guard read per user, in the user's partition)."""
    kept = []
    for _, group in group_by(items, lambda item: item.value.user_id).items():
        as_event(group[-1].event)
        guard = erasure_guards.get(guard_key(group[0].value.user_id))
        kept += [item for item in group if not caused_before_erasure(guard, item.value.occurred_at)]
    return kept


@app.agent(topics.erasures)
async def erase_users(stream):
    """Forget each user whose valid erasure request arrives (``erase``)."""
    async for event in stream.events():
        await apply_home("erasures", await validated([event], ErasureRequested, "user_id"), "user_id")


@handles("erasures", ErasureRequested)
async def erase(items: list[Item[ErasureRequested]]) -> None:
    """Forget a user: tombstone their profile and latest list, guard against what is still in flight,
    expire this partition's old guards, and confirm on shop.erasure-confirmations."""
    keep = timedelta(seconds=settings.erasure_guard_s)
    for item in items:
        request, partition = item.value, item.event.message.partition
        as_event(item.event)
        done = repeated_confirmation(erasure_guards.get(guard_key(request.user_id)), request)
        repeated = done is not None
        if not repeated:
            held = erase_user(request.user_id, {"profile": profiles, "latest-recommendations": latest_recommendations})
            done = confirmation(request, held, datetime.now(UTC))
            erasure_guards[guard_key(request.user_id)] = new_guard(request, partition, keep, done)
            for key in expired_guards(erasure_guards.items(), partition, datetime.now(UTC)):
                erasure_guards.pop(key, None)
        # a redelivered request erases nothing again (a profile begun after it stays) and is confirmed again
        # with the same record, since the first confirmation may not have been sent before the crash
        await app.producer.flush()  # tombstones and guard stored in Kafka before the erasure is confirmed
        await topics.erasure_confirmations.send(key=request.user_id, value=done)
        count_applied("erasures", int(not repeated), int(repeated))
