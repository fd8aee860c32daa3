"""The neutral band: how a calibrated P(positive) becomes the label the stream serves, and how it is chosen.

Every sentiment predictor serves one of three labels: "negative" below ``low``, "positive" at or
above ``high``, "neutral" in between (``NeutralBand.label``). The binary figures of ``eval`` ignore
the band (positive when P >= 0.5); the *served* figures score these three labels against ground
truth that has a neutral class where the corpus has one (English: 3-star reviews) and none where
it has not (Chinese: every served "neutral" is then a miss).

``choose_band`` picks the band on validation reviews, the same way for every model
(``band_on_validation``: the train commands of both languages' models and of the TF-IDF
baselines, and ``eval``'s baseline rows): of the candidate bands in ``BAND_GRID`` (narrowest first,
starting with no band at all), the one with the best served macro-F1, the first of equals. Served
macro-F1 is the mean F1 over the classes the ground truth holds (``served_scores``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score

from shopmodels.sentiment.labels import LABEL_NAMES, NEGATIVE, NEUTRAL, NEUTRAL_NAME, POSITIVE

if TYPE_CHECKING:
    from shopmodels.sentiment.split import SentimentSplit


@dataclass(frozen=True)
class NeutralBand:
    """P(positive) in [low, high) is served as "neutral"; low == high serves no neutral at all."""

    low: float = 0.3
    high: float = 0.7

    def __post_init__(self) -> None:
        if not 0.0 <= self.low <= self.high <= 1.0:
            raise ValueError(f"A neutral band needs 0 <= low <= high <= 1, got {self.low} and {self.high}.")

    def label(self, positive: float) -> str:
        """The served label of one calibrated P(positive)."""
        if positive < self.low:
            return LABEL_NAMES[NEGATIVE]
        if positive >= self.high:
            return LABEL_NAMES[POSITIVE]
        return NEUTRAL_NAME

    def class_ids(self, positive: np.ndarray) -> np.ndarray:
        """The served class id per probability ``[N]``: 0 negative, 1 positive, -1 neutral (``labels.py``)."""
        positive = np.asarray(positive, dtype=float)
        ids = np.full(len(positive), NEUTRAL, dtype=np.int64)
        ids[positive < self.low] = NEGATIVE
        ids[positive >= self.high] = POSITIVE
        return ids

    def describe(self) -> str:
        """The band in words, e.g. ``neutral band [0.30, 0.70)`` or ``no neutral band``."""
        return "no neutral band" if self.low == self.high else f"neutral band [{self.low:.2f}, {self.high:.2f})"


# Candidate bands, narrowest first: every (low, high) with low in 0.5, 0.45, ..., 0.05 and high in 0.5, ..., 0.95.
_EDGES = [round(step / 20, 2) for step in range(0, 10)]  # 0.0 .. 0.45: distance of an edge from 0.5
BAND_GRID: tuple[NeutralBand, ...] = tuple(sorted(
    (NeutralBand(round(0.5 - below, 2), round(0.5 + above, 2)) for below in _EDGES for above in _EDGES),
    key=lambda band: (round(band.high - band.low, 2), -band.low)))


def served_scores(truth: np.ndarray, served: np.ndarray) -> tuple[float, float]:
    """Accuracy and macro-F1 of served class ids against ``truth`` (ids 0, 1 and, where known, -1 neutral).

    Macro-F1 averages the classes ``truth`` holds: a served "neutral" on a corpus without neutral
    reviews costs recall and counts as no class's true positive.
    """
    classes = sorted(set(np.asarray(truth).tolist()))
    return (float(accuracy_score(truth, served)),
            float(f1_score(truth, served, labels=classes, average="macro", zero_division=0)))


def choose_band(positive: np.ndarray, truth: np.ndarray,
                grid: tuple[NeutralBand, ...] = BAND_GRID) -> tuple[NeutralBand, float]:
    """The band of ``grid`` with the best served macro-F1 of ``positive`` ``[N]`` on ``truth`` ``[N]``; that score."""
    if len(positive) == 0:
        raise ValueError("Choosing a neutral band needs validation reviews; the validation part is empty.")
    best, best_score = grid[0], float("-inf")
    for band in grid:
        score = served_scores(truth, band.class_ids(positive))[1]
        if score > best_score:
            best, best_score = band, score
    return best, best_score


def served_part(binary: pd.DataFrame, neutral: pd.DataFrame | None) -> pd.DataFrame:
    """A part's reviews as served ground truth: the binary ones and, where the corpus has them, the neutral ones."""
    return binary if neutral is None or neutral.empty else pd.concat([binary, neutral])


def band_on_validation(positive_probability: Callable[[list[str]], np.ndarray],
                       split: SentimentSplit) -> tuple[NeutralBand, float]:
    """``choose_band`` for a model's calibrated P(positive) on the validation (and validation-neutral) reviews."""
    valid = served_part(split.valid, split.valid_neutral)
    return choose_band(positive_probability(valid["text"].tolist()), valid["label"].to_numpy())
