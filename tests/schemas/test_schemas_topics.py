"""The contract table, dead-letter construction and the no-Faust import rule."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path
from datetime import datetime, timezone

import pytest

from schemas import CONTRACT, DEAD_LETTERS, DeadLetter, DerivedEvent, spec_for
from schemas.topics import INPUT_TOPICS, OUTPUT_TOPICS, TOPIC_NAMES

WHEN = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)


def test_contract_lists_exactly_the_eleven_topics() -> None:
    assert TOPIC_NAMES == (
        "shop.clicks",
        "shop.searches",
        "shop.reviews",
        "shop.catalog",
        "shop.erasures",
        "shop.recommendations",
        "shop.review-scores",
        "shop.sentiment-alerts",
        "shop.product-copy",
        "shop.erasure-confirmations",
        "shop.dead-letters",
    )
    assert INPUT_TOPICS == TOPIC_NAMES[:5]
    assert OUTPUT_TOPICS == TOPIC_NAMES[5:]


@pytest.mark.parametrize("spec", CONTRACT, ids=lambda spec: spec.name)
def test_key_field_is_a_required_field_of_the_value(spec) -> None:
    if spec.key_field is None:
        assert spec.name == DEAD_LETTERS
        return
    assert spec.key == spec.key_field
    assert spec.value_model.model_fields[spec.key_field].is_required()


@pytest.mark.parametrize("spec", CONTRACT, ids=lambda spec: spec.name)
def test_outputs_name_their_cause_and_inputs_do_not(spec) -> None:
    names_cause = issubclass(spec.value_model, DerivedEvent)
    assert names_cause == (spec.written_by == "ShopStream" and spec.name != DEAD_LETTERS)


def test_spec_for_finds_a_topic_and_names_the_known_ones_otherwise() -> None:
    assert spec_for("shop.reviews").key == "product_id"
    with pytest.raises(KeyError, match="known topics: shop.clicks, shop.searches"):
        spec_for("shop.click")


def test_dead_letter_from_raw_keeps_the_bytes_and_where_they_came_from() -> None:
    letter = DeadLetter.from_raw(
        topic="shop.clicks", partition=3, offset=18211, key=b"u-1042",
        value=b"\xff not json", error_type="not_json", error="unexpected byte 0xff",
        occurred_at=WHEN,
    )
    assert letter.event_id == "dlq:shop.clicks:3:18211"
    assert letter.original_bytes() == b"\xff not json"
    assert base64.b64decode(letter.source_key_b64 or "") == b"u-1042"
    assert not letter.original_truncated
    assert letter.occurred_at == WHEN


def test_dead_letter_id_is_deterministic_and_time_defaults_to_now() -> None:
    raw = dict(topic="shop.reviews", partition=0, offset=7, key=None, value=None,
               error_type="validation_error", error="text: Field required")
    first, second = DeadLetter.from_raw(**raw), DeadLetter.from_raw(**raw)
    assert first.event_id == second.event_id == "dlq:shop.reviews:0:7"
    assert first.occurred_at.tzinfo is not None
    assert first.source_key_b64 is None and first.original_b64 == ""


def test_dead_letter_truncates_huge_values_and_long_errors() -> None:
    letter = DeadLetter.from_raw(
        topic="shop.catalog", partition=1, offset=2, key=b"k", value=b"x" * 1000,
        error_type="oversized", error="e" * 5000, max_original_bytes=100,
    )
    assert letter.original_truncated
    assert letter.original_bytes() == b"x" * 100
    assert len(letter.error) == 2000 and letter.error.endswith("…")


def test_dead_letter_rejects_a_vague_error_type() -> None:
    with pytest.raises(ValueError, match="error_type"):
        DeadLetter.from_raw(
            topic="shop.clicks", partition=0, offset=0, key=None, value=b"{}",
            error_type="Validation Error!", error="x",
        )


def test_importing_schemas_does_not_import_faust() -> None:
    code = "import sys, schemas, schemas.export; assert 'faust' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])
