"""Internal: the work the stateful agents hand to the inference agent, and what it reports back.

These records travel on ShopStream's own topics ``<app_id>-inference-requests`` (recommendations),
``<app_id>-review-requests`` (review scoring), ``<app_id>-copy-requests`` (marketing copy) and
``<app_id>-slots-lost`` (the inference agent's demotion reports), see ``streams/topics.py``. They are not part of the public contract, but they
are validated like everything else, so a stateful worker and an inference worker of different
versions fail loudly rather than silently.

Every request names the input event it answers (``event_id`` is the cause's
id), so the output it leads to can name its cause too.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.common import (Category, CurrencyCode, Event, Identifier, Label, LanguageCode, LongText, ProductId,
                            ReviewId, ShortText, UserId)

MAX_HISTORY = 200
MAX_PURCHASED = 1000


class RecommendationRequested(Event):
    """Rank products for one user, right after one of their clicks or searches.

    ``event_id`` and ``occurred_at`` are those of the click or search that
    caused the request; the rest is the user's profile at that moment.
    """

    task: Literal["recommend"] = Field("recommend", description="Which model work this is.")
    user_id: UserId = Field(description="Who the list is for; the Kafka key.")
    trigger: Literal["click", "search"] = Field(description="What the user just did.")
    history: list[ProductId] = Field(
        default_factory=list, max_length=MAX_HISTORY,
        description="Products the user interacted with, oldest first (the recommender's input).",
    )
    just_viewed: ProductId | None = Field(
        None, description="The product of the triggering click; never recommended back."
    )
    purchased: list[ProductId] = Field(
        default_factory=list, max_length=MAX_PURCHASED, description="Products the user bought; never recommended."
    )
    query: str | None = Field(
        None, min_length=1, max_length=256,
        description="The query of a triggering search, blended into the ranking.",
    )
    category: Category | None = Field(
        None, description="The category in focus: the clicked product's, or the search's filter."
    )
    top_categories: list[Category] = Field(
        default_factory=list, max_length=20, description="The user's strongest category affinities, best first."
    )


class ReviewScoringRequested(Event):
    """Score one review's sentiment and aspects.

    ``event_id`` and ``occurred_at`` are those of the ``ReviewSubmitted``. The text is already
    PII-redacted (``shopmodels/pii.py``): no email, phone or card number travels further.
    """

    task: Literal["score-review"] = Field("score-review", description="Which model work this is.")
    review_id: ReviewId = Field(description="The shop's id of the review.")
    product_id: ProductId = Field(description="The product reviewed; the Kafka key.")
    rating: int = Field(strict=True, ge=1, le=5, description="The review's star rating.")
    language: LanguageCode | None = Field(None, description="The language the shop gave, if any.")
    text: LongText = Field(description="Title and body, PII-redacted.")


class RecommendationSlotsLost(Event):
    """An inference worker's report: lists that left a product out because of its complaint alerts.

    While a product has an active sentiment alert, ranking demotes it (``SHOPSTREAM_ALERT_DEMOTION``);
    a slot is lost each time the product would have been in a list's top k without the demotion
    and is not in it with it. ``event_id`` is unique per report (the state side ignores a repeat);
    the state agent adds ``slots_lost`` to each named alert that is still active and announces the
    new total as an update of the alert (``recommendation_slots_lost``).
    """

    task: Literal["slots-lost"] = Field("slots-lost", description="Which internal record this is.")
    product_id: ProductId = Field(description="The demoted product; the Kafka key.")
    alerts: dict[Label, Identifier] = Field(
        min_length=1, max_length=50, description="The product's active alerts the demotion was for: aspect -> alert_id."
    )
    slots_lost: int = Field(strict=True, ge=1, description="Slots lost since this worker's previous report.")


class CopyRequested(Event):
    """Write marketing copy for one product from what ShopStream knows about it.

    ``event_id`` and ``occurred_at`` are those of the ``ProductUpserted`` that asked (no
    description, or ``request_copy``); the facts are that upsert's, plus the aspects reviewers
    praise most so far. Nothing else reaches the prompt.
    """

    task: Literal["write-copy"] = Field("write-copy", description="Which model work this is.")
    product_id: ProductId = Field(description="The product; the Kafka key.")
    title: ShortText = Field(description="Product title.")
    category: Category = Field(description="Product category.")
    brand: str | None = Field(None, min_length=1, max_length=100, description="Brand name, if known.")
    price: float | None = Field(None, ge=0, allow_inf_nan=False, description="Current price, if known.")
    currency: CurrencyCode | None = Field(None, description="ISO 4217 code of the price.")
    attributes: dict[str, str] = Field(default_factory=dict, max_length=50, description="Product facts, name -> value.")
    language: LanguageCode = Field("en", description="Language to write in (the product's).")
    praised: list[Label] = Field(
        default_factory=list, max_length=5, description="Aspects reviewers praise most, best first (may be empty)."
    )
