"""Which catalog upserts ask for copy, and which facts (and praised aspects) the request carries."""

from datetime import datetime, timezone

from schemas import ProductUpserted
from streams.flows.copy.requests import copy_request, praised_aspects
from streams.flows.reviews.sentiment import apply_scored
from tests.streams.factories import DEFAULT_LIMITS
from tests.streams.flows.reviews.test_sentiment import scored

RULE = DEFAULT_LIMITS.praise

PHONE = ProductUpserted(
    event_id="cat-ph-1-v1", occurred_at=datetime(2026, 11, 1, tzinfo=timezone.utc), product_id="ph-1",
    title="Aurora X2 smartphone", category="Phones", brand="Aurora", price=499.0, currency="EUR",
    attributes={"processor": "latest-generation octa-core", "screen": "6.1-inch HD", "battery": "5000 mAh"})


def test_a_product_without_description_asks_with_exactly_its_facts():
    request = copy_request(PHONE, None, RULE)
    assert request.event_id == PHONE.event_id and request.product_id == "ph-1"
    assert (request.title, request.brand, request.price, request.currency) == ("Aurora X2 smartphone", "Aurora",
                                                                               499.0, "EUR")
    assert request.attributes == PHONE.attributes and request.praised == [] and request.language == "en"


def test_a_described_product_asks_only_when_it_requests_copy():
    described = PHONE.model_copy(update={"description": "Our best phone."})
    assert copy_request(described, None, RULE) is None
    assert copy_request(described.model_copy(update={"request_copy": True}), None, RULE) is not None


def test_praised_aspects_need_repeated_praise_and_few_complaints():
    summary = None
    reviews = [("battery", "positive")] * 3 + [("delivery", "positive")] * 2 + [("delivery", "negative")] * 2 + \
              [("colour", "positive")] * 2 + [("price_value", "positive")]
    for n, (aspect, polarity) in enumerate(reviews):
        summary, _ = apply_scored(summary, scored(n, polarity, [(aspect, polarity)], product="ph-1"), 64)
    assert praised_aspects(summary, RULE) == ["battery", "colour"]  # delivery: half negative; price: once
    assert copy_request(PHONE, summary, RULE).praised == ["battery", "colour"]
    assert praised_aspects(None, RULE) == []
