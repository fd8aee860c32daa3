"""The baseline the Chinese model has to beat: character 1-3-gram TF-IDF and logistic regression.

Characters need no word segmentation, which makes character n-grams the
usual strong linear baseline for Chinese text. ``fit_baseline`` fits one
pipeline per C in ``C_VALUES`` on the training part and keeps the one with
the best macro-F1 on the validation part (the test part is never read here).
The corpus is nearly balanced, so there is no class weighting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline

from shopmodels.sentiment.english.data import POSITIVE
from shopmodels.sentiment.chinese.data import ChineseSplit, normalise_text

C_VALUES: tuple[float, ...] = (1.0, 4.0, 16.0)  # float: LogisticRegression C candidates
NGRAM_RANGE = (1, 3)  # (int, int): character n-gram lengths
MIN_DF = 2  # int: an n-gram must occur in at least this many training reviews
MAX_ITER = 3000  # int: lbfgs iterations (it converges well before on this data)


@dataclass(frozen=True)
class ChineseBaseline:
    """A fitted TF-IDF + logistic regression pipeline and the C validation chose."""

    pipeline: Pipeline
    c: float  # chosen inverse regularisation strength
    valid_macro_f1: float  # macro-F1 of the chosen C on the validation part

    def positive_probability(self, texts: Sequence[str]) -> np.ndarray:
        """Return P(positive) per text (normalised like the training texts): ``[N]`` float64."""
        if len(texts) == 0:
            return np.empty(0)
        column = list(self.pipeline.classes_).index(POSITIVE)
        return self.pipeline.predict_proba([normalise_text(text) for text in texts])[:, column]

    def describe(self) -> str:
        """The chosen setting in words, e.g. ``char 1-3 grams, C=4``."""
        return f"char {NGRAM_RANGE[0]}-{NGRAM_RANGE[1]} grams, C={self.c:g}"


def build_pipeline(c: float) -> Pipeline:
    """An unfitted character n-gram TF-IDF (sublinear tf) + logistic regression pipeline."""
    return Pipeline([
        ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=NGRAM_RANGE, min_df=MIN_DF, sublinear_tf=True)),
        ("logreg", LogisticRegression(C=c, max_iter=MAX_ITER)),
    ])  # fmt: skip


def fit_baseline(split: ChineseSplit) -> ChineseBaseline:
    """Fit every candidate C on ``split.train`` and return the best one by validation macro-F1."""
    if split.train["label"].nunique() < 2:
        raise ValueError("The training part holds only one class; the baseline needs positive and "
                         "negative reviews. Train on more reviews.")
    best: ChineseBaseline | None = None
    texts, labels = split.train["text"].tolist(), split.train["label"].to_numpy()
    for c in C_VALUES:
        pipeline = build_pipeline(c).fit(texts, labels)
        predicted = pipeline.predict(split.valid["text"].tolist())
        score = float(f1_score(split.valid["label"], predicted, average="macro"))
        if best is None or score > best.valid_macro_f1:
            best = ChineseBaseline(pipeline, c, score)
    assert best is not None  # C_VALUES is not empty
    return best
