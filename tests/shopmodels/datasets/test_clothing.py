"""load_clothing_reviews on the real Women's Clothing E-Commerce Reviews file."""

import pandas as pd
import pytest

from shopmodels.datasets import DatasetPaths, load_clothing_reviews


@pytest.fixture(scope="module")
def reviews(dataset_paths: DatasetPaths) -> pd.DataFrame:
    return load_clothing_reviews(dataset_paths)


def test_size_and_snake_case_columns(reviews: pd.DataFrame) -> None:
    assert len(reviews) == 23_486
    assert list(reviews.columns) == [
        "clothing_id", "age", "title", "review_text", "rating", "recommended",
        "positive_feedback_count", "division", "department", "class_name",
    ]  # fmt: skip
    assert reviews["clothing_id"].nunique() == 1_206
    assert list(reviews.index) == list(range(23_486))


def test_values_are_typed_and_blank_text_is_missing(reviews: pd.DataFrame) -> None:
    assert reviews["rating"].between(1, 5).all()
    assert reviews["recommended"].dtype == bool
    assert reviews["review_text"].isna().sum() == 845
    assert reviews["title"].isna().sum() == 3_810
    for column in ("title", "review_text", "division", "department", "class_name"):
        present = reviews[column].dropna()
        assert (present.str.strip() == present).all() and (present != "").all()


def test_first_row_reads_as_published(reviews: pd.DataFrame) -> None:
    first = reviews.iloc[0]
    assert first["clothing_id"] == 767 and first["age"] == 33 and first["rating"] == 4
    assert first["review_text"] == "Absolutely wonderful - silky and sexy and comfortable"
    assert (first["division"], first["department"], first["class_name"]) == (
        "Initmates", "Intimate", "Intimates",
    )  # fmt: skip
