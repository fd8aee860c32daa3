"""Keep each user's newest recommendation list and each product's newest copy, for the HTTP views
``GET /users/{id}/recommendations`` and ``GET /products/{id}/copy``."""

from __future__ import annotations

from streams import topics
from streams.app import app
from streams.state.latest import newer
from streams.tables import latest_copy, latest_recommendations


@app.agent(topics.recommendations)
async def keep_latest_recommendations(stream):
    """Store the list if it is newer than the one kept (lists arrive per user in order, but redeliveries may not)."""
    async for issued in stream:
        kept = latest_recommendations.get(issued["user_id"])
        if newer(issued, kept):
            latest_recommendations[issued["user_id"]] = issued


@app.agent(topics.product_copy)
async def keep_latest_copy(stream):
    """Store each product's copy unless the one kept was written later (a redelivery of an older one)."""
    async for written in stream:
        kept = latest_copy.get(written["product_id"])
        if kept is None or written["occurred_at"] >= kept["occurred_at"]:
            latest_copy[written["product_id"]] = written
