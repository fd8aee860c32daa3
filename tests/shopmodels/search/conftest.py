"""The real MiniLM model (loaded once) and MovieLens-100k's real movie titles as a product catalog."""

import pandas as pd
import pytest

from shopmodels.datasets.fetch import fetch_datasets

from streams.settings import get_settings
from shopmodels.datasets.movielens import load_movielens
from shopmodels.search.embedder import TextEmbedder


@pytest.fixture(scope="session")
def embedder() -> TextEmbedder:
    """all-MiniLM-L6-v2 from the installed package, on the CPU (or CUDA where there is one)."""
    return TextEmbedder.from_package(device="auto")


@pytest.fixture(scope="session")
def movies() -> pd.DataFrame:
    """MovieLens-100k's items with a title: item_id, title, year, genres (list[str])."""
    items = load_movielens(fetch_datasets(get_settings().cache_dir, progress=False)).items
    return items.dropna(subset=["title"]).reset_index(drop=True)
