"""Review intelligence on the state side: per-product sentiment summaries, sentiment alerts, and the
recommendation slots the alerts cost (reported by inference workers)."""

from __future__ import annotations

from schemas import ReviewScored
from schemas import topics as contract
from schemas.requests import RecommendationSlotsLost
from streams import metrics, topics
from streams.agents.intake import store, valid_events
from streams.app import app, settings
from streams.limits import ALERT_RULE
from streams.state.alerts import add_lost_slots, alert_event, mentions_of, observe
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
                metrics.record_result(contract.SENTIMENT_ALERTS)


@app.agent(topics.slots_lost)
async def count_lost_slots(stream):
    """Add the recommendation slots inference workers report lost to each alert, and announce the total."""
    async for report in valid_events(stream, RecommendationSlotsLost, "product_id"):
        for aspect, alert_id in sorted(report.alerts.items()):
            key = alert_key(report.product_id, aspect)
            state, decision = add_lost_slots(aspect_alerts.get(key), alert_id, report.slots_lost, report.event_id,
                                             ALERT_RULE)
            if decision is not None:
                aspect_alerts[key] = state
                await topics.sentiment_alerts.send(key=report.product_id, value=alert_event(decision))
                metrics.record_result(contract.SENTIMENT_ALERTS)
