"""The baseline the transformer has to beat: TF-IDF word 1-2 grams and logistic regression.

``fit_baseline`` fits one pipeline per candidate setting on the training
part and keeps the one with the best macro-F1 on the validation part (the
test part is never read here). Candidates: inverse regularisation strength
C in ``C_VALUES`` times class weighting "balanced" or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline

from shopmodels.sentiment.english.data import POSITIVE, SentimentSplit

C_VALUES: tuple[float, ...] = (1.0, 4.0, 16.0)  # float: LogisticRegression C candidates
CLASS_WEIGHTS: tuple[str | None, ...] = (None, "balanced")  # class weighting candidates
MIN_DF = 2  # int: an n-gram must occur in at least this many training reviews
MAX_ITER = 2000  # int: solver iterations (lbfgs converges well before on this data)


@dataclass(frozen=True)
class Baseline:
    """A fitted TF-IDF + logistic regression pipeline and the setting validation chose."""

    pipeline: Pipeline
    c: float  # chosen inverse regularisation strength
    class_weight: str | None  # chosen class weighting
    valid_macro_f1: float  # macro-F1 of the chosen setting on the validation part

    def positive_probability(self, texts: Sequence[str]) -> np.ndarray:
        """Return P(positive) per text: ``[N]`` float64."""
        if len(texts) == 0:
            return np.empty(0)
        column = list(self.pipeline.classes_).index(POSITIVE)
        return self.pipeline.predict_proba(list(texts))[:, column]

    def describe(self) -> str:
        """The chosen setting in words, e.g. ``C=4, class_weight=balanced``."""
        return f"C={self.c:g}, class_weight={self.class_weight or 'none'}"


def build_pipeline(c: float, class_weight: str | None) -> Pipeline:
    """An unfitted TF-IDF (word 1-2 grams, sublinear tf) + logistic regression pipeline."""
    return Pipeline([
        ("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=MIN_DF, sublinear_tf=True, strip_accents="unicode")),
        ("logreg", LogisticRegression(C=c, class_weight=class_weight, max_iter=MAX_ITER)),
    ])  # fmt: skip


def fit_baseline(split: SentimentSplit) -> Baseline:
    """Fit every candidate on ``split.train`` and return the best one by validation macro-F1."""
    if split.train["label"].nunique() < 2:
        raise ValueError("The training part holds only one class; the baseline needs positive and "
                         "negative reviews. Train on more reviews.")
    best: Baseline | None = None
    texts, labels = split.train["text"].tolist(), split.train["label"].to_numpy()
    for c in C_VALUES:
        for class_weight in CLASS_WEIGHTS:
            pipeline = build_pipeline(c, class_weight).fit(texts, labels)
            predicted = pipeline.predict(split.valid["text"].tolist())
            score = float(f1_score(split.valid["label"], predicted, average="macro"))
            if best is None or score > best.valid_macro_f1:
                best = Baseline(pipeline, c, class_weight, score)
    assert best is not None  # C_VALUES and CLASS_WEIGHTS are not empty
    return best
