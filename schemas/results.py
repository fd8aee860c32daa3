"""Output events: what ShopStream writes for the shop to read.

Every output names the input event that caused it (``caused_by``) and has a
deterministic ``event_id`` derived from that cause, so a consumer that sees
the same output twice (at-least-once delivery) can deduplicate. Dead letters
live in ``schemas.dead_letters`` and sentiment alerts in ``schemas.alerts``;
both are re-exported here so that every output can be imported from one place.
"""

from __future__ import annotations

from enum import Enum
from typing import Self

from pydantic import ConfigDict, Field, StrictBool, model_validator

from schemas.alerts import AlertEvidence, AlertSeverity, AlertStatus, SentimentAlertChanged
from schemas.common import (
    DerivedEvent,
    Label,
    LanguageCode,
    LongText,
    ModelVersion,
    Part,
    Probability,
    ProductId,
    ReviewId,
    ShortText,
    Timestamp,
    UserId,
)
from schemas.dead_letters import DeadLetter

__all__ = [
    "AlertEvidence",
    "AlertSeverity",
    "AlertStatus",
    "AspectMention",
    "CopyCheck",
    "DeadLetter",
    "ProductCopyGenerated",
    "RecommendationsIssued",
    "RecommendedItem",
    "ReviewScored",
    "SentimentAlertChanged",
    "SentimentLabel",
]


class RecommendedItem(Part):
    """One recommended product, with why it was recommended."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "product_id": "sku-90112",
                    "score": 7.42,
                    "reason": "Often bought after TrailRunner 3 GTX",
                    "rank": 1,
                }
            ]
        }
    )

    product_id: ProductId = Field(description="The recommended product.")
    score: float = Field(
        strict=True,
        allow_inf_nan=False,
        description="Model score; higher is better. Comparable only within one list.",
    )
    reason: ShortText = Field(description="Human-readable explanation, for display.")
    rank: int = Field(strict=True, ge=1, description="Position in the list, from 1.")


class RecommendationsIssued(DerivedEvent):
    """A fresh ranked list of products for one user.

    Items are in rank order (`items[i].rank == i + 1`) and hold no product
    twice. The list may be empty when nothing could be recommended.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "rec:clk-7f3a9c",
                    "occurred_at": "2024-05-01T12:00:03.412Z",
                    "caused_by": "clk-7f3a9c",
                    "caused_at": "2024-05-01T12:00:03.250Z",
                    "user_id": "u-1042",
                    "items": [
                        RecommendedItem.model_config["json_schema_extra"]["examples"][0],
                        {
                            "product_id": "sku-77001",
                            "score": 6.9,
                            "reason": "Popular in Running shoes",
                            "rank": 2,
                        },
                    ],
                    "model_version": "gsasrec-2024.04.28",
                }
            ]
        }
    )

    caused_at: Timestamp = Field(
        description="occurred_at of the event that caused the list; the newest cause's list is the current one."
    )
    user_id: UserId = Field(description="Who the list is for; the Kafka key.")
    items: list[RecommendedItem] = Field(
        max_length=100, description="Recommended products, best first (at most 100)."
    )
    model_version: ModelVersion = Field(description="Version of the ranking model.")

    @model_validator(mode="after")
    def _check_ranks(self) -> Self:
        """Ranks follow list order and no product appears twice."""
        for position, item in enumerate(self.items, start=1):
            if item.rank != position:
                raise ValueError(
                    f"items[{position - 1}] has rank {item.rank}; items must be in "
                    f"rank order, so it should be {position}"
                )
        product_ids = [item.product_id for item in self.items]
        if len(set(product_ids)) != len(product_ids):
            raise ValueError("items lists the same product_id more than once")
        return self


class SentimentLabel(str, Enum):
    """Overall polarity of a text."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"


class AspectMention(Part):
    """One aspect of the product (fit, price, ...) a review talks about."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "aspect": "waterproofing",
                    "polarity": "negative",
                    "score": 0.93,
                    "clause": "my feet were soaked after ten minutes of rain",
                }
            ]
        }
    )

    aspect: Label = Field(description="Aspect name from the configured aspect list.")
    polarity: SentimentLabel = Field(description="What the review says about it.")
    score: Probability = Field(description="Confidence in the polarity, 0 to 1.")
    clause: ShortText | None = Field(
        default=None,
        description="The part of the review that mentions it (PII-redacted), "
        "at most 300 characters.",
    )


class ReviewScored(DerivedEvent):
    """Sentiment and aspects of one review, as scored by ShopStream."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "score:rev-evt-3301",
                    "occurred_at": "2024-05-02T08:15:02.481Z",
                    "caused_by": "rev-evt-3301",
                    "caused_at": "2024-05-02T08:14:57Z",
                    "review_id": "r-3301",
                    "product_id": "sku-88231",
                    "language": "en",
                    "sentiment": "negative",
                    "score": 0.81,
                    "aspects": [
                        AspectMention.model_config["json_schema_extra"]["examples"][0],
                        {
                            "aspect": "fit",
                            "polarity": "positive",
                            "score": 0.88,
                            "clause": "Great fit and light",
                        },
                    ],
                    "model_version": "xlmr-sentiment-1.3",
                }
            ]
        }
    )

    caused_at: Timestamp = Field(
        description="occurred_at of the review; alert windows count reviews by this time."
    )
    review_id: ReviewId = Field(description="The review scored.")
    product_id: ProductId = Field(description="The product reviewed; the Kafka key.")
    language: LanguageCode = Field(description="Language of the review (given or detected).")
    sentiment: SentimentLabel = Field(description="Overall sentiment of the review.")
    score: Probability = Field(
        description="Calibrated probability that `sentiment` is right, 0 to 1."
    )
    aspects: list[AspectMention] = Field(
        default=[], max_length=50, description="Aspects mentioned (at most 50)."
    )
    model_version: ModelVersion = Field(description="Version of the sentiment model.")


class CopyCheck(Part):
    """One automatic check run on generated copy before publishing it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"name": "grounded_facts", "passed": True, "detail": None}
            ]
        }
    )

    name: Label = Field(description="Stable name of the check, e.g. grounded_facts.")
    passed: StrictBool = Field(description="Whether the copy passed it.")
    detail: ShortText | None = Field(
        default=None, description="Why it failed, or other detail; at most 300 characters."
    )


class ProductCopyGenerated(DerivedEvent):
    """Marketing copy generated for a product, with what it was grounded on."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "copy:cat-sku-88231-v7",
                    "occurred_at": "2024-04-30T09:00:05Z",
                    "caused_by": "cat-sku-88231-v7",
                    "product_id": "sku-88231",
                    "language": "en",
                    "description": "The TrailRunner 3 GTX from Northpeak weighs just "
                    "280 g and keeps an 8 mm drop for a natural stride.",
                    "model_version": "qwen2.5-0.5b-instruct@copy-1",
                    "grounding": {
                        "title": "TrailRunner 3 GTX",
                        "brand": "Northpeak",
                        "weight": "280 g",
                        "drop": "8 mm",
                        "praised": "fit",
                    },
                    "generation": {"temperature": 0.7, "max_new_tokens": 160, "seed": 7},
                    "checks": [
                        CopyCheck.model_config["json_schema_extra"]["examples"][0],
                        {"name": "length", "passed": True, "detail": "118 characters"},
                    ],
                    "published": True,
                }
            ]
        }
    )

    product_id: ProductId = Field(description="The product; the Kafka key.")
    language: LanguageCode = Field(description="Language of the copy.")
    description: LongText = Field(description="The generated copy, at most 5000 characters.")
    model_version: ModelVersion = Field(description="Version of the language model.")
    grounding: dict[str, str] = Field(
        description="The facts the model was given, as name -> value."
    )
    generation: dict[str, int | float | str] = Field(
        description="Generation settings (temperature, max_new_tokens, seed, ...)."
    )
    checks: list[CopyCheck] = Field(
        default=[], max_length=20, description="Checks run on the copy."
    )
    published: StrictBool = Field(
        description="True when every check passed and the copy may go live."
    )

    @model_validator(mode="after")
    def _check_published(self) -> Self:
        """Copy that failed a check is never marked published."""
        failed = [check.name for check in self.checks if not check.passed]
        if self.published and failed:
            raise ValueError(
                f"published is true but checks failed: {', '.join(failed)}; "
                "publish only copy that passed every check"
            )
        return self
