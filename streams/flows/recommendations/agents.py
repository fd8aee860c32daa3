"""Agent of the recommendations flow on the state role: the newest list per user, for HTTP.

    shop.recommendations (user_id) ─> keep_latest_recommendations ─> latest-recommendations table

A list caused before its user's erasure (``streams/flows/profiles/erasure.py``) is dropped.

The requests come from the profiles flow (``streams/flows/profiles/agents.py``); the lists are
made by the inference agent (``streams/inference/agent.py``) with ``service.RecommenderService``.
"""

from __future__ import annotations

from streams import topics
from streams.app import app
from streams.flows.recommendations.latest import newer
from streams.flows.profiles.erasure import caused_before_erasure, guard_key
from streams.tables import erasure_guards, latest_recommendations


@app.agent(topics.recommendations)
async def keep_latest_recommendations(stream):
    """Store the list if it is newer than the one kept (lists arrive per user in order, but redeliveries may not)."""
    async for issued in stream:
        if caused_before_erasure(erasure_guards.get(guard_key(issued["user_id"])), issued["caused_at"]):
            continue  # an answer to a request queued before the user was erased: dropped, never served
        kept = latest_recommendations.get(issued["user_id"])
        if newer(issued, kept):
            latest_recommendations[issued["user_id"]] = issued
