"""The contract table: every Kafka topic, its key, its value model and its writer.

``CONTRACT`` is the single source of truth that ``schemas.export`` turns into
JSON Schema files and ``docs/topics.md``. Faust topic declarations live in
``streams/topics.py`` and should take their names from the constants here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from schemas.common import Event
from schemas.dead_letters import DeadLetter
from schemas.erasures import ErasureCompleted
from schemas.events import (
    ErasureRequested,
    ProductClicked,
    ProductUpserted,
    ReviewSubmitted,
    SearchPerformed,
)
from schemas.results import (
    ProductCopyGenerated,
    RecommendationsIssued,
    ReviewScored,
    SentimentAlertChanged,
)

CLICKS = "shop.clicks"
SEARCHES = "shop.searches"
REVIEWS = "shop.reviews"
CATALOG = "shop.catalog"
ERASURES = "shop.erasures"
RECOMMENDATIONS = "shop.recommendations"
REVIEW_SCORES = "shop.review-scores"
SENTIMENT_ALERTS = "shop.sentiment-alerts"
PRODUCT_COPY = "shop.product-copy"
DEAD_LETTERS = "shop.dead-letters"
ERASURE_CONFIRMATIONS = "shop.erasure-confirmations"

THE_SHOP = "the shop"
SHOPSTREAM = "ShopStream"
PRIVACY_SERVICE = "the shop's privacy service"


@dataclass(frozen=True)
class TopicSpec:
    """One row of the contract: a topic and what its records hold."""

    name: str
    key: str
    key_field: str | None
    value_model: type[Event]
    written_by: str
    description: str

    @property
    def is_input(self) -> bool:
        """True for topics ShopStream reads (written by someone else)."""
        return self.written_by != SHOPSTREAM

    def example(self) -> dict[str, Any]:
        """Return the value model's example payload, as it appears on the wire."""
        return example_for(self.value_model)


CONTRACT: tuple[TopicSpec, ...] = (
    TopicSpec(
        name=CLICKS,
        key="user_id",
        key_field="user_id",
        value_model=ProductClicked,
        written_by=THE_SHOP,
        description="A view, add-to-cart or purchase of one product.",
    ),
    TopicSpec(
        name=SEARCHES,
        key="user_id",
        key_field="user_id",
        value_model=SearchPerformed,
        written_by=THE_SHOP,
        description="A search query and the product ids shown for it.",
    ),
    TopicSpec(
        name=REVIEWS,
        key="product_id",
        key_field="product_id",
        value_model=ReviewSubmitted,
        written_by=THE_SHOP,
        description="A product review: text, rating, language and author.",
    ),
    TopicSpec(
        name=CATALOG,
        key="product_id",
        key_field="product_id",
        value_model=ProductUpserted,
        written_by=THE_SHOP,
        description="A product was created or updated; the value is its full current state.",
    ),
    TopicSpec(
        name=ERASURES,
        key="user_id",
        key_field="user_id",
        value_model=ErasureRequested,
        written_by=PRIVACY_SERVICE,
        description="A request to forget a user; ShopStream deletes every trace of the user it keeps (changelog "
                    "tombstones) and confirms on shop.erasure-confirmations.",
    ),
    TopicSpec(
        name=RECOMMENDATIONS,
        key="user_id",
        key_field="user_id",
        value_model=RecommendationsIssued,
        written_by=SHOPSTREAM,
        description="Ranked products for a user, each with score and reason.",
    ),
    TopicSpec(
        name=REVIEW_SCORES,
        key="product_id",
        key_field="product_id",
        value_model=ReviewScored,
        written_by=SHOPSTREAM,
        description="Sentiment label and score of a review, with aspects and their polarity.",
    ),
    TopicSpec(
        name=SENTIMENT_ALERTS,
        key="product_id",
        key_field="product_id",
        value_model=SentimentAlertChanged,
        written_by=SHOPSTREAM,
        description="Sentiment alerts: raised when the negative share of one aspect of a product rises above its "
                    "baseline, updated as the surge grows, resolved when it ends.",
    ),
    TopicSpec(
        name=PRODUCT_COPY,
        key="product_id",
        key_field="product_id",
        value_model=ProductCopyGenerated,
        written_by=SHOPSTREAM,
        description="Generated product description, with what it was grounded on.",
    ),
    TopicSpec(
        name=ERASURE_CONFIRMATIONS,
        key="user_id",
        key_field="user_id",
        value_model=ErasureCompleted,
        written_by=SHOPSTREAM,
        description="One confirmation per erasure request, once it is done: the user, what was erased, when.",
    ),
    TopicSpec(
        name=DEAD_LETTERS,
        key="source topic",
        key_field=None,
        value_model=DeadLetter,
        written_by=SHOPSTREAM,
        description="Input records that could not be accepted: original bytes, "
        "where they came from, and why.",
    ),
)

TOPIC_NAMES: tuple[str, ...] = tuple(spec.name for spec in CONTRACT)
INPUT_TOPICS: tuple[str, ...] = tuple(spec.name for spec in CONTRACT if spec.is_input)
OUTPUT_TOPICS: tuple[str, ...] = tuple(spec.name for spec in CONTRACT if not spec.is_input)
_BY_NAME = {spec.name: spec for spec in CONTRACT}


def spec_for(name: str) -> TopicSpec:
    """Return the contract row of topic ``name``; KeyError names the known topics."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(
            f"{name!r} is not a ShopStream topic; known topics: {', '.join(TOPIC_NAMES)}"
        ) from None


def example_for(model: type[BaseModel]) -> dict[str, Any]:
    """Return the one example payload declared on ``model`` (JSON-ready)."""
    extra = model.model_config.get("json_schema_extra")
    examples = extra.get("examples") if isinstance(extra, dict) else None
    if not examples:
        raise LookupError(
            f"{model.__name__} declares no example; add one under "
            "model_config json_schema_extra['examples']"
        )
    return examples[0]
