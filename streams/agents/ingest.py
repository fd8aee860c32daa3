"""Ingest agents: validate shop events and keep user and product state."""

from __future__ import annotations

import time

from schemas import ErasureRequested, ProductClicked, ProductUpserted, ReviewSubmitted, SearchPerformed
from schemas.requests import RecommendationRequested
from streams import metrics, topics
from streams.agents.intake import as_event, store, valid_batches, valid_events
from streams.app import app, counters, settings
from streams.limits import PROFILE_LIMITS as LIMITS
from streams.limits import STATS_LIMITS
from streams.state.product import apply_interaction, apply_review, upsert_product
from streams.state.batch import fold, group_by
from streams.state.copy import copy_request
from streams.state.requests import apply_clicks, apply_searches, review_request
from streams.tables import product_stats, products, profiles, review_sentiment


@app.agent(topics.clicks)
async def ingest_clicks(stream):
    """Apply each micro-batch of valid clicks to the users' profiles (one write per user), ask for
    a recommendation per click, then pass the clicks on, one record per product, to product stats."""
    async for batch in valid_batches(stream, ProductClicked, "user_id"):
        for user_id, pairs in group_by(batch, lambda pair: pair[1].user_id).items():
            as_event(pairs[-1][0])
            folded, requests = apply_clicks(profiles.get(user_id), [c for _, c in pairs], LIMITS)
            store(profiles, user_id, folded, "clicks")
            await ask_for_recommendations(requests)
        for product_id, pairs in group_by(batch, lambda pair: pair[1].product_id).items():
            clicks = [click.model_dump(mode="json") for _, click in pairs]
            await topics.product_interactions.send(key=product_id, value={"clicks": clicks})


@app.agent(topics.product_interactions)
async def count_product_interactions(stream):
    """Count each click once on its product's stats and trending window (one write per product and batch)."""
    async for events in stream.take_events(settings.batch_max, within=settings.batch_within_s):
        started = time.perf_counter()
        for product_id, group in group_by(events, lambda event: event.key).items():
            clicks = [ProductClicked.model_validate(c) for event in group for c in event.value["clicks"]]
            as_event(group[-1])
            folded = fold(apply_interaction, product_stats.get(product_id), clicks, STATS_LIMITS)
            store(product_stats, product_id, folded, "product-interactions")
        metrics.record_batch("product-interactions", len(events), metrics.since(started))


@app.agent(topics.searches)
async def ingest_searches(stream):
    """Apply each valid search to its user's profile (recent queries, category affinity) and ask for
    recommendations that reflect it."""
    async for search in valid_events(stream, SearchPerformed, "user_id"):
        folded, requests = apply_searches(profiles.get(search.user_id), [search], LIMITS)
        store(profiles, search.user_id, folded, "searches")
        await ask_for_recommendations(requests)


async def ask_for_recommendations(requests: list[RecommendationRequested]) -> None:
    """Hand recommendation requests to the inference agent, keyed by user."""
    for request in requests:
        await topics.inference_requests.send(key=request.user_id, value=request)


@app.agent(topics.catalog)
async def ingest_catalog(stream):
    """Keep the newest catalog entry of each product; ask for copy when it has no description or requests it
    (a stale upsert asks for nothing; a redelivered one asks again, under the same id)."""
    async for product in valid_events(stream, ProductUpserted, "product_id"):
        folded = fold(upsert_product, products.get(product.product_id), [product])
        store(products, product.product_id, folded, "catalog")
        current = folded[0]["updated_by"] == product.event_id  # applied now, or a redelivery of the entry held
        request = copy_request(product, review_sentiment.get(product.product_id)) if current else None
        if request is not None and settings.copy_enabled:
            await topics.copy_requests.send(key=product.product_id, value=request)


@app.agent(topics.reviews)
async def ingest_reviews(stream):
    """Count each valid review and its rating on its product's stats, and ask for it to be scored."""
    async for review in valid_events(stream, ReviewSubmitted, "product_id"):
        folded = fold(apply_review, product_stats.get(review.product_id), [review], STATS_LIMITS)
        store(product_stats, review.product_id, folded, "reviews")
        await topics.review_requests.send(key=review.product_id, value=review_request(review))


@app.agent(topics.erasures)
async def erase_users(stream):
    """Forget a user: delete their profile (a tombstone in the changelog)."""
    async for request in valid_events(stream, ErasureRequested, "user_id"):
        profiles.pop(request.user_id, None)
        counters.accepted["erasures"] += 1
        metrics.record_applied("erasures", 1, 0)


@app.task
async def declare_inference_requests() -> None:
    """Create the request topics with this app's partitions if they are missing: a state-only worker
    writes them but, running no inference agent, would not otherwise create them."""
    await topics.inference_requests.maybe_declare()
    await topics.review_requests.maybe_declare()
    await topics.copy_requests.maybe_declare()
