"""Sentiment alerts: an aspect of a product is suddenly criticised more than usual.

ShopStream counts aspect mentions per (product, aspect) in windows and compares
the negative share with the product's own baseline. An alert is raised, then
updated while it lasts, then resolved, always under the same `alert_id`.
"""

from __future__ import annotations

from enum import Enum
from typing import Self

from pydantic import ConfigDict, Field, model_validator

from schemas.common import (
    Count,
    DerivedEvent,
    Identifier,
    Label,
    Part,
    Probability,
    ProductId,
    ReviewId,
    ShortText,
    Timestamp,
)


class AlertStatus(str, Enum):
    """Lifecycle of an alert: first raised, updated while open, then resolved."""

    RAISED = "raised"
    UPDATED = "updated"
    RESOLVED = "resolved"


class AlertSeverity(str, Enum):
    """How far the negative share is above the product's baseline."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class AlertEvidence(Part):
    """A review that supports an alert."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"review_id": "r-3301", "excerpt": "my feet were soaked after ten minutes"}
            ]
        }
    )

    review_id: ReviewId = Field(description="The review.")
    excerpt: ShortText = Field(
        description="The relevant words, PII-redacted by ShopStream; at most 300 characters."
    )


class SentimentAlertChanged(DerivedEvent):
    """A sentiment alert changed: raised (negative mentions of one aspect of one product rose
    above its baseline), updated as the surge grew, or resolved (`status` says which).

    The same `alert_id` is reused by later updates and by the resolution of
    the alert, so a consumer keeps one row per alert.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "alert:sku-88231:waterproofing:2024-05-02T08:00Z:raised",
                    "occurred_at": "2024-05-02T08:15:02.481Z",
                    "caused_by": "rev-evt-3301",
                    "alert_id": "alert-sku-88231-waterproofing-20240502",
                    "product_id": "sku-88231",
                    "aspect": "waterproofing",
                    "status": "raised",
                    "severity": "high",
                    "window_start": "2024-05-01T08:00:00Z",
                    "window_end": "2024-05-02T08:00:00Z",
                    "negative_count": 9,
                    "total_count": 12,
                    "negative_share": 0.75,
                    "baseline_share": 0.12,
                    "evidence": [
                        AlertEvidence.model_config["json_schema_extra"]["examples"][0]
                    ],
                    "recommendation_slots_lost": 40,
                }
            ]
        }
    )

    alert_id: Identifier = Field(description="Stable id of the alert across updates.")
    product_id: ProductId = Field(description="The product; the Kafka key.")
    aspect: Label = Field(description="The aspect whose sentiment dropped.")
    status: AlertStatus = Field(description="raised, updated or resolved.")
    severity: AlertSeverity = Field(description="low, medium or high.")
    window_start: Timestamp = Field(description="Start of the window counted (inclusive).")
    window_end: Timestamp = Field(description="End of the window counted (exclusive).")
    negative_count: Count = Field(description="Negative mentions in the window.")
    total_count: Count = Field(description="All mentions in the window.")
    negative_share: Probability = Field(description="Negative share in the window, 0 to 1.")
    baseline_share: Probability = Field(
        description="The product's usual negative share for this aspect, 0 to 1."
    )
    evidence: list[AlertEvidence] = Field(
        default=[], max_length=10, description="Example reviews (at most 10)."
    )
    recommendation_slots_lost: Count = Field(
        default=0,
        description="How many recommendation slots the product lost while demoted "
        "for this alert.",
    )

    @model_validator(mode="after")
    def _check_window_and_counts(self) -> Self:
        """The window is non-empty and negatives are a subset of all mentions."""
        if self.window_end <= self.window_start:
            raise ValueError(
                f"window_end ({self.window_end.isoformat()}) must be after "
                f"window_start ({self.window_start.isoformat()})"
            )
        if self.negative_count > self.total_count:
            raise ValueError(
                f"negative_count ({self.negative_count}) cannot exceed "
                f"total_count ({self.total_count})"
            )
        return self
