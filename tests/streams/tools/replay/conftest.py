"""Real datasets and the full replay built from them, once per test session."""

import pandas as pd
import pytest

from shopmodels.datasets import (
    MovieLens,
    fetch_datasets,
    load_clothing_reviews,
    load_movielens,
)
from streams.settings import get_settings
from streams.tools.replay.events import ReplayEvent, build_replay


@pytest.fixture(scope="session")
def movielens() -> MovieLens:
    return load_movielens(fetch_datasets(get_settings().cache_dir, progress=False))


@pytest.fixture(scope="session")
def reviews() -> pd.DataFrame:
    return load_clothing_reviews(fetch_datasets(get_settings().cache_dir, progress=False))


@pytest.fixture(scope="session")
def full_replay(movielens: MovieLens, reviews: pd.DataFrame) -> list[ReplayEvent]:
    """Every event of the full replay, original clock."""
    return list(build_replay(movielens, reviews))
