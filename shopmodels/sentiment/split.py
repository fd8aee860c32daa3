"""The held-out split every sentiment number uses, for either language, and its training sample.

Each language draws its split in its own ``data.py`` (English: stratified by star rating;
Chinese: cleaned, then stratified by label), always with a fixed seed from the published row
order, so the same data gives the same split on every machine and a checkpoint's recorded seed
finds its test part again. Training reads only ``train``; ``valid`` picks epochs, settings and
temperatures; ``test`` is read once, by ``eval``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from shopmodels.splits import stratified_sample

if TYPE_CHECKING:
    from shopmodels.sentiment.chinese.data import CleaningCounts


@dataclass(frozen=True)
class SentimentSplit:
    """The held-out split: frames with columns text (str) and label (int: 0 negative, 1 positive).

    Each frame's index is the review's row in the published data, so parts can be checked for
    overlap. The English frames also have a rating column (1-5 stars).
    """

    train: pd.DataFrame  # for fitting
    valid: pd.DataFrame  # for model selection and the temperature
    test: pd.DataFrame  # read only by eval
    seed: int  # the seed the split was drawn with
    train_neutral: pd.DataFrame | None = None  # reviews with no binary label (English 3 stars), label -1
    valid_neutral: pd.DataFrame | None = None  # the same, validation part: it chooses the neutral band
    test_neutral: pd.DataFrame | None = None  # the same, test part: eval checks the neutral band on them
    cleaning: CleaningCounts | None = None  # what cleaning removed before the split (Chinese); None: no cleaning

    def sizes(self) -> dict[str, int]:
        """Rows per part, e.g. ``{"train": 13855, "valid": 1732, "test": 1732}`` (neutral parts when present)."""
        parts = ("train", "valid", "test", "train_neutral", "valid_neutral", "test_neutral")
        return {name: len(getattr(self, name)) for name in parts if getattr(self, name) is not None}


def check_fractions(valid_fraction: float, test_fraction: float) -> None:
    """Raise ``ValueError`` unless both held-out fractions are positive and leave something to train on."""
    if not (0 < valid_fraction and 0 < test_fraction and valid_fraction + test_fraction < 1):
        raise ValueError(f"valid_fraction ({valid_fraction}) and test_fraction ({test_fraction}) must be "
                         "positive and leave something to train on.")


def sample_training(split: SentimentSplit, max_train: int | None, seed: int) -> SentimentSplit:
    """Return ``split`` with at most ``max_train`` training reviews (stratified by label; the training
    part's neutral reviews sampled at the same rate; held-out parts unchanged)."""
    if max_train is None or max_train >= len(split.train):
        return split
    if max_train < 2:
        raise ValueError(f"max_train must be at least 2 (one review per class), got {max_train}.")
    neutral = split.train_neutral
    if neutral is not None and len(neutral):
        neutral = stratified_sample(neutral, round(len(neutral) * max_train / len(split.train)), seed)
    return replace(split, train=stratified_sample(split.train, max_train, seed), train_neutral=neutral)
