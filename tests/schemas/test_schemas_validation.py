"""The models accept their examples and reject each kind of bad event precisely."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from schemas import (
    AlertEvidence,
    AspectMention,
    CopyCheck,
    ProductClicked,
    ProductCopyGenerated,
    ProductUpserted,
    RecommendationsIssued,
    RecommendedItem,
    ReviewSubmitted,
    SearchPerformed,
    SentimentAlertChanged,
    derive_event_id,
    example_for,
)
from schemas.topics import CONTRACT

ALL_MODELS = [spec.value_model for spec in CONTRACT] + [
    RecommendedItem,
    AspectMention,
    AlertEvidence,
    CopyCheck,
]


def payload(model: type[BaseModel], **changes: Any) -> dict[str, Any]:
    """The model's example with ``changes`` applied; a value of ``...`` drops the field."""
    data = copy.deepcopy(example_for(model))
    for name, value in changes.items():
        if value is ...:
            data.pop(name)
        else:
            data[name] = value
    return data


def only_error(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """Validate ``data``, expect exactly one error, and return it."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    errors = caught.value.errors(include_url=False)
    assert len(errors) == 1, errors
    return errors[0]


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_every_model_accepts_its_example(model: type[BaseModel]) -> None:
    model.model_validate(example_for(model))


@pytest.mark.parametrize(
    ("model", "changes", "loc", "error_type", "message"),
    [
        (ProductClicked, {"user_id": ""}, ("user_id",), "string_too_short",
         "at least 1 character"),
        (ProductClicked, {"user_id": "user 1042"}, ("user_id",),
         "string_pattern_mismatch", "^[A-Za-z0-9][A-Za-z0-9._:@/-]*$"),
        (ProductClicked, {"product_id": "-sku"}, ("product_id",),
         "string_pattern_mismatch", "should match pattern"),
        (ProductClicked, {"user_id": "u" * 65}, ("user_id",), "string_too_long",
         "at most 64 characters"),
        (ProductClicked, {"event_id": "e" * 129}, ("event_id",), "string_too_long",
         "at most 128 characters"),
        (ProductClicked, {"occurred_at": "2024-05-01T12:00:00"}, ("occurred_at",),
         "timezone_aware", "timestamp has no UTC offset"),
        (ProductClicked, {"occurred_at": 1714564800}, ("occurred_at",),
         "timestamp_type", "not epoch numbers"),
        (ProductClicked, {"occurred_at": "yesterday"}, ("occurred_at",),
         "datetime_from_date_parsing", "valid datetime"),
        (ProductClicked, {"kind": "like"}, ("kind",), "enum",
         "Input should be 'view', 'cart' or 'purchase'"),
        (ProductClicked, {"product_id": ...}, ("product_id",), "missing",
         "Field required"),
        (ProductClicked, {"product_id": 88231}, ("product_id",), "string_type",
         "valid string"),
        (ProductClicked, {"ocurred_at": "2024-05-01T12:00:00Z"}, ("ocurred_at",),
         "extra_forbidden", "Extra inputs are not permitted"),
        (SearchPerformed, {"query": "q" * 257}, ("query",), "string_too_long",
         "at most 256 characters"),
        (SearchPerformed, {"results": ["sku-1"] * 101}, ("results",), "too_long",
         "at most 100 items"),
        (ReviewSubmitted, {"text": "x" * 5001}, ("text",), "string_too_long",
         "at most 5000 characters"),
        (ReviewSubmitted, {"text": "   "}, ("text",), "string_too_short",
         "at least 1 character"),
        (ReviewSubmitted, {"title": "t" * 301}, ("title",), "string_too_long",
         "at most 300 characters"),
        (ReviewSubmitted, {"rating": 0}, ("rating",), "greater_than_equal",
         "greater than or equal to 1"),
        (ReviewSubmitted, {"rating": 6}, ("rating",), "less_than_equal",
         "less than or equal to 5"),
        (ReviewSubmitted, {"rating": "5"}, ("rating",), "int_type", "valid integer"),
        (ReviewSubmitted, {"rating": True}, ("rating",), "int_type", "valid integer"),
        (ReviewSubmitted, {"language": "English"}, ("language",),
         "string_pattern_mismatch", "should match pattern"),
        (ProductUpserted, {"currency": "eur"}, ("currency",),
         "string_pattern_mismatch", "^[A-Z]{3}$"),
        (ProductUpserted, {"currency": "EURO"}, ("currency",),
         "string_pattern_mismatch", "^[A-Z]{3}$"),
        (ProductUpserted, {"price": -0.01}, ("price",), "greater_than_equal",
         "greater than or equal to 0"),
        (ProductUpserted, {"price": float("nan")}, ("price",), "finite_number",
         "finite number"),
        (ProductUpserted, {"price": float("inf")}, ("price",), "finite_number",
         "finite number"),
        (ProductUpserted, {"price": "9.99"}, ("price",), "float_type", "valid number"),
        (ProductUpserted, {"request_copy": "yes"}, ("request_copy",), "bool_type",
         "valid boolean"),
        (ProductUpserted, {"attributes": {f"a{i}": "v" for i in range(51)}},
         ("attributes",), "value_error", "attributes has 51 entries; at most 50"),
        (ProductUpserted, {"attributes": {"k" * 65: "v"}}, ("attributes",),
         "value_error", "must be 1-64 characters, not 65"),
        (ProductUpserted, {"attributes": {"color": "v" * 501}}, ("attributes",),
         "value_error", "'color' has a 501-character value; at most 500"),
        (ProductUpserted, {"attributes": {"color": 3}}, ("attributes", "color"),
         "string_type", "valid string"),
        (SentimentAlertChanged, {"window_end": "2024-05-01T08:00:00Z"}, (),
         "value_error", "window_end (2024-05-01T08:00:00+00:00) must be after "
         "window_start (2024-05-01T08:00:00+00:00)"),
        (SentimentAlertChanged, {"window_end": "2024-04-30T08:00:00Z"}, (),
         "value_error", "must be after window_start"),
        (SentimentAlertChanged, {"negative_count": 13}, (), "value_error",
         "negative_count (13) cannot exceed total_count (12)"),
        (SentimentAlertChanged, {"negative_share": 1.5}, ("negative_share",),
         "less_than_equal", "less than or equal to 1"),
        (SentimentAlertChanged, {"evidence": [{"review_id": "r-1", "excerpt": "x"}] * 11},
         ("evidence",), "too_long", "at most 10 items"),
        (RecommendationsIssued, {"items": [{**example_for(RecommendedItem), "rank": 2}]},
         (), "value_error", "items[0] has rank 2"),
        (RecommendationsIssued, {"items": [{**example_for(RecommendedItem), "rank": 0}]},
         ("items", 0, "rank"), "greater_than_equal", "greater than or equal to 1"),
        (ProductCopyGenerated,
         {"checks": [{"name": "grounded_facts", "passed": False, "detail": "made up"}]},
         (), "value_error", "checks failed: grounded_facts"),
        (ProductCopyGenerated, {"caused_by": ...}, ("caused_by",), "missing",
         "Field required"),
    ],
)
def test_bad_events_are_rejected_precisely(
    model: type[BaseModel],
    changes: dict[str, Any],
    loc: tuple[Any, ...],
    error_type: str,
    message: str,
) -> None:
    error = only_error(model, payload(model, **changes))
    assert error["loc"] == loc
    assert error["type"] == error_type
    assert message in error["msg"]


def test_duplicate_recommended_products_are_rejected() -> None:
    item = example_for(RecommendedItem)
    data = payload(RecommendationsIssued, items=[item, {**item, "rank": 2}])
    assert "same product_id more than once" in only_error(RecommendationsIssued, data)["msg"]


def test_boundaries_are_inclusive() -> None:
    ProductClicked.model_validate(payload(ProductClicked, user_id="u" * 64, event_id="e" * 128))
    ReviewSubmitted.model_validate(payload(ReviewSubmitted, rating=1, text="x" * 5000))
    ProductUpserted.model_validate(
        payload(ProductUpserted, price=0, attributes={f"a{i}": "v" * 500 for i in range(50)})
    )


def test_whitespace_around_values_is_stripped() -> None:
    event = ProductClicked.model_validate(payload(ProductClicked, user_id="  u-1042 "))
    assert event.user_id == "u-1042"


def test_optional_fields_may_be_left_out() -> None:
    review = ReviewSubmitted.model_validate(
        payload(ReviewSubmitted, user_id=..., title=..., language=...)
    )
    assert (review.user_id, review.title, review.language) == (None, None, None)
    product = ProductUpserted.model_validate(
        payload(ProductUpserted, brand=..., price=..., currency=..., attributes=...,
                description=..., language=..., request_copy=...)
    )
    assert (product.attributes, product.language, product.request_copy) == ({}, "en", False)


def test_offsets_are_kept_and_comparable() -> None:
    event = ProductClicked.model_validate(
        payload(ProductClicked, occurred_at="2024-05-01T20:00:00+08:00")
    )
    assert event.occurred_at.utcoffset() == timedelta(hours=8)
    assert event.occurred_at == datetime(2024, 5, 1, 12, tzinfo=timezone.utc)


def test_naive_python_datetimes_are_rejected_too() -> None:
    data = payload(ProductClicked, occurred_at=datetime(2024, 5, 1, 12))
    assert only_error(ProductClicked, data)["type"] == "timezone_aware"


def test_events_are_immutable() -> None:
    event = ProductClicked.model_validate(example_for(ProductClicked))
    with pytest.raises(ValidationError, match="frozen"):
        event.user_id = "someone-else"  # type: ignore[misc]


def test_derive_event_id_is_readable_when_it_can_be() -> None:
    assert derive_event_id("rec", "clk-1") == "rec:clk-1"
    assert derive_event_id("dlq", "shop.clicks", 3, 18211) == "dlq:shop.clicks:3:18211"


def test_derive_event_id_hashes_long_or_odd_parts_deterministically() -> None:
    long_id = derive_event_id("rec", "e" * 128)
    assert long_id == derive_event_id("rec", "e" * 128)
    assert long_id.startswith("rec:") and len(long_id) == 4 + 64
    assert derive_event_id("rec", "has space") != derive_event_id("rec", "has  space")
    ProductClicked.model_validate(payload(ProductClicked, event_id=long_id))


def test_derive_event_id_rejects_a_bad_prefix() -> None:
    with pytest.raises(ValueError, match="prefix 'bad prefix'"):
        derive_event_id("bad prefix", "x")
