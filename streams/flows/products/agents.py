"""Agents of the products flow (state role): product stats from re-keyed clicks, catalog entries.

    <app_id>-product-interactions ─> count_product_interactions ─> product-stats table (product_id)
    shop.catalog ─> ingest_catalog ─┬─> products table (product_id)
                                    └─> <app_id>-copy-requests (no description, or request_copy; copy flow)

Reviews count on product stats too: see ``streams/flows/reviews/agents.py``.
"""

from __future__ import annotations

import time

from schemas import ProductClicked, ProductUpserted
from streams import topics
from streams.app import app, settings
from streams.flows.copy.requests import copy_request
from streams.flows.intake.inputs import as_event, store, valid_events
from streams.flows.products.catalog import upsert_product
from streams.flows.products.stats import apply_interaction
from streams.limits import LIMITS
from streams.monitoring import metrics
from streams.state.batch import fold, group_by
from streams.tables import product_stats, products, review_sentiment


@app.agent(topics.product_interactions)
async def count_product_interactions(stream):
    """Count each click once on its product's stats and trending window (one write per product and batch)."""
    async for events in stream.take_events(settings.batch_max, within=settings.batch_within_s):
        started = time.perf_counter()
        for product_id, group in group_by(events, lambda event: event.key).items():
            clicks = [ProductClicked.model_validate(c) for event in group for c in event.value["clicks"]]
            as_event(group[-1])
            folded = fold(apply_interaction, product_stats.get(product_id), clicks, LIMITS.stats)
            store(product_stats, product_id, folded, "product-interactions")
        metrics.record_batch("product-interactions", len(events), metrics.since(started))


@app.agent(topics.catalog)
async def ingest_catalog(stream):
    """Keep the newest catalog entry of each product; ask for copy when it has no description or requests it
    (a stale upsert asks for nothing; a redelivered one asks again, under the same id)."""
    async for product in valid_events(stream, ProductUpserted, "product_id"):
        folded = fold(upsert_product, products.get(product.product_id), [product])
        store(products, product.product_id, folded, "catalog")
        current = folded[0]["updated_by"] == product.event_id  # applied now, or a redelivery of the entry held
        summary = review_sentiment.get(product.product_id)
        request = copy_request(product, summary, LIMITS.praise) if current else None
        if request is not None and settings.copy_enabled:
            await topics.copy_requests.send(key=product.product_id, value=request)
