"""When a catalog upsert asks for marketing copy, and the facts the copy may use.

A product gets copy when an upsert has no description of its own, or sets ``request_copy``. The
request carries that upsert's facts and the aspects reviewers praise most so far (from the
product's ``review-sentiment`` summary, ``streams/flows/reviews/sentiment.py``): nothing else reaches the
prompt, so the copy can only be grounded in them.
"""

from __future__ import annotations

from schemas import ProductUpserted
from schemas.requests import CopyRequested
from streams.flows.reviews.sentiment import Summary

MAX_PRAISED = 3
MIN_PRAISE = 2  # positive mentions an aspect needs to be called praised
MAX_NEGATIVE_SHARE = 0.25  # and at most this share of its mentions negative


def praised_aspects(summary: Summary | None, limit: int = MAX_PRAISED) -> list[str]:
    """Aspects with at least ``MIN_PRAISE`` positive mentions and few complaints, most praised first."""
    if not summary:
        return []
    praised = [(counts.get("positive", 0), name) for name, counts in summary["aspects"].items()
               if counts.get("positive", 0) >= MIN_PRAISE
               and counts["negative"] <= MAX_NEGATIVE_SHARE * counts["mentions"]]
    return [name for _, name in sorted(praised, key=lambda item: (-item[0], item[1]))[:limit]]


def copy_request(product: ProductUpserted, summary: Summary | None) -> CopyRequested | None:
    """The copy request an upsert leads to, or None when it has its own description and asks for none."""
    if product.description is not None and not product.request_copy:
        return None
    return CopyRequested(
        event_id=product.event_id, occurred_at=product.occurred_at, product_id=product.product_id,
        title=product.title, category=product.category, brand=product.brand, price=product.price,
        currency=product.currency, attributes=product.attributes, language=product.language,
        praised=praised_aspects(summary))
