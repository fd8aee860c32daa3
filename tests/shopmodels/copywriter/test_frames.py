"""The frames writer on the whole real catalog of the demo, and on English and Chinese products."""

import pytest

from shopmodels.copywriter.facts import ProductFacts
from shopmodels.copywriter.frames import VERSION, write_frames
from shopmodels.copywriter.guardrails import review_copy

from .conftest import PHONE


@pytest.fixture(scope="module")
def demo_catalog() -> list[ProductFacts]:
    """Every product the demo's replay sends: its 2,861 MovieLens films and clothing items."""
    from streams.settings import get_settings
    from streams.tools.copy_catalog import demo_catalog_records

    return [ProductFacts.from_record(record) for record in demo_catalog_records(get_settings())]


def test_every_product_of_the_demo_catalog_gets_copy_that_passes_every_check(demo_catalog):
    assert len(demo_catalog) == 2861
    refused = {}
    for facts, copy in zip(demo_catalog, write_frames(demo_catalog)):
        review = review_copy(copy.text, facts)
        if not review.published:
            refused[facts.product_id] = [c.detail for c in review.checks if not c.passed]
    assert refused == {}


def test_copy_states_each_kind_of_fact_once_and_nothing_else():
    phone = ProductFacts.from_record(PHONE, praised=["battery", "size_fit"])
    copy = write_frames([phone])[0]
    assert copy.model_version == VERSION and copy.stopped
    assert copy.text.count("Nova X5") == 1 and "Aurora" in copy.text and "Smartphones" in copy.text
    assert "latest-generation" in copy.text and "499 EUR" in copy.text and "battery and fit" in copy.text
    assert review_copy(copy.text, phone).published
    assert copy.generation() == {"writer": "frames", "variant": copy.variant, "sentences": len(copy.sentences)}


def test_the_same_product_always_reads_the_same_and_the_catalog_is_not_one_sentence(demo_catalog):
    first = [copy.text for copy in write_frames(demo_catalog[:50])]
    assert first == [copy.text for copy in write_frames(demo_catalog[:50])]
    openings = {text.split(" ")[0] for text in first}
    assert len(openings) >= 3


def test_chinese_products_get_chinese_copy_under_the_same_checks():
    phone = ProductFacts.from_record(
        {"product_id": "cn-nova", "title": "星辰X5手机", "category": "手机", "brand": "极光", "price": 1999.0,
         "currency": "CNY", "language": "zh", "attributes": {"处理器": "新一代八核", "屏幕": "高清屏", "续航": "长续航"}},
        praised=["battery", "price_value"])
    copy = write_frames([phone])[0]
    assert "星辰X5手机" in copy.text and "售价" in copy.text or "仅售" in copy.text
    assert "电池、性价比" in copy.text and " " not in copy.text.replace(" CNY", "")
    review = review_copy(copy.text, phone)
    assert review.published, review.checks


def test_a_language_without_frames_gets_no_copy_and_is_refused():
    german = ProductFacts.from_record({**PHONE, "language": "de"})
    copy = write_frames([german])[0]
    assert copy.text == "" and not review_copy(copy.text, german).published
