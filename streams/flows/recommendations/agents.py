"""Agent of the recommendations flow on the state role: the newest list per user, for HTTP.

    shop.recommendations (user_id) ─> keep_latest_recommendations ─> latest-recommendations table

The requests come from the profiles flow (``streams/flows/profiles/agents.py``); the lists are
made by the inference agent (``streams/inference/agent.py``) with ``service.RecommenderService``.
"""

from __future__ import annotations

from streams import topics
from streams.app import app
from streams.flows.recommendations.latest import newer
from streams.tables import latest_recommendations


@app.agent(topics.recommendations)
async def keep_latest_recommendations(stream):
    """Store the list if it is newer than the one kept (lists arrive per user in order, but redeliveries may not)."""
    async for issued in stream:
        kept = latest_recommendations.get(issued["user_id"])
        if newer(issued, kept):
            latest_recommendations[issued["user_id"]] = issued
