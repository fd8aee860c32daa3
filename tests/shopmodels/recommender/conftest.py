"""Shared tiny fixtures: the recommender tests run in seconds on one CPU thread."""

import pytest
import torch

from shopmodels.recommender.config import SASRecConfig

torch.set_num_threads(1)


@pytest.fixture
def tiny_config() -> SASRecConfig:
    """A model small enough to train a few steps in well under a second."""
    return SASRecConfig(num_items=12, max_len=6, hidden=16, blocks=2, heads=2, dropout=0.1,
                        batch_size=4, epochs=3, patience=2, lr=1e-2, seed=7)


@pytest.fixture
def toy_sequences() -> list[list[int]]:
    """Item-index sequences with an obvious pattern: each item is followed by the next one."""
    return [[1, 2, 3, 4, 5, 6, 7], [3, 4, 5, 6, 7, 8], [6, 7, 8, 9, 10, 11, 12], [2, 3, 4, 5, 6]]
