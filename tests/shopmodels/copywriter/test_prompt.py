"""Facts from catalog records, and the prompt built from them with the real chat template."""

import re
from datetime import UTC, datetime

import pytest

from schemas import ProductUpserted
from schemas.requests import CopyRequested
from shopmodels.copywriter.facts import ProductFacts
from shopmodels.copywriter.prompt import SYSTEM_PROMPT, TASK, build_messages, fact_lines, render_prompt

from .conftest import PHONE, TRAIL_SHOE


def test_facts_come_alike_from_an_upsert_a_copy_request_and_the_workers_json():
    upsert = ProductUpserted(event_id="cat-1", occurred_at=datetime(2024, 4, 30, tzinfo=UTC), **TRAIL_SHOE)
    request = CopyRequested(event_id="cat-1", occurred_at=upsert.occurred_at, praised=["fit"],
                            **{k: v for k, v in TRAIL_SHOE.items()})
    served = {**upsert.model_dump(mode="json"), "updated_by": "cat-1"}  # GET /products/{id}

    from_upsert = ProductFacts.from_record(upsert, praised=["fit"])
    assert ProductFacts.from_record(request) == from_upsert
    assert ProductFacts.from_record(served, praised=["fit"]) == from_upsert
    assert from_upsert.attributes == (("color", "blue"), ("weight", "280 g"), ("drop", "8 mm"))
    assert from_upsert.grounding() == {"title": "TrailRunner 3 GTX", "category": "Running shoes",
                                       "brand": "Northpeak", "price": "129.95 EUR", "color": "blue",
                                       "weight": "280 g", "drop": "8 mm", "praised": "fit"}


def test_a_record_without_title_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="lacks title"):
        ProductFacts.from_record({"product_id": "p1", "category": "Shoes"})


@pytest.mark.parametrize(("price", "currency", "shown"), [(499.0, "EUR", "499 EUR"), (129.95, "EUR", "129.95 EUR"),
                                                          (19.9, None, "19.90"), (None, "EUR", None)])
def test_price_is_shown_as_a_shop_would_write_it(price, currency, shown):
    facts = ProductFacts.from_record({**PHONE, "price": price, "currency": currency})
    assert facts.price_text == shown


def test_messages_hold_every_fact_and_nothing_else(phone):
    messages = build_messages(phone)
    assert [m["role"] for m in messages] == ["system", "user"]
    user = messages[1]["content"]
    for line in ("Title: Nova X5", "Category: Smartphones", "Brand: Aurora", "Price: 499 EUR",
                 "processor: latest-generation", "screen: HD", "battery life: long",
                 "Reviewers praise: battery life, screen"):
        assert line in user.splitlines()
    assert "English" in user
    # Besides the fact lines, only the fixed instructions: no number, no name of their own.
    instructions = SYSTEM_PROMPT + TASK + "".join(l for l in user.splitlines() if l not in fact_lines(phone))
    assert not re.search(r"\d", instructions)
    assert not re.search(r"\b(?!I\b)[A-Z][a-z]*[A-Z]", instructions)  # no brand-like words (iPhone, PlayStation)


def test_optional_facts_are_left_out_not_invented(replay_catalog):
    movie = replay_catalog[0]
    user = build_messages(movie)[1]["content"]
    assert "Brand:" not in user and "Price:" not in user and "Reviewers praise" not in user
    assert "Title: Star Wars" in user and "year: 1977" in user


def test_the_language_is_named_in_the_task(phone):
    german = ProductFacts.from_record({**PHONE, "language": "de"})
    assert "in German" in build_messages(german)[1]["content"]
    assert "in xx" in build_messages(ProductFacts.from_record({**PHONE, "language": "xx"}))[1]["content"]


def test_the_tokenizers_chat_template_renders_the_prompt(copy_generator, phone):
    prompt = render_prompt(copy_generator.tokenizer, phone)
    assert prompt.startswith("<|im_start|>system\n" + SYSTEM_PROMPT + "<|im_end|>\n<|im_start|>user\n")
    assert prompt.endswith("<|im_end|>\n<|im_start|>assistant\n")  # the model answers next
    assert prompt.count("<|im_start|>") == 3 and "Brand: Aurora" in prompt
