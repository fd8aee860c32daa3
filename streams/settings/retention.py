"""Settings of how long Kafka keeps what ShopStream's topics hold (applied by ``shopstream topics``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from streams.settings.base import Section

DAY_S = 86_400


class RetentionSettings(Section):
    """How long each kind of topic keeps its records: raw events hold user ids and review text, so keep them no
    longer than the shop needs. ``shopstream topics`` sets these on the topics it creates and on existing ones;
    changelogs are compacted (a deleted key's tombstone removes it) and keep no time limit."""

    title: ClassVar[str] = "Retention"

    retention_input_s: int = Field(
        7 * DAY_S, ge=3600, description="How long the input topics (clicks, searches, reviews, catalog, erasures) keep "
        "their records, seconds: long enough to rebuild state after an outage or train a model from the click log."
    )
    retention_output_s: int = Field(
        7 * DAY_S, ge=3600, description="How long the output topics (recommendations, review scores, alerts, copy) keep "
        "their records, seconds."
    )
    retention_dead_letters_s: int = Field(
        30 * DAY_S, ge=3600, description="How long shop.dead-letters keeps refused records (their original bytes, so "
        "personal data too), seconds: time for operators to inspect and replay them."
    )
    retention_confirmations_s: int = Field(
        30 * DAY_S, ge=3600, description="How long shop.erasure-confirmations keeps confirmations, seconds: time for "
        "the privacy service to read them into its own audit trail."
    )
    retention_internal_s: int = Field(
        3 * DAY_S, ge=3600, description="How long ShopStream's internal topics (`<app_id>-product-interactions`, "
        "`-inference-requests`, `-review-requests`, `-copy-requests`, `-slots-lost`) keep records, seconds; set when "
        "the worker creates them. Records older than this are lost if no worker read them in time."
    )
