"""The inference agents: micro-batches of model work in, results out.

Requests come from the stateful agents on ``<app_id>-inference-requests`` (recommendations, agent
``infer``) and ``<app_id>-review-requests`` (review scoring, agent ``score_reviews``): one agent each,
so that slow review scoring on a CPU never holds up a recommendation list. Each batch
(``SHOPSTREAM_INFERENCE_BATCH_MAX`` / ``_WITHIN_S``) is one model call on its service's model thread, and
a newer model is switched in between batches. The batch's offsets are committed only after its
results were handed to the producer, so a crash or a reload never drops a request. A request
that does not validate (e.g. from a worker of another version) goes to the dead-letter topic
with its reason; the agent keeps serving the others.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import UTC, datetime

from schemas import derive_event_id
from schemas import topics as contract
from schemas.requests import RecommendationRequested, RecommendationSlotsLost, ReviewScoringRequested
from streams.batch_reader import take_batches
from streams import topics
from streams.monitoring import metrics
from streams.flows.intake.inputs import validated
from streams.app import app, settings
from streams.monitoring.counters import InferenceCounters
from streams.limits import LIMITS
from streams.flows.profiles.erasure import caused_before_erasure, guard_key
from streams.flows.recommendations.catalog_view import CatalogView
from streams.flows.reviews.complaints import ComplaintView
from streams.flows.recommendations.follower import CatalogFollower
from streams.flows.recommendations.service import RecommenderService
from streams.flows.reviews.scoring import ReviewService

log = logging.getLogger("shopstream.inference")

catalog = CatalogView(LIMITS.stats, max_event_bytes=settings.max_event_bytes)
complaints = ComplaintView()
#: Digests of recently erased users (followed from the stateful workers' erasure-guards changelog).
erasure_guards: dict = {}
recommender = app.service(RecommenderService(
    settings, catalog, CatalogFollower(catalog, settings.bootstrap_servers, contract.CATALOG,
                                       topics.PRODUCT_STATS_CHANGELOG, contract.SENTIMENT_ALERTS, complaints,
                                       guards_topic=topics.ERASURE_GUARDS_CHANGELOG, guards=erasure_guards),
    complaints))
reviews = app.service(ReviewService(settings))
inference_counters = InferenceCounters()


@app.agent(topics.inference_requests)
async def infer(stream):
    """For each batch of recommendation requests: recommend with the newest recommender and send the lists."""
    await recommender.ready.wait()
    await recommender.caught_up()  # the erasure guards first: a request queued before an erasure is dropped
    async for events in take_batches(stream, settings.inference_batch_max, settings.inference_batch_within_s):
        started = time.perf_counter()
        async with recommender.batch_turn:  # a newer version is switched to between batches
            await recommender.maybe_reload()
            # the version this batch is served by, shown before its results can be (the dashboard reads both)
            metrics.set_model_version("recommender", recommender.model_version)
            pairs = not_erased(await validated(events, RecommendationRequested, "user_id"), erasure_guards)
            requests = [request for _, request in pairs]
            lists = await _timed("recommender", recommender.recommend(requests)) if requests else []
        for issued in lists:
            await topics.recommendations.send(key=issued.user_id, value=issued)
        metrics.record_result(contract.RECOMMENDATIONS, len(lists))
        metrics.record_recommendation_latencies(time.time() - event.message.timestamp for event, _ in pairs)
        inference_counters.batch_done(len(requests), recommender.model_version)
        metrics.record_batch("inference", len(events), metrics.since(started))


@app.agent(topics.review_requests)
async def score_reviews(stream):
    """For each batch of review-scoring requests: score them with the newest sentiment models and send the
    scores. An agent of its own, so that scoring (seconds per batch on a CPU) never delays a list."""
    await reviews.ready.wait()
    async for events in take_batches(stream, settings.inference_batch_max, settings.inference_batch_within_s):
        started = time.perf_counter()
        async with reviews.batch_turn:
            await reviews.maybe_reload()
            metrics.set_model_version("sentiment-en", reviews.watcher.version)
            metrics.set_model_version("sentiment-zh", reviews.chinese_watcher.version)
            to_score = [request for _, request in await validated(events, ReviewScoringRequested, "product_id")]
            scores = await _timed("review-scorer", reviews.score(to_score)) if to_score else []
        for review in scores:
            await topics.review_scores.send(key=review.product_id, value=review)
        metrics.record_result(contract.REVIEW_SCORES, len(scores))
        inference_counters.reviews_done(len(to_score), reviews.versions, reviews.unscored)
        metrics.record_batch("review-scoring", len(events), metrics.since(started))


def not_erased(pairs: list[tuple], guards: dict) -> list[tuple]:
    """The (event, request) pairs whose user was not erased after the request's cause: requests queued
    before an erasure are dropped, never answered."""
    kept = [(event, request) for event, request in pairs
            if not caused_before_erasure(guards.get(guard_key(request.user_id)), request.occurred_at)]
    if len(kept) < len(pairs):
        inference_counters.dropped_for_erasure += len(pairs) - len(kept)
        log.info("Dropped %d recommendation request(s) of erased users (%d so far).", len(pairs) - len(kept),
                 inference_counters.dropped_for_erasure)
    return kept


async def _timed(model: str, call):
    """Await one model call and record how long it took under ``model``."""
    started = time.perf_counter()
    try:
        return await call
    finally:
        metrics.record_inference(model, metrics.since(started))


@app.task
async def declare_slots_lost() -> None:
    """Create the slots-lost topic if it is missing: an inference-only worker writes it but, running
    no state agent, would not otherwise create it."""
    await topics.slots_lost.maybe_declare()


@app.timer(settings.slots_report_s)
async def report_lost_slots() -> None:
    """Tell the state agent how many recommendation slots demotion took from products with alerts."""
    for lost in complaints.take_lost():
        report = RecommendationSlotsLost(
            event_id=derive_event_id("slots", uuid.uuid4().hex), occurred_at=datetime.now(UTC),
            product_id=lost.product_id, alerts=lost.alerts, slots_lost=lost.slots)
        await topics.slots_lost.send(key=lost.product_id, value=report)
        log.info("%s lost %d recommendation slots to its alerts on %s.", lost.product_id, lost.slots,
                 ", ".join(sorted(lost.alerts)))


@app.timer(settings.report_interval_s)
async def report_inference() -> None:
    """Log what the inference agent did since the last report."""
    log.info(inference_counters.report(metrics.recent_recommendation_latencies()))
