"""Input events: what the shop writes to Kafka for ShopStream to read.

Each class is the value of one input topic (see ``schemas.topics``). All of
them inherit the strict policy of ``schemas.common.Event``: unknown fields,
naive timestamps and out-of-range values are rejected and dead-lettered.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import ConfigDict, Field, StrictBool, StringConstraints, field_validator

from schemas.common import (
    Category,
    CurrencyCode,
    Event,
    Identifier,
    LanguageCode,
    LongText,
    ProductId,
    ReviewId,
    ShortText,
    UserId,
)

MAX_ATTRIBUTES = 50
MAX_ATTRIBUTE_KEY_LENGTH = 64
MAX_ATTRIBUTE_VALUE_LENGTH = 500


class ClickKind(str, Enum):
    """What the user did with a product."""

    VIEW = "view"
    CART = "cart"
    PURCHASE = "purchase"


class ProductClicked(Event):
    """A user viewed a product, added it to the cart, or bought it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "clk-7f3a9c",
                    "occurred_at": "2024-05-01T12:00:03.250Z",
                    "user_id": "u-1042",
                    "product_id": "sku-88231",
                    "kind": "view",
                    "category": "Running shoes",
                    "session_id": "s-55e1",
                }
            ]
        }
    )

    user_id: UserId = Field(description="Who clicked; the Kafka key.")
    product_id: ProductId = Field(description="The product clicked.")
    kind: ClickKind = Field(description="view, cart (added to cart) or purchase.")
    category: Category | None = Field(
        default=None,
        description="The product's category, so state can update category "
        "affinities without a catalog join; null when unknown.",
    )
    session_id: Identifier | None = Field(
        default=None, description="The shop's browsing-session id, if it has one."
    )


class SearchPerformed(Event):
    """A user searched the shop and was shown some products."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "srch-1b77e0",
                    "occurred_at": "2024-05-01T12:01:10+02:00",
                    "user_id": "u-1042",
                    "query": "waterproof trail shoes",
                    "results": ["sku-88231", "sku-90112", "sku-77001"],
                    "category": "Running shoes",
                }
            ]
        }
    )

    user_id: UserId = Field(description="Who searched; the Kafka key.")
    query: Annotated[str, StringConstraints(min_length=1, max_length=256)] = Field(
        description="The query as typed, 1-256 characters."
    )
    results: list[ProductId] = Field(
        default=[],
        max_length=100,
        description="Ids of the products shown, best first (at most 100).",
    )
    category: Category | None = Field(
        default=None, description="The category filter the user set, if any."
    )


class ReviewSubmitted(Event):
    """A customer (or an anonymous visitor) reviewed a product."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "rev-evt-3301",
                    "occurred_at": "2024-05-02T08:15:00Z",
                    "review_id": "r-3301",
                    "product_id": "sku-88231",
                    "user_id": "u-1042",
                    "rating": 2,
                    "title": "Comfortable but not waterproof",
                    "text": "Great fit and light, but my feet were soaked after "
                    "ten minutes of rain. The laces also came undone constantly.",
                    "language": "en",
                }
            ]
        }
    )

    review_id: ReviewId = Field(description="The shop's id of the review.")
    product_id: ProductId = Field(description="The product reviewed; the Kafka key.")
    user_id: UserId | None = Field(
        default=None, description="The author; null for anonymous reviews."
    )
    rating: int = Field(strict=True, ge=1, le=5, description="Star rating, 1 to 5.")
    title: ShortText | None = Field(
        default=None, description="The review's headline, at most 300 characters."
    )
    text: LongText = Field(description="The review body, 1-5000 characters.")
    language: LanguageCode | None = Field(
        default=None,
        description="Language of the text (e.g. en, zh, zh-Hans); null means "
        "ShopStream detects it.",
    )


class ProductUpserted(Event):
    """A product was created or changed; the value is its full current state.

    Fields left null are unknown, not "unchanged": each upsert replaces the
    previous state of the product.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "cat-sku-88231-v7",
                    "occurred_at": "2024-04-30T09:00:00Z",
                    "product_id": "sku-88231",
                    "title": "TrailRunner 3 GTX",
                    "category": "Running shoes",
                    "brand": "Northpeak",
                    "price": 129.95,
                    "currency": "EUR",
                    "attributes": {"color": "blue", "weight": "280 g", "drop": "8 mm"},
                    "description": "Lightweight trail running shoe.",
                    "language": "en",
                    "request_copy": True,
                }
            ]
        }
    )

    product_id: ProductId = Field(description="The product; the Kafka key.")
    title: ShortText = Field(description="Product title, 1-300 characters.")
    category: Category = Field(description="Product category, 1-100 characters.")
    brand: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = (
        Field(default=None, description="Brand name, at most 100 characters.")
    )
    price: float | None = Field(
        default=None,
        strict=True,
        ge=0,
        allow_inf_nan=False,
        description="Current price in `currency`; a finite number >= 0.",
    )
    currency: CurrencyCode | None = Field(
        default=None, description="ISO 4217 currency code of `price`, e.g. EUR."
    )
    attributes: dict[str, str] = Field(
        default={},
        description="Product facts as name -> value (at most 50; names 1-64 "
        "characters, values at most 500).",
        json_schema_extra={
            "maxProperties": MAX_ATTRIBUTES,
            "propertyNames": {"minLength": 1, "maxLength": MAX_ATTRIBUTE_KEY_LENGTH},
            "additionalProperties": {
                "type": "string",
                "maxLength": MAX_ATTRIBUTE_VALUE_LENGTH,
            },
        },
    )
    description: LongText | None = Field(
        default=None, description="The shop's own description, at most 5000 characters."
    )
    language: LanguageCode = Field(
        default="en", description="Language of title and description."
    )
    request_copy: StrictBool = Field(
        default=False,
        description="True asks ShopStream to generate new marketing copy "
        "(published on shop.product-copy).",
    )

    @field_validator("attributes")
    @classmethod
    def _check_attributes(cls, attributes: dict[str, str]) -> dict[str, str]:
        """Bound the attribute map so one product cannot bloat state."""
        if len(attributes) > MAX_ATTRIBUTES:
            raise ValueError(
                f"attributes has {len(attributes)} entries; at most "
                f"{MAX_ATTRIBUTES} are allowed (put the rest in description)"
            )
        for name, value in attributes.items():
            if not 1 <= len(name) <= MAX_ATTRIBUTE_KEY_LENGTH:
                raise ValueError(
                    f"attribute name {name[:80]!r} must be 1-"
                    f"{MAX_ATTRIBUTE_KEY_LENGTH} characters, not {len(name)}"
                )
            if len(value) > MAX_ATTRIBUTE_VALUE_LENGTH:
                raise ValueError(
                    f"attribute {name!r} has a {len(value)}-character value; at "
                    f"most {MAX_ATTRIBUTE_VALUE_LENGTH} are allowed"
                )
        return attributes


class ErasureRequested(Event):
    """The shop's privacy service asks ShopStream to forget a user (GDPR art. 17)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "erase-2024-05-03-0017",
                    "occurred_at": "2024-05-03T10:00:00Z",
                    "user_id": "u-1042",
                    "reason": "account deleted by the user",
                }
            ]
        }
    )

    user_id: UserId = Field(description="The user to forget; the Kafka key.")
    reason: ShortText | None = Field(
        default=None, description="Why, for the audit log; at most 300 characters."
    )
