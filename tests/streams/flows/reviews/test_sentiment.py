"""The per-product review sentiment summary: counts per label and aspect, redeliveries ignored."""

from datetime import datetime, timezone

from schemas import ReviewScored
from streams.flows.reviews.sentiment import apply_scored, public_summary


def scored(n: int, sentiment: str, aspects: list[tuple[str, str]], product: str = "wc-1078") -> ReviewScored:
    return ReviewScored(
        event_id=f"score:r-{n}", occurred_at=datetime(2026, 1, 1, tzinfo=timezone.utc), caused_by=f"r-{n}",
        caused_at=datetime(2025, 12, 31, 12, n, tzinfo=timezone.utc), review_id=f"wcr-{n}", product_id=product,
        language="en", sentiment=sentiment, score=0.9, model_version="minilm-sentiment-test",
        aspects=[{"aspect": aspect, "polarity": polarity, "score": 0.8, "clause": "It runs small"}
                 for aspect, polarity in aspects])


def test_labels_and_aspect_mentions_are_counted_once_per_scored_review():
    summary, changed = apply_scored(None, scored(1, "negative", [("size_fit", "negative")]), 64)
    summary, _ = apply_scored(summary, scored(2, "positive", [("size_fit", "positive"), ("colour", "positive")]), 64)
    again, changed_again = apply_scored(summary, scored(2, "positive", [("size_fit", "positive")]), 64)
    assert changed and not changed_again and again == summary
    assert summary["reviews"] == 2 and summary["labels"] == {"positive": 1, "negative": 1, "neutral": 0}
    assert summary["aspects"] == {"size_fit": {"mentions": 2, "negative": 1, "positive": 1},
                                  "colour": {"mentions": 1, "negative": 0, "positive": 1}}
    assert summary["last_review_at"] == "2025-12-31T12:02:00+00:00"


def test_the_public_view_gives_shares_and_active_alerts_without_internals():
    summary, _ = apply_scored(None, scored(1, "negative", [("size_fit", "negative")]), 64)
    view = public_summary(summary, [{"aspect": "size_fit", "id": "alert-x"}])
    assert "seen" not in view and view["shares"]["negative"] == 1.0
    assert view["aspects"]["size_fit"]["negative_share"] == 1.0
    assert view["active_alerts"] == [{"aspect": "size_fit", "id": "alert-x"}]
