"""The ranking policy on a real CatalogView: exclusions, the search blend, reasons, trending fill."""

from __future__ import annotations

import pytest

from schemas.requests import RecommendationRequested
from streams.flows.recommendations.catalog_view import CatalogView
from streams.flows.recommendations.ranking import Candidates, excluded_products, rank
from tests.streams.factories import T0
from tests.streams.flows.recommendations.test_catalog_view import LIMITS, key, stats, upsert

TITLES = {"ml-1": ("Toy Story (1995)", "Animation"), "ml-2": ("GoldenEye (1995)", "Action"),
          "ml-3": ("Four Rooms (1995)", "Comedy"), "ml-4": ("Get Shorty (1995)", "Drama"),
          "ml-5": ("Copycat (1995)", "Drama"), "ml-6": ("Twelve Monkeys (1995)", "Drama")}


@pytest.fixture
def catalog() -> CatalogView:
    """Six real MovieLens titles; ml-4..ml-6 trend in Drama (6 most), ml-3 in Comedy."""
    view = CatalogView(LIMITS)
    for product_id, (title, category) in TITLES.items():
        view.apply_catalog(product_id.encode(), upsert(product_id, title, category))
    view.apply_stats(key("ml-3"), stats("ml-3", 10, 11, category="Comedy"))
    view.apply_stats(key("ml-4"), stats("ml-4", 10, category="Drama"))
    view.apply_stats(key("ml-5"), stats("ml-5", 10, 11, category="Drama"))
    view.apply_stats(key("ml-6"), stats("ml-6", 10, 11, 12, category="Drama"))
    return view


def request(**fields) -> RecommendationRequested:
    base = {"event_id": "c-1", "occurred_at": T0, "user_id": "u-1", "trigger": "click"}
    return RecommendationRequested(**{**base, **fields})


def test_purchases_and_the_product_just_viewed_never_appear_even_if_a_model_proposes_them(catalog):
    asked = request(history=["ml-1", "ml-2"], just_viewed="ml-2", purchased=["ml-5"])
    assert excluded_products(asked) == {"ml-2", "ml-5"}
    found = Candidates(model=[("ml-5", 9.0), ("ml-2", 8.0), ("ml-3", 7.0), ("ml-4", 6.0)],
                       query_matches=[("ml-5", 0.9)])
    items = rank(asked, found, catalog, k=6, search_weight=0.5).items
    products = [item.product_id for item in items]
    assert not {"ml-2", "ml-5"} & set(products)
    assert len(products) == len(set(products))
    assert [item.rank for item in items] == list(range(1, len(items) + 1))


def test_model_picks_are_explained_by_the_viewed_product_they_follow(catalog):
    found = Candidates(model=[("ml-3", 2.0), ("ml-4", 1.0)], anchors={"ml-3": "ml-1", "ml-4": "unknown-sku"})
    items = rank(request(history=["ml-1"], just_viewed="ml-1"), found, catalog, k=2, search_weight=0.5).items
    assert [(i.product_id, i.reason) for i in items] == [
        ("ml-3", "because you viewed Toy Story (1995)"),
        ("ml-4", "because you viewed unknown-sku"),  # no title known: the id, rather than nothing
    ]
    assert items[0].score == 1.0 and items[1].score == 0.0  # min-max over the model's candidates


def test_a_fresh_search_blends_matching_products_in_with_its_reason(catalog):
    found = Candidates(model=[("ml-3", 3.0), ("ml-4", 2.0), ("ml-5", 1.0)], anchors={"ml-3": "ml-1"},
                       query_matches=[("ml-6", 0.8), ("ml-5", 0.7)])
    asked = request(trigger="search", history=["ml-1"], query="monkeys")
    items = rank(asked, found, catalog, k=4, search_weight=0.5).items
    reasons = {item.product_id: item.reason for item in items}
    assert reasons["ml-6"] == "matches your search 'monkeys'"  # the model never proposed it
    assert reasons["ml-3"] == "because you viewed Toy Story (1995)"
    # blend: model min-max (ml-3 1, ml-4 .5, ml-5 0), query scaled to the best (ml-6 1, ml-5 .875)
    assert [i.product_id for i in items] == ["ml-3", "ml-6", "ml-5", "ml-4"]
    assert [i.score for i in items] == pytest.approx([0.5, 0.5, 0.4375, 0.25])
    assert reasons["ml-5"] == "matches your search 'monkeys'" and reasons["ml-4"].startswith("picked for you")
    only_model = rank(asked, found, catalog, k=4, search_weight=0.0).items
    assert [i.product_id for i in only_model][:3] == ["ml-3", "ml-4", "ml-5"]
    assert not any(i.reason.startswith("matches your search") for i in only_model)


def test_cold_start_fills_from_the_focus_category_then_the_users_categories_then_anywhere(catalog):
    items = rank(request(category="Drama", top_categories=["Comedy"]), Candidates(), catalog, k=5, search_weight=0.5).items
    assert [(i.product_id, i.reason) for i in items] == [
        ("ml-6", "trending in Drama"), ("ml-5", "trending in Drama"), ("ml-4", "trending in Drama"),
        ("ml-3", "trending in Comedy"),
    ]  # only products with activity trend; nothing else is invented
    scores = [item.score for item in items]
    assert scores == sorted(scores, reverse=True) and scores[0] == 1.0


def test_trending_fills_up_a_short_personal_list_without_repeating_it(catalog):
    found = Candidates(model=[("ml-6", 1.0)], anchors={"ml-6": "ml-1"})
    items = rank(request(history=["ml-1"], just_viewed="ml-1", category="Drama"), found, catalog, k=3,
                 search_weight=0.5).items
    assert [(i.product_id, i.reason) for i in items] == [
        ("ml-6", "because you viewed Toy Story (1995)"), ("ml-5", "trending in Drama"), ("ml-4", "trending in Drama"),
    ]
    assert items[0].score >= items[1].score >= items[2].score


def test_long_titles_are_cut_to_the_schemas_reason_length(catalog):
    catalog.apply_catalog(b"ml-9", upsert("ml-9", "x" * 300, "Drama"))
    items = rank(request(history=["ml-9"]), Candidates(model=[("ml-1", 1.0)], anchors={"ml-1": "ml-9"}), catalog,
                 k=1, search_weight=0.5).items
    assert len(items[0].reason) == 300 and items[0].reason.endswith("xx…")


def test_products_without_activity_in_the_window_are_not_called_trending(catalog):
    catalog.apply_stats(key("wc-1"), b'{"product_id": "wc-1", "category": "Dresses", "views": 0, "carts": 0, '
                                     b'"purchases": 0, "reviews": 3, "rating_sum": 12, "buckets": {}}')
    items = rank(request(category="Dresses"), Candidates(), catalog, k=10, search_weight=0.5).items
    assert "wc-1" not in [item.product_id for item in items]
    assert {item.reason for item in items} == {"trending in the shop"}


def test_without_activity_in_the_window_popular_products_fill_in_and_say_so(catalog):
    catalog.apply_stats(key("ml-7"), stats("ml-7", 10, 11, 12, 13, category="Drama"))  # 4 views, an hour
    catalog.apply_stats(key("ml-8"), stats("ml-8", 5 * 3600, category="Animation"))   # later: moves the window
    items = rank(request(category="Drama"), Candidates(), catalog, k=3, search_weight=0.5).items
    assert [(i.product_id, i.reason) for i in items] == [
        ("ml-7", "popular in Drama"), ("ml-6", "popular in Drama"), ("ml-5", "popular in Drama"),
    ]  # by interactions ever: 4, 3, 2
