"""CatalogView: the inference worker's read-only catalog and trending view, fed real-shaped records."""

from __future__ import annotations

from datetime import timedelta

import orjson
import pytest

from schemas import ProductUpserted
from streams.flows.recommendations.catalog_view import CatalogView, product_key
from streams.flows.products.stats import apply_interaction, apply_review
from tests.streams.factories import T0, click, review, stats_limits

LIMITS = stats_limits(seen_event_ids=64, window_s=3600, step_s=300)
HOUR = 3600


def upsert(product_id: str, title: str, category: str = "Animation", seconds: int = 0, version: int = 1) -> bytes:
    """A shop.catalog message value, as the shop writes it."""
    return ProductUpserted(event_id=f"cat-{product_id}-v{version}", occurred_at=T0 + timedelta(seconds=seconds),
                           product_id=product_id, title=title, category=category).model_dump_json().encode()


def key(product_id: str) -> bytes:
    """A product-stats changelog key, as Faust writes a ``key_type=str`` table key (a JSON string)."""
    return orjson.dumps(product_id)


def stats(product_id: str, *seconds: int, category: str | None = "Animation", kind: str = "view") -> bytes:
    """A product-stats changelog value after one click at each of ``seconds`` (after T0)."""
    value = None
    for n in seconds:
        value, _ = apply_interaction(value, click(n, kind, user=f"u-{n}", product=product_id, category=category),
                                     LIMITS)
    return orjson.dumps(value)


def view_with(*records: tuple[str, bytes]) -> CatalogView:
    view = CatalogView(LIMITS)
    for product_id, value in records:
        view.apply_stats(key(product_id), value)
    return view


def test_newest_catalog_entry_wins_and_redelivery_changes_nothing():
    view = CatalogView(LIMITS)
    assert view.apply_catalog(b"ml-1", upsert("ml-1", "Toy Story (1995)", seconds=10, version=1))
    assert view.apply_catalog(b"ml-1", upsert("ml-1", "Toy Story", "Children's", seconds=20, version=2))
    assert not view.apply_catalog(b"ml-1", upsert("ml-1", "Toy Story (1995)", seconds=10, version=1))  # stale
    assert not view.apply_catalog(b"ml-1", upsert("ml-1", "Toy Story", "Children's", seconds=20, version=2))
    assert (view.title("ml-1"), view.category("ml-1"), len(view)) == ("Toy Story", "Children's", 1)
    assert view.title("ml-2") is None and view.category("ml-2") is None


@pytest.mark.parametrize("message_key, value", [
    (b"ml-1", b"this is not json"),
    (b"ml-1", b"[1, 2, 3]"),
    (b"ml-1", orjson.dumps({"event_id": "cat-1", "occurred_at": "1997-09-20T05:05:10Z", "product_id": "ml-1"})),
    (b"ml-2", upsert("ml-1", "Toy Story (1995)")),  # keyed by another product
    (None, upsert("ml-1", "Toy Story (1995)")),
    (b"ml-1", None),
])
def test_messages_the_stateful_worker_dead_letters_are_ignored(message_key, value):
    view = CatalogView(LIMITS)
    assert not view.apply_catalog(message_key, value)
    assert len(view) == 0 and view.take_changed_titles() == {}


def test_trending_ranks_window_count_then_total_then_product_id():
    recent = 2 * HOUR
    view = view_with(
        ("ml-1", stats("ml-1", recent, recent + 1, recent + 2)),
        ("ml-2", stats("ml-2", recent, recent + 1)),
        ("ml-3", stats("ml-3", 0, 1, recent, recent + 1)),  # two more views, long before the window
        ("ml-4", stats("ml-4", recent + 3, recent + 4)),
        ("ml-5", stats("ml-5", *range(recent, recent + 5), category="Comedy")),
    )
    assert view.trending("Animation", 10) == [("ml-1", 3.0), ("ml-3", 2.0), ("ml-2", 2.0), ("ml-4", 2.0)]
    assert view.trending("Comedy", 10) == [("ml-5", 5.0)]
    assert view.trending(None, 2) == [("ml-5", 5.0), ("ml-1", 3.0)]
    assert view.trending("Drama", 10) == []


def test_an_old_burst_does_not_beat_recent_activity_elsewhere():
    view = view_with(("ml-old", stats("ml-old", *range(10))), ("ml-new", stats("ml-new", 3 * HOUR)))
    assert view.trending(None, 5) == [("ml-new", 1.0), ("ml-old", 0.0)]


def test_the_window_is_the_newest_window_s_of_buckets_across_products():
    newest = 2 * HOUR - int(T0.timestamp()) % LIMITS.step_s  # seconds after T0 of a bucket start
    oldest_kept = newest - LIMITS.window_s + LIMITS.step_s
    view = view_with(("ml-1", stats("ml-1", newest + LIMITS.step_s - 1)), ("ml-2", stats("ml-2", oldest_kept)),
                     ("ml-3", stats("ml-3", oldest_kept - 1)))
    assert view.trending(None, 5) == [("ml-1", 1.0), ("ml-2", 1.0), ("ml-3", 0.0)]


def test_exclude_skips_products_and_still_fills_k():
    view = view_with(*[(f"ml-{i}", stats(f"ml-{i}", *range(i))) for i in range(1, 6)])
    assert [pid for pid, _ in view.trending(None, 2, exclude=["ml-5", "ml-3"])] == ["ml-4", "ml-2"]
    assert [pid for pid, _ in view.trending(None, 2, exclude={"ml-5"})] == ["ml-4", "ml-3"]


def test_products_without_stats_are_not_listed_and_a_tombstone_removes_them():
    view = view_with(("ml-1", stats("ml-1", 1, 2)), ("ml-2", stats("ml-2", 3)))
    view.apply_catalog(b"ml-3", upsert("ml-3", "Four Rooms (1995)"))
    assert [pid for pid, _ in view.trending("Animation", 5)] == ["ml-1", "ml-2"]
    view.apply_stats(key("ml-1"), None)
    view.apply_stats(key("ml-2"), b"")
    view.apply_stats(key("ml-9"), None)  # never seen: nothing to delete
    assert view.trending("Animation", 5) == [] and view.stats_count == 0


def test_reviews_only_stats_are_listed_with_no_interactions():
    reviewed, _ = apply_review(None, review(1, product="wc-1078"), LIMITS)
    view = view_with(("ml-1", stats("ml-1", 1)), ("wc-1078", orjson.dumps(reviewed)))
    assert view.trending(None, 5) == [("ml-1", 1.0), ("wc-1078", 0.0)]


def test_category_comes_from_the_catalog_first_then_from_stats():
    view = view_with(("ml-1", stats("ml-1", 1, category="Animation")), ("ml-2", stats("ml-2", 2, category=None)))
    assert view.category("ml-1") == "Animation" and view.category("ml-2") is None
    view.apply_catalog(b"ml-1", upsert("ml-1", "Toy Story (1995)", category="Children's"))
    assert view.category("ml-1") == "Children's"
    assert view.trending("Children's", 5) == [("ml-1", 1.0)] and view.trending("Animation", 5) == []


def test_a_new_stats_record_changes_the_next_answer():
    view = view_with(("ml-1", stats("ml-1", 1, 2)), ("ml-2", stats("ml-2", 3)))
    first = view.trending("Animation", 5)
    assert view.trending("Animation", 5) is not first and view.trending("Animation", 5) == first
    view.apply_stats(key("ml-2"), stats("ml-2", 3, 4, 5))
    assert view.trending("Animation", 5) == [("ml-2", 3.0), ("ml-1", 2.0)]
    assert view.trending(None, 5) == [("ml-2", 3.0), ("ml-1", 2.0)]


def test_take_changed_titles_returns_new_and_changed_titles_once():
    view = CatalogView(LIMITS)
    view.apply_catalog(b"ml-1", upsert("ml-1", "Toy Story (1995)", seconds=1))
    view.apply_catalog(b"ml-2", upsert("ml-2", "GoldenEye (1995)", "Action", seconds=1))
    assert view.take_changed_titles() == {"ml-1": "Toy Story (1995)", "ml-2": "GoldenEye (1995)"}
    assert view.take_changed_titles() == {}
    view.apply_catalog(b"ml-1", upsert("ml-1", "Toy Story (1995)", "Children's", seconds=2, version=2))
    view.apply_catalog(b"ml-2", upsert("ml-2", "GoldenEye", "Action", seconds=2, version=2))
    view.apply_catalog(b"ml-2", upsert("ml-2", "GoldenEye (old)", "Action", seconds=1, version=0))  # stale
    assert view.take_changed_titles() == {"ml-2": "GoldenEye"}


def test_changelog_keys_are_json_strings_or_raw_utf8():
    assert product_key(b'"ml-1"') == "ml-1" and product_key(b"ml-1") == "ml-1" and product_key(b"123") == "123"
    view = CatalogView(LIMITS)
    view.apply_stats(b"ml-1", stats("ml-1", 1))
    assert view.trending(None, 5) == [("ml-1", 1.0)]
    with pytest.raises(ValueError, match="no key"):
        view.apply_stats(None, stats("ml-1", 1))


@pytest.mark.parametrize("value", [b"not json", b"[1, 2]", orjson.dumps({"views": 1, "buckets": {"x": 1}})])
def test_a_record_that_is_not_a_stats_dict_raises_and_changes_nothing(value):
    view = view_with(("ml-1", stats("ml-1", 1)))
    with pytest.raises(ValueError, match="not a stats dict"):
        view.apply_stats(key("ml-1"), value)
    assert view.trending(None, 5) == [("ml-1", 1.0)]
