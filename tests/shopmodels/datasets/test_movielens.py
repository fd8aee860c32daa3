"""load_movielens on the real MovieLens-100k files."""

import pandas as pd
import pytest

from shopmodels.datasets import DatasetPaths, MovieLens, load_movielens


@pytest.fixture(scope="module")
def movielens(dataset_paths: DatasetPaths) -> MovieLens:
    return load_movielens(dataset_paths)


def test_sizes_are_movielens_100k(movielens: MovieLens) -> None:
    ratings = movielens.interactions
    assert len(ratings) == 100_000
    assert ratings["user_id"].nunique() == 943
    assert ratings["item_id"].nunique() == 1_682
    assert len(movielens.items) == 1_682
    assert len(movielens.users) == 943
    per_user = ratings.groupby("user_id").size()
    assert (per_user.min(), per_user.max()) == (20, 737)


def test_interactions_are_typed_and_in_per_user_time_order(movielens: MovieLens) -> None:
    ratings = movielens.interactions
    assert list(ratings.columns) == ["user_id", "item_id", "rating", "timestamp"]
    assert all(dtype == "int64" for dtype in ratings.dtypes)
    assert ratings["rating"].between(1, 5).all()
    expected = ratings.sort_values(["user_id", "timestamp", "item_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(ratings, expected)
    assert not ratings.duplicated(["user_id", "item_id"]).any()


def test_known_rows_read_as_published(movielens: MovieLens) -> None:
    ratings = movielens.interactions.set_index(["user_id", "item_id"])
    assert ratings.loc[(196, 242)].tolist() == [3, 881250949]  # the file's first data row
    items = movielens.items.set_index("item_id")
    assert items.loc[1, "title"] == "Toy Story"
    assert items.loc[1, "year"] == 1995
    assert items.loc[1, "genres"] == ["Animation", "Children's", "Comedy"]
    assert items.loc[1633, "title"] == "Á köldum klaka (Cold Fever)"


def test_recbole_quirks_are_repaired(movielens: MovieLens) -> None:
    items = movielens.items.set_index("item_id")
    assert pd.isna(items.loc[267, "title"]) and pd.isna(items.loc[267, "year"])  # "unkonwn"
    assert items.loc[1412, "year"] == 1995  # year "V" in the file
    assert items.loc[1412, "title"] == "Land Before Time III: The Time of the Great Giving"
    assert items["year"].notna().sum() == 1_681
    assert items["genres"].map(len).min() >= 1
