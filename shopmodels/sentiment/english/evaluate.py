"""Score sentiment models on the held-out test split: accuracy and macro-F1, and a table of them.

Every model is scored on the same binary test reviews (1-2 stars negative,
4-5 positive), predicting positive when P(positive) >= 0.5. Macro-F1 (the
mean of the negative and the positive class's F1) is the headline, since
about 88% of the reviews are positive and accuracy rewards ignoring the
negative ones; the majority-class row shows that floor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import accuracy_score, f1_score

from shopmodels.sentiment.english.data import NEUTRAL_NAME, POSITIVE, SentimentSplit

Scorer = Callable[[list[str]], np.ndarray]  # texts -> P(positive) per text, [N]
HEADERS = ("Model", "Accuracy", "Macro-F1", "3-star reviews labelled neutral")


@dataclass(frozen=True)
class SentimentReport:
    """One model's scores on the binary test reviews (fractions in [0, 1])."""

    name: str
    reviews: int  # binary test reviews scored
    accuracy: float
    macro_f1: float
    three_star_neutral: float | None = None  # share of held-out 3-star reviews labelled neutral


def score_test(name: str, scorer: Scorer, split: SentimentSplit) -> SentimentReport:
    """Accuracy and macro-F1 of ``scorer`` on ``split.test`` (threshold 0.5 on P(positive))."""
    labels = split.test["label"].to_numpy()
    predicted = (np.asarray(scorer(split.test["text"].tolist())) >= 0.5).astype(int)
    return SentimentReport(name, len(labels), float(accuracy_score(labels, predicted)),
                           float(f1_score(labels, predicted, average="macro", labels=[0, 1], zero_division=0)))


def majority_scorer(split: SentimentSplit) -> Scorer:
    """A scorer that always predicts the training part's most common class."""
    positive_share = float((split.train["label"] == POSITIVE).mean())
    return lambda texts: np.full(len(texts), 1.0 if positive_share >= 0.5 else 0.0)


def neutral_share(labels: Sequence[str]) -> float | None:
    """The share of ``labels`` that are "neutral" (None for no labels)."""
    return sum(label == NEUTRAL_NAME for label in labels) / len(labels) if labels else None


def describe_split(split: SentimentSplit) -> str:
    """The split's sizes in words, for table captions."""
    test, sizes = split.test, split.sizes()
    negatives = int((test["label"] != POSITIVE).sum())
    return (f"Held-out test split of the Women's Clothing E-Commerce Reviews: {len(test):,} reviews "
            f"({negatives:,} negative 1-2 stars, {len(test) - negatives:,} positive 4-5 stars; "
            f"{sizes['test_neutral']:,} 3-star reviews apart); train {sizes['train']:,}, valid "
            f"{sizes['valid']:,}; split seed {split.seed}")


def table_rows(reports: Sequence[SentimentReport]) -> list[tuple[str, ...]]:
    """Each report as one row of strings, in ``HEADERS`` order."""
    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value:.4f}"
    return [(r.name, cell(r.accuracy), cell(r.macro_f1), cell(r.three_star_neutral)) for r in reports]


def markdown_table(reports: Sequence[SentimentReport], caption: str) -> str:
    """The reports as a Markdown table followed by its caption."""
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(reports)]
    return "\n".join(lines) + f"\n\n{caption}"
