"""Agents of the profiles flow (state role): clicks, searches and erasures into user profiles.

    shop.clicks ───> ingest_clicks ───┬──> user-profiles table (user_id)
                                      ├──> <app_id>-inference-requests (one per click; recommendations flow)
                                      └──> <app_id>-product-interactions (re-keyed by product; products flow)
    shop.searches ─> ingest_searches ─┬──> user-profiles table
                                      └──> <app_id>-inference-requests (one per search)
    shop.erasures ─> erase_users ─────┬──> user-profiles, latest-recommendations tables (tombstones)
                                      ├──> erasure-guards table (sha256 of the user id, for a while)
                                      └──> shop.erasure-confirmations (user, what was erased, when)

While a user's erasure guard lasts, clicks and searches that happened before the erasure are
dropped (``erasure.py``), so events still in flight do not bring the user back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from schemas import ErasureRequested, ProductClicked, SearchPerformed
from schemas.requests import RecommendationRequested
from streams import topics
from streams.app import app, counters, settings
from streams.flows.intake.inputs import as_event, coordinate, store, valid_batches, valid_events, validated
from streams.flows.products.forward import forward
from streams.flows.profiles.erasure import (caused_before_erasure, confirmation, erase_user, expired_guards,
                                            guard_key, new_guard)
from streams.flows.recommendations.requests import apply_clicks, apply_searches
from streams.limits import LIMITS
from streams.monitoring import metrics
from streams.state.batch import group_by
from streams.tables import erasure_guards, latest_recommendations, profiles


@app.agent(topics.clicks)
async def ingest_clicks(stream):
    """Apply each micro-batch of valid clicks to the users' profiles (one write per user), ask for
    a recommendation per click, then pass the clicks on, one record per product, to product stats."""
    async for batch in valid_batches(stream, ProductClicked, "user_id"):
        for user_id, pairs in group_by(not_erased(batch), lambda pair: pair[1].user_id).items():
            as_event(pairs[-1][0])
            folded, requests = apply_clicks(profiles.get(user_id), [c for _, c in pairs], LIMITS.profile,
                                            [coordinate(event) for event, _ in pairs])
            store(profiles, user_id, folded, "clicks")
            await ask_for_recommendations(requests)
        await forward(batch, "clicks")  # every click counts on product stats (they hold no user id)


@app.agent(topics.searches)
async def ingest_searches(stream):
    """Apply each valid search to its user's profile (recent queries, category affinity) and ask for
    recommendations that reflect it."""
    async for search in valid_events(stream, SearchPerformed, "user_id"):
        if caused_before_erasure(erasure_guards.get(guard_key(search.user_id)), search.occurred_at):
            continue
        folded, requests = apply_searches(profiles.get(search.user_id), [search], LIMITS.profile)
        store(profiles, search.user_id, folded, "searches")
        await ask_for_recommendations(requests)


async def ask_for_recommendations(requests: list[RecommendationRequested]) -> None:
    """Hand recommendation requests to the inference agent, keyed by user."""
    for request in requests:
        await topics.inference_requests.send(key=request.user_id, value=request)


def not_erased(batch: list[tuple]) -> list[tuple]:
    """The (event, click) pairs of ``batch`` not caused before their user's erasure (one guard read per user)."""
    kept = []
    for _, pairs in group_by(batch, lambda pair: pair[1].user_id).items():
        as_event(pairs[-1][0])
        guard = erasure_guards.get(guard_key(pairs[0][1].user_id))
        kept += [pair for pair in pairs if not caused_before_erasure(guard, pair[1].occurred_at)]
    return kept


@app.agent(topics.erasures)
async def erase_users(stream):
    """Forget a user: tombstone their profile and latest list, guard against what is still in flight,
    expire this partition's old guards, and confirm on shop.erasure-confirmations."""
    keep = timedelta(seconds=settings.erasure_guard_s)
    async for event in stream.events():
        for _, request in await validated([event], ErasureRequested, "user_id"):
            held = erase_user(request.user_id, {"profile": profiles, "latest-recommendations": latest_recommendations})
            partition = event.message.partition
            erasure_guards[guard_key(request.user_id)] = new_guard(request, partition, keep)
            for key in expired_guards(erasure_guards.items(), partition, datetime.now(UTC)):
                erasure_guards.pop(key, None)
            await app.producer.flush()  # tombstones and guard stored in Kafka before the erasure is confirmed
            done = confirmation(request, held, datetime.now(UTC))
            await topics.erasure_confirmations.send(key=request.user_id, value=done)
            counters.accepted["erasures"] += 1
            metrics.record_applied("erasures", 1, 0)
