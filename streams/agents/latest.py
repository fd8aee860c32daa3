"""Keep each user's newest recommendation list, so ``GET /users/{id}/recommendations`` can serve it."""

from __future__ import annotations

from streams import topics
from streams.app import app
from streams.state.latest import newer
from streams.tables import latest_recommendations


@app.agent(topics.recommendations)
async def keep_latest_recommendations(stream):
    """Store the list if it is newer than the one kept (lists arrive per user in order, but redeliveries may not)."""
    async for issued in stream:
        kept = latest_recommendations.get(issued["user_id"])
        if newer(issued, kept):
            latest_recommendations[issued["user_id"]] = issued
