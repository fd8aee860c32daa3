"""When a catalog upsert asks for marketing copy, and the facts the copy may use.

A product gets copy when an upsert has no description of its own, or sets ``request_copy``. The
request carries that upsert's facts and the aspects reviewers praise most so far (from the
product's ``review-sentiment`` summary, ``streams/flows/reviews/sentiment.py``): nothing else reaches the
prompt, so the copy can only be grounded in them.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas import ProductUpserted
from schemas.requests import CopyRequested
from streams.flows.reviews.sentiment import Summary


@dataclass(frozen=True)
class PraiseRule:
    """Which aspects count as praised; built from the ``copy_praise*`` settings by ``streams.limits``."""

    most: int  # Settings.copy_praised: aspects a request carries at most
    min_mentions: int  # Settings.copy_praise_min_mentions: positive mentions an aspect needs
    max_negative_share: float  # Settings.copy_praise_max_negative_share: and at most this share negative


def praised_aspects(summary: Summary | None, rule: PraiseRule) -> list[str]:
    """Aspects with at least ``rule.min_mentions`` positive mentions and few complaints, most praised first."""
    if not summary:
        return []
    praised = [(counts.get("positive", 0), name) for name, counts in summary["aspects"].items()
               if counts.get("positive", 0) >= rule.min_mentions
               and counts["negative"] <= rule.max_negative_share * counts["mentions"]]
    return [name for _, name in sorted(praised, key=lambda item: (-item[0], item[1]))[:rule.most]]


def copy_request(product: ProductUpserted, summary: Summary | None, rule: PraiseRule) -> CopyRequested | None:
    """The copy request an upsert leads to, or None when it has its own description and asks for none."""
    if product.description is not None and not product.request_copy:
        return None
    return CopyRequested(
        event_id=product.event_id, occurred_at=product.occurred_at, product_id=product.product_id,
        title=product.title, category=product.category, brand=product.brand, price=product.price,
        currency=product.currency, attributes=product.attributes, language=product.language,
        praised=praised_aspects(summary, rule))
