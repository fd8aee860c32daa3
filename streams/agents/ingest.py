"""Ingest agents: validate shop events and keep user and product state."""

from __future__ import annotations

from schemas import ErasureRequested, ProductClicked, ProductUpserted, ReviewSubmitted, SearchPerformed
from streams import topics
from streams.agents.intake import store, valid_events
from streams.app import app, counters, settings
from streams.limits import PROFILE_LIMITS as LIMITS
from streams.limits import STATS_LIMITS
from streams.state.product import apply_interaction, apply_review, upsert_product
from streams.state.profile import apply_click, apply_search
from streams.tables import product_stats, products, profiles

@app.agent(topics.clicks)
async def ingest_clicks(stream):
    """Apply each valid click to its user's profile and pass it on, keyed by product, to product stats."""
    async for click in valid_events(stream, ProductClicked, "user_id"):
        store(profiles, click.user_id, apply_click(profiles.get(click.user_id), click, LIMITS), "clicks")
        await topics.product_interactions.send(key=click.product_id, value=click)


@app.agent(topics.product_interactions)
async def count_product_interactions(stream):
    """Count each click once on its product's stats and trending window."""
    async for value in stream:
        click = ProductClicked.model_validate(value)
        stats = product_stats.get(click.product_id)
        store(product_stats, click.product_id, apply_interaction(stats, click, STATS_LIMITS), "product-interactions")


@app.agent(topics.searches)
async def ingest_searches(stream):
    """Apply each valid search to its user's profile (recent queries, category affinity)."""
    async for search in valid_events(stream, SearchPerformed, "user_id"):
        store(profiles, search.user_id, apply_search(profiles.get(search.user_id), search, LIMITS), "searches")


@app.agent(topics.catalog)
async def ingest_catalog(stream):
    """Keep the newest catalog entry of each product."""
    async for product in valid_events(stream, ProductUpserted, "product_id"):
        store(products, product.product_id, upsert_product(products.get(product.product_id), product), "catalog")


@app.agent(topics.reviews)
async def ingest_reviews(stream):
    """Count each valid review and its rating on its product's stats."""
    async for review in valid_events(stream, ReviewSubmitted, "product_id"):
        stats = product_stats.get(review.product_id)
        store(product_stats, review.product_id, apply_review(stats, review, STATS_LIMITS), "reviews")


@app.agent(topics.erasures)
async def erase_users(stream):
    """Forget a user: delete their profile (a tombstone in the changelog)."""
    async for request in valid_events(stream, ErasureRequested, "user_id"):
        profiles.pop(request.user_id, None)
        counters.accepted["erasures"] += 1
