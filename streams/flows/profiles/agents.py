"""Agents of the profiles flow (state role): clicks, searches and erasures into user profiles.

    shop.clicks ───> ingest_clicks ───┬──> user-profiles table (user_id)
                                      ├──> <app_id>-inference-requests (one per click; recommendations flow)
                                      └──> <app_id>-product-interactions (re-keyed by product; products flow)
    shop.searches ─> ingest_searches ─┬──> user-profiles table
                                      └──> <app_id>-inference-requests (one per search)
    shop.erasures ─> erase_users ─────────> user-profiles table (tombstone)
"""

from __future__ import annotations

from schemas import ErasureRequested, ProductClicked, SearchPerformed
from schemas.requests import RecommendationRequested
from streams import topics
from streams.app import app, counters
from streams.flows.intake.inputs import as_event, store, valid_batches, valid_events
from streams.flows.products.forward import forward
from streams.flows.recommendations.requests import apply_clicks, apply_searches
from streams.limits import LIMITS
from streams.monitoring import metrics
from streams.state.batch import group_by
from streams.tables import profiles


@app.agent(topics.clicks)
async def ingest_clicks(stream):
    """Apply each micro-batch of valid clicks to the users' profiles (one write per user), ask for
    a recommendation per click, then pass the clicks on, one record per product, to product stats."""
    async for batch in valid_batches(stream, ProductClicked, "user_id"):
        for user_id, pairs in group_by(batch, lambda pair: pair[1].user_id).items():
            as_event(pairs[-1][0])
            folded, requests = apply_clicks(profiles.get(user_id), [c for _, c in pairs], LIMITS.profile)
            store(profiles, user_id, folded, "clicks")
            await ask_for_recommendations(requests)
        await forward(batch, "clicks")


@app.agent(topics.searches)
async def ingest_searches(stream):
    """Apply each valid search to its user's profile (recent queries, category affinity) and ask for
    recommendations that reflect it."""
    async for search in valid_events(stream, SearchPerformed, "user_id"):
        folded, requests = apply_searches(profiles.get(search.user_id), [search], LIMITS.profile)
        store(profiles, search.user_id, folded, "searches")
        await ask_for_recommendations(requests)


async def ask_for_recommendations(requests: list[RecommendationRequested]) -> None:
    """Hand recommendation requests to the inference agent, keyed by user."""
    for request in requests:
        await topics.inference_requests.send(key=request.user_id, value=request)


@app.agent(topics.erasures)
async def erase_users(stream):
    """Forget a user: delete their profile (a tombstone in the changelog)."""
    async for request in valid_events(stream, ErasureRequested, "user_id"):
        profiles.pop(request.user_id, None)
        counters.accepted["erasures"] += 1
        metrics.record_applied("erasures", 1, 0)
