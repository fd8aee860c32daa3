"""Every Kafka topic the worker reads or writes, declared once.

Input topics are read as raw bytes so that an invalid message can be dead-lettered with its
original bytes; outputs are written with the ``shopstream-json`` codec. Names and schemas
are the public contract in ``schemas/topics.py``.
"""

from __future__ import annotations

import faust

from schemas import topics as contract
from schemas.codec import CODEC_NAME
from streams.app import app, settings


class RawBytes(faust.Schema):
    """Key and value as the bytes Kafka holds: the event is made straight from the record (what Faust's own
    decode gives for raw bytes, without its per-record trip through the serializer registry)."""

    def __init__(self) -> None:
        super().__init__(key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")

    def compile(self, app, **kwargs):  # noqa: ANN001, ANN003 (Faust's signature)
        create_event = app.create_event

        async def decode(message, *, propagate: bool = False):  # noqa: ANN001
            return create_event(message.key, message.value, message.headers, message)

        return decode


def _input(name: str):
    return app.topic(name, schema=RawBytes())


def _output(name: str):
    return app.topic(name, key_type=str, key_serializer="raw", value_serializer=CODEC_NAME)


clicks = _input(contract.CLICKS)
searches = _input(contract.SEARCHES)
reviews = _input(contract.REVIEWS)
catalog = _input(contract.CATALOG)
erasures = _input(contract.ERASURES)

recommendations = _output(contract.RECOMMENDATIONS)
erasure_confirmations = _output(contract.ERASURE_CONFIRMATIONS)
review_scores = _output(contract.REVIEW_SCORES)
sentiment_alerts = _output(contract.SENTIMENT_ALERTS)
product_copy = _output(contract.PRODUCT_COPY)
dead_letters = _output(contract.DEAD_LETTERS)


def _internal(suffix: str):
    """ShopStream's own topic ``<app_id>-<suffix>``, named after the base app id so every role agrees."""
    return app.topic(f"{settings.app_id}-{suffix}", key_type=str, key_serializer="raw",
                     value_serializer=CODEC_NAME, internal=True, partitions=settings.partitions,
                     retention=settings.retention_internal_s)


#: Internal: valid clicks re-keyed by product_id, so product state is co-partitioned with it.
product_interactions = _internal("product-interactions")
#: Internal: valid user- and product-keyed events the shop's producer put outside their key's murmur2 home
#: partition, re-sent keyed by that key so they are applied where their state lives (``flows/intake/moved.py``).
moved_events = _internal("moved-events")
#: Internal: work for the inference agent (``schemas.requests``): recommendations keyed by user_id,
#: review scoring keyed by product_id.
inference_requests = _internal("inference-requests")
review_requests = _internal("review-requests")
#: Internal: marketing copy to write, keyed by product_id (its own agent: generation takes seconds, and
#: must not hold up recommendations and review scores).
copy_requests = _internal("copy-requests")
#: Internal: the inference agent's reports of recommendation slots lost to complaint demotion, keyed by
#: product_id, for the state agent that keeps the alerts.
slots_lost = _internal("slots-lost")
#: The product-stats table's changelog, which inference workers follow read-only for trending products.
PRODUCT_STATS_CHANGELOG = f"{settings.app_id}-product-stats-changelog"
#: The erasure guards' changelog, which inference workers follow to drop requests queued before an erasure.
ERASURE_GUARDS_CHANGELOG = f"{settings.app_id}-erasure-guards-changelog"

INPUTS = (clicks, searches, reviews, catalog, erasures)
OUTPUTS = (recommendations, review_scores, sentiment_alerts, product_copy, dead_letters)
