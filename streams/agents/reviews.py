"""Review intelligence on the state side: per-product sentiment summaries and sentiment alerts."""

from __future__ import annotations

from schemas import ReviewScored
from streams import topics
from streams.agents.intake import store, valid_events
from streams.app import app, settings
from streams.limits import ALERT_RULE
from streams.state.alerts import alert_event, mentions_of, observe
from streams.state.batch import fold
from streams.state.sentiment import apply_scored
from streams.tables import aspect_alerts, review_sentiment


def alert_key(product_id: str, aspect: str) -> str:
    """The ``aspect-alerts`` key of one product's aspect."""
    return f"{product_id}|{aspect}"


@app.agent(topics.review_scores)
async def watch_review_scores(stream):
    """Summarise each scored review per product; raise, update or resolve alerts per product and aspect."""
    async for scored in valid_events(stream, ReviewScored, "product_id"):
        folded = fold(apply_scored, review_sentiment.get(scored.product_id), [scored], settings.seen_event_ids)
        store(review_sentiment, scored.product_id, folded, "review-scores")
        for mention in mentions_of(scored):
            key = alert_key(scored.product_id, mention.aspect)
            state, decision, changed = observe(aspect_alerts.get(key), mention, ALERT_RULE)
            if changed:
                aspect_alerts[key] = state
            if decision is not None:
                await topics.sentiment_alerts.send(key=scored.product_id, value=alert_event(decision))
