"""Agent of the copy flow on the state role: the newest copy per product, for HTTP.

    shop.product-copy (product_id) ─> keep_latest_copy ─> latest-copy table

The copy itself is written by ``writer.write_copy`` on the inference role.
"""

from __future__ import annotations

from streams import topics
from streams.app import app
from streams.tables import latest_copy


@app.agent(topics.product_copy)
async def keep_latest_copy(stream):
    """Store each product's copy unless the one kept was written later (a redelivery of an older one)."""
    async for written in stream:
        kept = latest_copy.get(written["product_id"])
        if kept is None or written["occurred_at"] >= kept["occurred_at"]:
            latest_copy[written["product_id"]] = written
