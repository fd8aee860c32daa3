"""A fitted TF-IDF + logistic regression pipeline as plain arrays a checkpoint can hold, for words or characters.

A checkpoint loaded with ``weights_only=True`` cannot hold a scikit-learn pipeline (it would need
pickled code), so ``TfidfLogistic.from_pipeline`` takes a fitted pipeline apart: the vectorizer's
analysis settings (analyzer, n-gram range, lowercasing, accents, token pattern), its n-grams in
column order, the idf vector, the coefficients and the intercept. ``log_odds`` recomputes the
pipeline's decision function: the n-grams come from scikit-learn's own analyzer, rebuilt from the
stored settings (it needs no fitting), so texts are split exactly as in training; then counts,
``1 + ln(tf)`` when ``sublinear_tf``, times idf, L2 norm, dot the coefficients, plus the intercept.

Settings the arrays cannot reproduce (a custom preprocessor or tokenizer, stop words, binary
counts, another norm, no idf) are refused by ``from_pipeline``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from sklearn.feature_extraction.text import TfidfVectorizer

from shopmodels.sentiment.labels import NEGATIVE, POSITIVE

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

ANALYSIS = ("analyzer", "ngram_range", "lowercase", "strip_accents", "token_pattern")  # settings kept
_REQUIRED = {"preprocessor": None, "tokenizer": None, "stop_words": None, "norm": "l2", "use_idf": True,
             "binary": False}  # settings the arrays assume


@dataclass(frozen=True, eq=False)  # arrays: equality would be ambiguous
class TfidfLogistic:
    """TF-IDF + binary logistic regression as arrays: log-odds of positive without a fitted pipeline."""

    analysis: dict[str, Any]  # the vectorizer's ANALYSIS settings (ngram_range as a list)
    sublinear_tf: bool  # whether tf is replaced by 1 + ln(tf)
    vocabulary: dict[str, int]  # n-gram -> column
    idf: np.ndarray  # [F] float64
    coef: np.ndarray  # [F] float64, weights of the positive class's log-odds
    intercept: float

    def __post_init__(self) -> None:
        settings = {**self.analysis, "ngram_range": tuple(self.analysis["ngram_range"])}
        object.__setattr__(self, "_analyzer", TfidfVectorizer(**settings).build_analyzer())

    @classmethod
    def from_pipeline(cls, pipeline: Pipeline) -> TfidfLogistic:
        """Take apart a fitted pipeline of a ``BaselineRecipe`` (steps ``tfidf`` then ``logreg``)."""
        tfidf, logreg = pipeline.named_steps["tfidf"], pipeline.named_steps["logreg"]
        settings = tfidf.get_params()
        unsupported = {key: settings[key] for key, value in _REQUIRED.items() if settings[key] != value}
        if unsupported or not isinstance(settings["analyzer"], str):
            raise ValueError("The TF-IDF step has settings the array form cannot reproduce: "
                             f"{unsupported or settings['analyzer']}; it needs {_REQUIRED} and a named analyzer.")
        if list(logreg.classes_) != [NEGATIVE, POSITIVE]:
            raise ValueError(f"The logistic regression has classes {list(logreg.classes_)}, expected "
                             f"{[NEGATIVE, POSITIVE]} (negative, positive).")
        analysis = {key: settings[key] for key in ANALYSIS}
        analysis["ngram_range"] = list(analysis["ngram_range"])
        columns = sorted(tfidf.vocabulary_, key=tfidf.vocabulary_.__getitem__)
        return cls(analysis, bool(settings["sublinear_tf"]), {ngram: column for column, ngram in enumerate(columns)},
                   tfidf.idf_.astype(np.float64), logreg.coef_[0].astype(np.float64), float(logreg.intercept_[0]))

    @property
    def analyzer(self) -> Callable[[str], list[str]]:
        """scikit-learn's analyzer for the stored settings: text -> n-grams."""
        return self._analyzer  # type: ignore[attr-defined]

    def log_odds(self, texts: Sequence[str]) -> np.ndarray:
        """ln(P(positive) / P(negative)) per text: ``[N]`` float64, the pipeline's decision function."""
        scores = np.full(len(texts), self.intercept)
        for row, text in enumerate(texts):
            counts = Counter(column for ngram in self.analyzer(text)
                             if (column := self.vocabulary.get(ngram)) is not None)
            if not counts:
                continue
            columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            weights = (1.0 + np.log(tf) if self.sublinear_tf else tf) * self.idf[columns]
            scores[row] += (weights / np.sqrt(weights @ weights)) @ self.coef[columns]
        return scores

    def to_checkpoint(self) -> tuple[dict[str, Any], dict[str, torch.Tensor], list[str]]:
        """Plain settings, tensors (idf, coef, intercept) and the n-grams in column order, for a checkpoint."""
        settings = {"analysis": dict(self.analysis), "sublinear_tf": self.sublinear_tf}
        tensors = {"idf": torch.from_numpy(self.idf), "coef": torch.from_numpy(self.coef),
                   "intercept": torch.tensor([self.intercept], dtype=torch.float64)}
        return settings, tensors, sorted(self.vocabulary, key=self.vocabulary.__getitem__)

    @classmethod
    def from_checkpoint(cls, settings: dict[str, Any], tensors: dict[str, torch.Tensor],
                        ngrams: list[str]) -> TfidfLogistic:
        """Rebuild from ``to_checkpoint``'s three parts."""
        if not len(ngrams) == len(tensors["idf"]) == len(tensors["coef"]):
            raise ValueError(f"The stored TF-IDF + logistic regression is inconsistent: {len(ngrams)} n-grams, "
                             f"{len(tensors['idf'])} idf values, {len(tensors['coef'])} coefficients.")
        return cls(dict(settings["analysis"]), bool(settings["sublinear_tf"]),
                   {ngram: column for column, ngram in enumerate(ngrams)}, tensors["idf"].double().numpy(),
                   tensors["coef"].double().numpy(), float(tensors["intercept"][0]))
