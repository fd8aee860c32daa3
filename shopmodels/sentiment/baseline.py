"""The baseline a sentiment model has to beat: TF-IDF + logistic regression, its setting chosen on validation.

Each language names its recipe (``english/evaluation.py``: word 1-2 grams, class weighting
tried; ``chinese/evaluation.py``: character 1-3 grams, whose fitted pipeline the Chinese
ensemble also serves). ``fit_baseline`` fits one pipeline per candidate setting, inverse
regularisation strength C times class weighting, on the training part and keeps the one with
the best macro-F1 on the validation part (the first of equals); the test part is never read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from shopmodels.sentiment.labels import POSITIVE
from shopmodels.sentiment.report import binary_scores
from shopmodels.sentiment.split import SentimentSplit


@dataclass(frozen=True)
class BaselineRecipe:
    """One language's TF-IDF + logistic regression and the settings validation chooses between.

    tfidf (dict): ``TfidfVectorizer`` arguments (analyzer, n-gram range, min_df...).
    c_values (tuple of float): LogisticRegression C candidates.
    class_weights (tuple of str or None): class weighting candidates ("balanced", None).
    max_iter (int): lbfgs iterations (it converges well before on these corpora).
    features (str): the features in words for ``Baseline.describe`` ("" leaves them out).
    normalise (callable or None): applied to texts before scoring; the split's texts already
        are (None: texts are read as they are).
    """

    tfidf: dict[str, Any]
    c_values: tuple[float, ...]
    class_weights: tuple[str | None, ...] = (None,)
    max_iter: int = 2000
    features: str = ""
    normalise: Callable[[str], str] | None = field(default=None, compare=False)

    def pipeline(self, c: float, class_weight: str | None = None) -> Pipeline:
        """An unfitted TF-IDF + logistic regression pipeline with this recipe's features."""
        return Pipeline([
            ("tfidf", TfidfVectorizer(**self.tfidf)),
            ("logreg", LogisticRegression(C=c, class_weight=class_weight, max_iter=self.max_iter)),
        ])  # fmt: skip


@dataclass(frozen=True)
class Baseline:
    """A fitted TF-IDF + logistic regression pipeline and the setting validation chose."""

    pipeline: Pipeline
    c: float  # chosen inverse regularisation strength
    class_weight: str | None  # chosen class weighting
    valid_macro_f1: float  # macro-F1 of the chosen setting on the validation part
    recipe: BaselineRecipe

    def positive_probability(self, texts: Sequence[str]) -> np.ndarray:
        """Return P(positive) per text (normalised like the training texts): ``[N]`` float64."""
        if len(texts) == 0:
            return np.empty(0)
        normalise = self.recipe.normalise
        texts = [normalise(text) for text in texts] if normalise is not None else list(texts)
        column = list(self.pipeline.classes_).index(POSITIVE)
        return self.pipeline.predict_proba(texts)[:, column]

    def describe(self) -> str:
        """The chosen setting in words, e.g. ``C=4, class_weight=balanced`` or ``char 1-3 grams, C=4``."""
        words = [self.recipe.features] if self.recipe.features else []
        words.append(f"C={self.c:g}")
        if len(self.recipe.class_weights) > 1:
            words.append(f"class_weight={self.class_weight or 'none'}")
        return ", ".join(words)


def fit_baseline(split: SentimentSplit, recipe: BaselineRecipe) -> Baseline:
    """Fit every candidate of ``recipe`` on ``split.train`` and return the best one by validation macro-F1."""
    if split.train["label"].nunique() < 2:
        raise ValueError("The training part holds only one class; the baseline needs positive and "
                         "negative reviews. Train on more reviews.")
    best: Baseline | None = None
    texts, labels = split.train["text"].tolist(), split.train["label"].to_numpy()
    for c in recipe.c_values:
        for class_weight in recipe.class_weights:
            pipeline = recipe.pipeline(c, class_weight).fit(texts, labels)
            predicted = pipeline.predict(split.valid["text"].tolist())
            score = binary_scores(split.valid["label"].to_numpy(), predicted)[1]
            if best is None or score > best.valid_macro_f1:
                best = Baseline(pipeline, c, class_weight, score, recipe)
    if best is None:
        raise ValueError("The baseline recipe has no candidate settings; give it C values and class weights.")
    return best
