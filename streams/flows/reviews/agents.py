"""Agents of the review-intelligence flow on the state role.

    shop.reviews (product_id) ─> ingest_reviews ─┬─> <app_id>-product-interactions (review count, rating sum;
                                                 │     products flow)
                                                 └─> <app_id>-review-requests (PII redacted; ``requests.py``)
        the inference agent scores it (``streams/inference/agent.py`` with ``scoring.ReviewService``)
    shop.review-scores (product_id) ─> watch_review_scores ─┬─> review-sentiment table (``sentiment.py``)
                                                            ├─> aspect-alerts table (``alerts.py``)
                                                            └─> shop.sentiment-alerts (raise, update, resolve)
    <app_id>-slots-lost (product_id) ─> count_lost_slots ─> aspect-alerts table, shop.sentiment-alerts

Inference workers follow ``shop.sentiment-alerts`` into a ``complaints.ComplaintView`` and demote
products with an active alert in their recommendations; the slots that costs come back here.
"""

from __future__ import annotations

from schemas import ReviewScored, ReviewSubmitted
from schemas import topics as contract
from schemas.requests import RecommendationSlotsLost
from streams import topics
from streams.monitoring import metrics
from streams.flows.intake.inputs import store, valid_batches, valid_events
from streams.flows.products.forward import forward
from streams.app import app, settings
from streams.limits import LIMITS
from streams.flows.reviews.alerts import add_lost_slots, alert_event, alert_key, mentions_of, observe
from streams.flows.reviews.requests import review_request
from streams.state.batch import fold
from streams.flows.reviews.sentiment import apply_scored
from streams.tables import aspect_alerts, review_sentiment


@app.agent(topics.reviews)
async def ingest_reviews(stream):
    """Pass each valid review on to its product's stats (through ShopStream's own re-key, with its
    source offset) and ask for it to be scored."""
    async for batch in valid_batches(stream, ReviewSubmitted, "product_id"):
        await forward(batch, "reviews")
        for _, review in batch:
            await topics.review_requests.send(key=review.product_id, value=review_request(review))


@app.agent(topics.review_scores)
async def watch_review_scores(stream):
    """Summarise each scored review per product; raise, update or resolve alerts per product and aspect."""
    async for scored in valid_events(stream, ReviewScored, "product_id"):
        folded = fold(apply_scored, review_sentiment.get(scored.product_id), [scored], settings.seen_event_ids)
        store(review_sentiment, scored.product_id, folded, "review-scores")
        for mention in mentions_of(scored):
            key = alert_key(scored.product_id, mention.aspect)
            state, decision, changed = observe(aspect_alerts.get(key), mention, LIMITS.alert_rule)
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
                                             LIMITS.alert_rule)
            if decision is not None:
                aspect_alerts[key] = state
                await topics.sentiment_alerts.send(key=report.product_id, value=alert_event(decision))
                metrics.record_result(contract.SENTIMENT_ALERTS)
