"""Consumers using only the exported JSON Schemas get the same answers as Python."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from schemas import export
from schemas.topics import CONTRACT, example_for, spec_for

CHECKED_IN = {
    spec.name: json.loads((export.JSON_DIR / f"{spec.name}.json").read_text("utf-8"))
    for spec in CONTRACT
}


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    """A draft 2020-12 validator that also asserts formats it knows."""
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("topic", list(CHECKED_IN))
def test_schema_is_valid_and_accepts_the_example(topic: str) -> None:
    schema = CHECKED_IN[topic]
    Draft202012Validator.check_schema(schema)
    validator(schema).validate(example_for(spec_for(topic).value_model))
    for example in schema["examples"]:
        validator(schema).validate(example)


@pytest.mark.parametrize("topic", list(CHECKED_IN))
def test_nested_examples_validate_against_their_definitions(topic: str) -> None:
    schema = CHECKED_IN[topic]
    for name, definition in schema.get("$defs", {}).items():
        wrapper = {"$defs": schema["$defs"], "$ref": f"#/$defs/{name}"}
        for example in definition.get("examples", []):
            validator(wrapper).validate(example)


def changed(topic: str, **changes: Any) -> dict[str, Any]:
    """The topic's example with ``changes`` applied; ``...`` drops a field."""
    data = copy.deepcopy(example_for(spec_for(topic).value_model))
    for name, value in changes.items():
        if value is ...:
            data.pop(name)
        else:
            data[name] = value
    return data


BAD_PAYLOADS = [
    ("shop.clicks", {"user_id": ""}),
    ("shop.clicks", {"user_id": "user 1042"}),
    ("shop.clicks", {"user_id": "u" * 65}),
    ("shop.clicks", {"occurred_at": "2024-05-01T12:00:00"}),
    ("shop.clicks", {"occurred_at": 1714564800}),
    ("shop.clicks", {"kind": "like"}),
    ("shop.clicks", {"product_id": ...}),
    ("shop.clicks", {"product_id": 88231}),
    ("shop.clicks", {"ocurred_at": "2024-05-01T12:00:00Z"}),
    ("shop.searches", {"results": ["sku-1"] * 101}),
    ("shop.reviews", {"text": "x" * 5001}),
    ("shop.reviews", {"rating": 0}),
    ("shop.reviews", {"rating": 6}),
    ("shop.reviews", {"rating": "5"}),
    ("shop.reviews", {"rating": True}),
    ("shop.reviews", {"language": "English"}),
    ("shop.catalog", {"currency": "eur"}),
    ("shop.catalog", {"price": -1}),
    ("shop.catalog", {"attributes": {f"a{i}": "v" for i in range(51)}}),
    ("shop.catalog", {"attributes": {"k" * 65: "v"}}),
    ("shop.catalog", {"attributes": {"color": "v" * 501}}),
    ("shop.catalog", {"request_copy": "yes"}),
    ("shop.sentiment-alerts", {"negative_share": 1.5}),
    ("shop.sentiment-alerts", {"status": "open"}),
    ("shop.recommendations", {"caused_by": ...}),
    ("shop.dead-letters", {"original_b64": "not base64!"}),
    ("shop.dead-letters", {"source_offset": -1}),
    ("shop.dead-letters", {"error_type": "Validation Error"}),
]


@pytest.mark.parametrize(("topic", "changes"), BAD_PAYLOADS)
def test_python_and_json_schema_both_reject(topic: str, changes: dict[str, Any]) -> None:
    data = changed(topic, **changes)
    with pytest.raises(ValidationError):
        spec_for(topic).value_model.model_validate(data)
    assert list(validator(CHECKED_IN[topic]).iter_errors(data)), (
        f"the JSON Schema of {topic} accepts {changes}, but Python rejects it"
    )


CROSS_FIELD_RULES = [
    ("shop.sentiment-alerts", {"window_end": "2024-05-01T08:00:00Z"}),
    ("shop.sentiment-alerts", {"negative_count": 13}),
    ("shop.recommendations",
     {"items": [{"product_id": "sku-1", "score": 1.0, "reason": "r", "rank": 2}]}),
]


@pytest.mark.parametrize(("topic", "changes"), CROSS_FIELD_RULES)
def test_cross_field_rules_are_python_only(topic: str, changes: dict[str, Any]) -> None:
    """JSON Schema cannot compare two fields; these rules are documented in prose."""
    data = changed(topic, **changes)
    validator(CHECKED_IN[topic]).validate(data)
    with pytest.raises(ValidationError):
        spec_for(topic).value_model.model_validate(data)
