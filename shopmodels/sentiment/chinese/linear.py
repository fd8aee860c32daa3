"""The fitted character n-gram TF-IDF + logistic regression, as plain arrays a checkpoint can hold.

``fit_baseline`` (``shopmodels/sentiment/baseline.py``, with the Chinese recipe of
``evaluation.py``) fits a scikit-learn pipeline; a checkpoint loaded with
``weights_only=True`` cannot hold one (it would need pickled code). So the
fitted pipeline is taken apart into its n-gram vocabulary (strings in column
order), idf vector, coefficients and intercept, and ``log_odds`` recomputes
what the pipeline computes, in numpy:

1. lowercase the (``normalise_text``-ed) review and collapse runs of two or
   more whitespace characters to one space (``TfidfVectorizer``'s char
   analyzer);
2. count its character n-grams of every length in ``ngram_range``, dropping
   n-grams outside the vocabulary;
3. tf -> ``1 + ln(tf)`` when ``sublinear_tf``; times idf; L2-normalise;
4. dot with the coefficients plus the intercept: ln(P(positive) / P(negative)).

Only the settings ``evaluation.BASELINE`` uses are supported;
``from_pipeline`` refuses any other, so the two cannot drift apart silently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from shopmodels.sentiment.chinese.data import normalise_text
from shopmodels.sentiment.labels import NEGATIVE, POSITIVE

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

_WHITE_SPACES = re.compile(r"\s\s+")  # as TfidfVectorizer's char analyzer: runs of 2+ become one space
# TfidfVectorizer settings the reimplementation assumes; from_pipeline checks the fitted pipeline has them
_SUPPORTED = {"analyzer": "char", "lowercase": True, "strip_accents": None, "preprocessor": None, "norm": "l2",
              "use_idf": True, "binary": False}


@dataclass(frozen=True, eq=False)  # arrays: equality would be ambiguous
class CharNgramLogisticRegression:
    """Character n-gram TF-IDF + binary logistic regression as arrays: P(positive) with no scikit-learn."""

    vocabulary: dict[str, int]  # n-gram -> column
    idf: np.ndarray  # [F] float64, the fitted idf per column
    coef: np.ndarray  # [F] float64, weights of the positive class's log-odds
    intercept: float  # bias of the positive class's log-odds
    ngram_range: tuple[int, int]  # shortest and longest n-gram, in characters
    sublinear_tf: bool  # whether tf is replaced by 1 + ln(tf)
    c: float  # the inverse regularisation strength it was fitted with (a record; unused here)

    @classmethod
    def from_pipeline(cls, pipeline: Pipeline, c: float) -> CharNgramLogisticRegression:
        """Take apart a fitted ``evaluation.BASELINE`` pipeline (TF-IDF then logistic regression)."""
        tfidf, logreg = pipeline.named_steps["tfidf"], pipeline.named_steps["logreg"]
        settings = tfidf.get_params()
        unsupported = {key: settings[key] for key, value in _SUPPORTED.items() if settings[key] != value}
        if unsupported:
            raise ValueError(f"The TF-IDF step has settings the checkpoint form cannot reproduce: {unsupported}; "
                             f"it supports {_SUPPORTED}.")
        if list(logreg.classes_) != [NEGATIVE, POSITIVE]:
            raise ValueError(f"The logistic regression has classes {list(logreg.classes_)}, expected negative "
                             f"and positive ({[NEGATIVE, POSITIVE]}).")
        columns = sorted(tfidf.vocabulary_, key=tfidf.vocabulary_.__getitem__)
        sign = 1.0 if POSITIVE == 1 else -1.0  # coef_ scores classes_[1]
        return cls({ngram: column for column, ngram in enumerate(columns)}, tfidf.idf_.astype(np.float64),
                   sign * logreg.coef_[0].astype(np.float64), sign * float(logreg.intercept_[0]),
                   tuple(settings["ngram_range"]), bool(settings["sublinear_tf"]), float(c))

    def log_odds(self, texts: Sequence[str]) -> np.ndarray:
        """ln(P(positive) / P(negative)) per text: ``[N]`` float64, equal to the pipeline's decision function."""
        scores = np.full(len(texts), self.intercept)
        for row, text in enumerate(texts):
            columns, weights = self.tfidf_row(text)
            scores[row] += weights @ self.coef[columns]
        return scores

    def positive_probability(self, texts: Sequence[str]) -> np.ndarray:
        """P(positive) per text: ``[N]`` float64, equal to the pipeline's ``predict_proba``."""
        return 1.0 / (1.0 + np.exp(-self.log_odds(texts)))

    def tfidf_row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One review's TF-IDF vector, sparse: its columns ``[K]`` and L2-normalised weights ``[K]``."""
        counts = Counter(column for ngram in char_ngrams(normalise_text(text).lower(), self.ngram_range)
                         if (column := self.vocabulary.get(ngram)) is not None)
        columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        weights = (1.0 + np.log(tf) if self.sublinear_tf else tf) * self.idf[columns]
        norm = np.sqrt(weights @ weights)
        return columns, weights / norm if norm > 0 else weights

    def to_checkpoint(self) -> dict[str, Any]:
        """Plain types and tensors only, for a checkpoint's ``extra`` (loads with ``weights_only=True``)."""
        return {"ngrams": sorted(self.vocabulary, key=self.vocabulary.__getitem__),
                "idf": torch.from_numpy(self.idf), "coef": torch.from_numpy(self.coef),
                "intercept": self.intercept, "ngram_range": list(self.ngram_range),
                "sublinear_tf": self.sublinear_tf, "c": self.c}

    @classmethod
    def from_checkpoint(cls, stored: dict[str, Any]) -> CharNgramLogisticRegression:
        """Rebuild from ``to_checkpoint``'s dict."""
        ngrams = stored["ngrams"]
        if not len(ngrams) == len(stored["idf"]) == len(stored["coef"]):
            raise ValueError(f"The stored TF-IDF + logistic regression is inconsistent: {len(ngrams)} n-grams, "
                             f"{len(stored['idf'])} idf values, {len(stored['coef'])} coefficients.")
        return cls({ngram: column for column, ngram in enumerate(ngrams)},
                   stored["idf"].double().numpy(), stored["coef"].double().numpy(), float(stored["intercept"]),
                   (int(stored["ngram_range"][0]), int(stored["ngram_range"][1])), bool(stored["sublinear_tf"]),
                   float(stored["c"]))


def char_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """Every character n-gram of ``text`` (whitespace runs collapsed) with a length in ``ngram_range``.

    Shortest first, then left to right, as ``TfidfVectorizer(analyzer="char")`` lists them.
    """
    text = _WHITE_SPACES.sub(" ", text)
    shortest, longest = ngram_range
    return [text[start:start + n] for n in range(shortest, min(longest, len(text)) + 1)
            for start in range(len(text) - n + 1)]
