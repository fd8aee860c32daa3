"""Review scoring requests: a submitted review as work for the inference agent, PII redacted first.

No review text with personal data travels past this point: ``shopmodels.pii`` lists exactly what
is redacted (emails, phone numbers, card numbers, IBANs) and what is not.
"""

from __future__ import annotations

from schemas import ReviewSubmitted
from schemas.requests import ReviewScoringRequested
from shopmodels.pii import redact


def review_request(review: ReviewSubmitted) -> ReviewScoringRequested:
    """The scoring request of a review: title and text joined, with PII redacted before it travels."""
    text = f"{review.title}. {review.text}" if review.title else review.text
    return ReviewScoringRequested(event_id=review.event_id, occurred_at=review.occurred_at,
                                  review_id=review.review_id, product_id=review.product_id, rating=review.rating,
                                  language=review.language, text=redact(text).text[:5000])
