"""Score sentiment models on the held-out test split, for either language: accuracy, macro-F1 and a table.

Every model is scored on the same test reviews, predicting positive when P(positive) >= 0.5.
Macro-F1 (the mean of the negative and the positive class's F1) is the headline: where one
class dominates (88% of the English reviews are positive) accuracy rewards ignoring the other,
and the majority-class row shows that floor. Beside them, the *served* figures score the exact
labels the stream writes (``with_served``): negative, neutral or positive from each model's
neutral band, against the test reviews plus, where the corpus has them, the neutral ones
(English 3-star reviews); served macro-F1 averages the classes the ground truth holds
(``neutral_band.served_scores``). ``evaluation.py`` puts the rows together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from rich.table import Table
from sklearn.metrics import accuracy_score, f1_score

from shopmodels.sentiment.labels import CLASS_IDS, LABEL_NAMES, NEGATIVE, POSITIVE
from shopmodels.sentiment.neutral_band import served_part, served_scores
from shopmodels.sentiment.split import SentimentSplit

Scorer = Callable[[list[str]], np.ndarray]  # texts -> P(positive) per text, [N]
Labeller = Callable[[list[str]], np.ndarray]  # texts -> served class id per text (0, 1, -1 neutral), [N]
HEADERS = ("Model", "Accuracy", "Macro-F1", "Served accuracy", "Served macro-F1")


@dataclass(frozen=True)
class SentimentReport:
    """One model's scores on the binary test reviews (fractions in [0, 1])."""

    name: str
    reviews: int  # binary test reviews scored
    accuracy: float
    macro_f1: float
    neutral_labelled: float | None = None  # share of the held-out neutral reviews labelled neutral; None: not scored
    served_accuracy: float | None = None  # of the served labels on the test (and neutral) reviews; None: not scored
    served_macro_f1: float | None = None


def binary_scores(truth: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    """Accuracy and macro-F1 (over both classes) of ``predicted`` class ids against ``truth``."""
    return (float(accuracy_score(truth, predicted)),
            float(f1_score(truth, predicted, average="macro", labels=[NEGATIVE, POSITIVE], zero_division=0)))


def score_test(name: str, scorer: Scorer, split: SentimentSplit) -> SentimentReport:
    """Accuracy and macro-F1 of ``scorer`` on ``split.test`` (threshold 0.5 on P(positive))."""
    labels = split.test["label"].to_numpy()
    predicted = (np.asarray(scorer(split.test["text"].tolist())) >= 0.5).astype(int)
    return SentimentReport(name, len(labels), *binary_scores(labels, predicted))


def with_served(report: SentimentReport, labeller: Labeller, split: SentimentSplit) -> SentimentReport:
    """``report`` with the served accuracy and macro-F1 of ``labeller`` on the test and test-neutral reviews."""
    test = served_part(split.test, split.test_neutral)
    accuracy, macro_f1 = served_scores(test["label"].to_numpy(), np.asarray(labeller(test["text"].tolist())))
    return replace(report, served_accuracy=accuracy, served_macro_f1=macro_f1)


def predictor_labeller(predictor) -> Labeller:
    """The served class ids of a predictor's labels (what the stream writes)."""
    return lambda texts: np.array([CLASS_IDS[p.label] for p in predictor.predict(texts)], dtype=np.int64)


def majority_scorer(split: SentimentSplit) -> tuple[str, Scorer]:
    """The training part's most common class ("negative" or "positive") and a scorer always predicting it."""
    positive = float((split.train["label"] == POSITIVE).mean()) >= 0.5
    return LABEL_NAMES[POSITIVE if positive else NEGATIVE], lambda texts: np.full(len(texts), float(positive))


@dataclass(frozen=True)
class ReportTable:
    """How one language's reports are printed: a title, the columns, and who ends the caption.

    neutral_header (str or None): the column of ``SentimentReport.neutral_labelled``; None
        leaves it out (a corpus with no neutral reviews).
    markdown_full_stop (bool): the Markdown form ends the caption with a full stop. The Chinese
        captions are built without one; the English ones carry their own (``caption_end``).
    """

    title: str
    neutral_header: str | None = None
    markdown_full_stop: bool = False

    @property
    def headers(self) -> tuple[str, ...]:
        """The column names, in row order."""
        return HEADERS if self.neutral_header is None else (*HEADERS, self.neutral_header)

    @property
    def caption_end(self) -> str:
        """What the caption itself ends with (the full stop, unless the Markdown form adds it)."""
        return "" if self.markdown_full_stop else "."

    def rows(self, reports: Sequence[SentimentReport]) -> list[tuple[str, ...]]:
        """Each report as one row of strings, in ``headers`` order."""
        def cell(value: float | None) -> str:
            return "-" if value is None else f"{value:.4f}"
        return [(r.name, cell(r.accuracy), cell(r.macro_f1), cell(r.served_accuracy), cell(r.served_macro_f1),
                 cell(r.neutral_labelled))[:len(self.headers)] for r in reports]

    def markdown(self, reports: Sequence[SentimentReport], caption: str) -> str:
        """The reports as a Markdown table followed by its caption."""
        lines = ["| " + " | ".join(self.headers) + " |", "|" + "---|" * len(self.headers)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows(reports)]
        return "\n".join(lines) + f"\n\n{caption}" + ("." if self.markdown_full_stop else "")

    def rich(self, reports: Sequence[SentimentReport], caption: str) -> Table:
        """The reports as a rich table with ``title`` and ``caption``."""
        table = Table(*self.headers, title=self.title, caption=caption)
        for row in self.rows(reports):
            table.add_row(*row)
        return table
