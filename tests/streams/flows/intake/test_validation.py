import orjson
import pytest

from schemas import ProductClicked
from streams.flows.intake.validation import Rejection, parse_event

GOOD = {"event_id": "c1", "occurred_at": "2026-11-28T10:00:00Z", "user_id": "ml-u1", "product_id": "ml-1",
        "kind": "view", "category": "Animation"}


def parse(value, key=b"ml-u1", max_bytes=4096):
    raw = value if isinstance(value, bytes) or value is None else orjson.dumps(value)
    return parse_event(raw, ProductClicked, key=key, key_field="user_id", max_bytes=max_bytes)


def test_valid_click_parses():
    event = parse(GOOD)
    assert isinstance(event, ProductClicked) and event.kind.value == "view"


@pytest.mark.parametrize("value, key, error_type, fragment", [
    (None, b"ml-u1", "empty", "no value"),
    (b"{not json", b"ml-u1", "not_json", "not valid JSON"),
    ([1, 2], b"ml-u1", "not_object", "got list"),
    ({**GOOD, "kind": "wishlist"}, b"ml-u1", "validation_error", "kind: Input should be 'view', 'cart' or 'purchase'"),
    ({k: v for k, v in GOOD.items() if k != "product_id"}, b"ml-u1", "validation_error", "product_id: Field required"),
    ({**GOOD, "occurred_at": "2026-11-28T10:00:00"}, b"ml-u1", "validation_error", "occurred_at"),
    ({**GOOD, "user_id": 42}, b"ml-u1", "validation_error", "user_id"),
    ({**GOOD, "colour": "red"}, b"ml-u1", "validation_error", "colour: Extra inputs are not permitted"),
    (GOOD, None, "missing_key", "no key; key it by user_id"),
    (GOOD, b"ml-u2", "key_mismatch", "does not match user_id 'ml-u1'"),
])
def test_bad_messages_are_rejected_with_a_reason(value, key, error_type, fragment):
    result = parse(value, key=key)
    assert isinstance(result, Rejection)
    assert result.error_type == error_type
    assert fragment in result.reason


def test_oversized_message_is_rejected_before_parsing():
    result = parse({**GOOD, "category": "x" * 5000}, max_bytes=2048)
    assert result.error_type == "oversized" and "SHOPSTREAM_MAX_EVENT_BYTES" in result.reason


def test_many_problems_are_summarised():
    result = parse({"event_id": "", "occurred_at": "yesterday", "user_id": "", "product_id": "", "kind": "x",
                    "a": 1, "b": 2})
    assert result.error_type == "validation_error" and "more problem(s)" in result.reason
