"""The orjson codec round-trips every model, non-ASCII text and offsets."""

from __future__ import annotations

import string
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import (
    CODEC_NAME,
    ClickKind,
    ProductClicked,
    ReviewSubmitted,
    dumps,
    example_for,
    loads,
)
from schemas.topics import CONTRACT

CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize("spec", CONTRACT, ids=lambda spec: spec.name)
def test_every_example_round_trips(spec) -> None:
    event = spec.value_model.model_validate(example_for(spec.value_model))
    assert spec.value_model.model_validate(loads(dumps(event))) == event


def test_chinese_text_and_offsets_survive_the_round_trip() -> None:
    review = ReviewSubmitted(
        event_id="rev-zh-1",
        occurred_at=datetime(2024, 5, 2, 16, 15, 0, 123456, tzinfo=CST),
        review_id="r-zh-1",
        product_id="sku-88231",
        rating=4,
        title="很舒服",
        text="鞋子很轻，尺码标准，但是下雨天会进水。",
        language="zh-Hans",
    )
    data = dumps(review)
    assert "鞋子很轻".encode() in data  # raw UTF-8, not \u escapes
    assert b'"occurred_at":"2024-05-02T16:15:00.123456+08:00"' in data
    decoded = ReviewSubmitted.model_validate(loads(data))
    assert decoded == review
    assert decoded.occurred_at.utcoffset() == timedelta(hours=8)


def test_plain_data_is_encoded_with_utc_as_z_and_models_nested() -> None:
    clicked = ProductClicked.model_validate(example_for(ProductClicked))
    data = dumps({"at": datetime(2024, 5, 1, 12, tzinfo=timezone.utc), "event": clicked,
                  "kind": ClickKind.CART, "ids": ["a", "b"]})
    assert loads(data) == {"at": "2024-05-01T12:00:00Z", "event": loads(dumps(clicked)),
                           "kind": "cart", "ids": ["a", "b"]}


def test_unencodable_values_fail_with_a_clear_message() -> None:
    with pytest.raises(TypeError, match="cannot encode"):
        dumps({"x": object()})


@pytest.mark.parametrize("data", [b"\xff", b"{", b'{"price": NaN}', b""])
def test_malformed_json_raises_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        loads(data)


def test_faust_codec_registers_and_round_trips() -> None:
    pytest.importorskip("faust")
    from faust.serializers import codecs

    from schemas import register_faust_codec

    register_faust_codec()
    clicked = ProductClicked.model_validate(example_for(ProductClicked))
    data = codecs.dumps(CODEC_NAME, clicked)
    assert data == dumps(clicked)
    assert ProductClicked.model_validate(codecs.loads(CODEC_NAME, data)) == clicked


identifiers = st.text(string.ascii_letters + string.digits + "._:@/-", min_size=1,
                      max_size=64).filter(lambda s: s[0].isalnum())
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
aware_times = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1)),
    offsets,
)
categories = st.text(min_size=1, max_size=100).filter(lambda s: s == s.strip() != "")


@settings(database=None)  # no .hypothesis/ folder left in the repository
@given(
    event_id=identifiers,
    occurred_at=aware_times,
    user_id=identifiers,
    product_id=identifiers,
    kind=st.sampled_from(ClickKind),
    category=st.none() | categories,
    session_id=st.none() | identifiers,
)
def test_product_clicked_round_trips(**fields) -> None:
    event = ProductClicked(**fields)
    decoded = ProductClicked.model_validate(loads(dumps(event)))
    assert decoded == event
    assert decoded.occurred_at.utcoffset() == event.occurred_at.utcoffset()
