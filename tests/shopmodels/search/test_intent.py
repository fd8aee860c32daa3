"""TitleIndex and blend, on real MovieLens titles embedded by the real model, and on small hand-made scores."""

import pandas as pd
import pytest
import torch

from shopmodels.search.embedder import TextEmbedder
from shopmodels.search.intent import TitleIndex, blend, ranked

CATALOG_COMEDIES = 120  # pure-Comedy titles in the catalog (the user's recommendations come from these)
CATALOG_OTHERS = 100  # titles that are neither Horror nor Comedy
USER_RECOMMENDATIONS = 50


@pytest.fixture(scope="module")
def catalog(movies: pd.DataFrame) -> pd.DataFrame:
    """About 300 real titles: every Horror movie, pure comedies and a slice of everything else."""
    is_horror = movies["genres"].map(lambda genres: "Horror" in genres)
    is_comedy = movies["genres"].map(lambda genres: genres == ["Comedy"])
    is_other = movies["genres"].map(lambda genres: "Horror" not in genres and "Comedy" not in genres)
    return pd.concat(
        [movies[is_horror], movies[is_comedy].head(CATALOG_COMEDIES), movies[is_other].head(CATALOG_OTHERS)]
    ).assign(product_id=lambda frame: frame["item_id"].astype(str))


@pytest.fixture(scope="module")
def index(catalog: pd.DataFrame, embedder: TextEmbedder) -> TitleIndex:
    """The catalog's title embeddings."""
    title_index = TitleIndex()
    for product_id, vector in zip(catalog["product_id"], embedder.embed(catalog["title"].tolist())):
        title_index.upsert(product_id, vector)
    return title_index


def _genres(catalog: pd.DataFrame) -> dict[str, list[str]]:
    return dict(zip(catalog["product_id"], catalog["genres"]))


def test_a_comedy_fan_who_searches_horror_sees_horror_in_the_top_five(
    catalog: pd.DataFrame, index: TitleIndex, embedder: TextEmbedder
) -> None:
    genres = _genres(catalog)
    comedies = catalog.loc[catalog["genres"].map(lambda g: g == ["Comedy"]), "product_id"].head(USER_RECOMMENDATIONS)
    model_scores = {product_id: 5.0 - 0.05 * rank for rank, product_id in enumerate(comedies)}  # all Comedy
    matches = index.top_matches(embedder.embed(["horror"])[0], k=10)

    before = ranked(blend(model_scores, matches, weight=0.0), 5)
    after = ranked(blend(model_scores, matches, weight=0.6), 5)

    assert all(genres[product_id] == ["Comedy"] for product_id, _ in before)
    assert sum("Horror" in genres[product_id] for product_id, _ in after) >= 3


def test_top_matches_for_horror_are_mostly_horror_titles(
    catalog: pd.DataFrame, index: TitleIndex, embedder: TextEmbedder
) -> None:
    genres = _genres(catalog)

    matches = index.top_matches(embedder.embed(["horror"])[0], k=5)

    assert len(matches) == 5 and [c for _, c in matches] == sorted((c for _, c in matches), reverse=True)
    assert sum("Horror" in genres[product_id] for product_id, _ in matches) >= 4


def test_top_matches_skip_excluded_products(index: TitleIndex, embedder: TextEmbedder) -> None:
    query = embedder.embed(["horror"])[0]
    best = [product_id for product_id, _ in index.top_matches(query, k=3)]

    again = [product_id for product_id, _ in index.top_matches(query, k=3, exclude=set(best[:2]))]

    assert again[0] == best[2] and not set(again) & set(best[:2])


def test_upsert_replaces_and_remove_forgets() -> None:
    index = TitleIndex()
    index.upsert("a", torch.tensor([3.0, 0.0]))
    index.upsert("b", torch.tensor([0.0, 2.0]))
    index.upsert("a", torch.tensor([0.0, -1.0]))  # retitled
    index.remove("b")
    index.remove("never-there")

    assert len(index) == 1 and "b" not in index
    assert index.top_matches(torch.tensor([0.0, -5.0]), k=5) == [("a", pytest.approx(1.0))]
    assert index.top_matches(torch.tensor([0.0, -5.0]), k=5, exclude={"a"}) == []
    assert TitleIndex().top_matches(torch.tensor([1.0, 0.0]), k=5) == []


def test_blend_follows_the_documented_formula() -> None:
    model_scores = {"a": 10.0, "b": 6.0, "c": 2.0}  # min-max -> 1.0, 0.5, 0.0
    matches = [("c", 0.8), ("d", 0.4), ("e", -0.3)]  # scaled to the best -> 1.0, 0.5, 0.0

    blended = blend(model_scores, matches, weight=0.25)

    assert blended == pytest.approx({"a": 0.75, "b": 0.375, "c": 0.25, "d": 0.125, "e": 0.0})


def test_blend_edges() -> None:
    assert blend({"a": 1.0, "b": 1.0}, [], weight=0.5) == {"a": 0.5, "b": 0.5}  # equal scores count as 1.0
    assert blend({}, [("x", 0.9)], weight=1.0) == {"x": 1.0}
    assert ranked({"b": 0.5, "a": 0.5, "c": 0.9}, 2) == [("c", 0.9), ("a", 0.5)]
    with pytest.raises(ValueError, match="weight"):
        blend({"a": 1.0}, [], weight=1.5)
