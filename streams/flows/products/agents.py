"""Agents of the products flow (state role): product stats from re-keyed clicks, catalog entries.

    <app_id>-product-interactions ─> count_product_interactions ─> product-stats table (product_id)
      (clicks from the profiles flow, reviews from the reviews flow, each with its source offset)
    shop.catalog ─> ingest_catalog ─> upsert_catalog ─┬─> products table (product_id)
                                                      └─> <app_id>-copy-requests (no description, or request_copy)

A catalog entry is applied in its product's murmur2 home partition; one the shop's producer put
elsewhere takes the detour through ``<app_id>-moved-events`` (``intake/moved.py``).
"""

from __future__ import annotations

import time

from schemas import ProductUpserted
from streams.batch_reader import take_batches
from streams import topics
from streams.app import app, settings
from streams.flows.copy.requests import copy_request
from streams.flows.intake.inputs import as_event, count_applied, store, valid_batches
from streams.flows.intake.moved import apply_home, handles
from streams.flows.intake.placement import Item
from streams.flows.products.catalog import upsert_product
from streams.flows.products.stats import apply_forwarded, forwarded_events
from streams.limits import LIMITS
from streams.monitoring import metrics
from streams.state.batch import fold, group_by
from streams.tables import product_stats, products, review_sentiment


@app.agent(topics.product_interactions)
async def count_product_interactions(stream):
    """Count each forwarded click and review once on its product's stats and trending window (one
    write per product and batch; a replayed record is recognised by its source offset)."""
    async for events in take_batches(stream, settings.batch_max, settings.batch_within_s):
        started = time.perf_counter()
        counts = {"product-interactions": [0, 0], "reviews": [0, 0]}  # applied, duplicates
        unpacked = [(event, kind, value, at) for event in events for kind, value, at in forwarded_events(event.value)]
        for product_id, group in group_by(unpacked, lambda item: item[2]["product_id"]).items():
            as_event(group[-1][0])  # every record of a product is in its home partition
            stats, changed = product_stats.get(product_id), False
            for _, kind, value, at in group:
                stats, applied = apply_forwarded(stats, kind, value, at, LIMITS.stats)
                count = counts["reviews" if kind == "reviews" else "product-interactions"]
                count[0 if applied else 1] += 1
                changed = changed or applied
            if changed:
                product_stats[product_id] = stats
        for source, (applied, duplicates) in counts.items():
            if applied or duplicates:
                count_applied(source, applied, duplicates)
        metrics.record_batch("product-interactions", len(events), metrics.since(started))


@app.agent(topics.catalog)
async def ingest_catalog(stream):
    """Apply each micro-batch of valid catalog entries (``upsert_catalog``)."""
    async for batch in valid_batches(stream, ProductUpserted, "product_id"):
        await apply_home("catalog", batch, "product_id")


@handles("catalog", ProductUpserted)
async def upsert_catalog(items: list[Item[ProductUpserted]]) -> None:
    """Keep the newest catalog entry of each product; ask for copy when it has no description or requests it
    (a stale upsert asks for nothing; a redelivered one asks again, under the same id)."""
    for item in items:
        product = item.value
        as_event(item.event)
        folded = fold(upsert_product, products.get(product.product_id), [product])
        store(products, product.product_id, folded, "catalog")
        current = folded[0]["updated_by"] == product.event_id  # applied now, or a redelivery of the entry held
        summary = review_sentiment.get(product.product_id)
        request = copy_request(product, summary, LIMITS.praise) if current else None
        if request is not None and settings.copy_enabled:
            await topics.copy_requests.send(key=product.product_id, value=request)
