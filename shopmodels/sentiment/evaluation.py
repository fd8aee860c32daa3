"""What ``shopstream eval`` compares, for either language, and what each language tells it.

``LanguageEvaluation`` is filled in by ``english/evaluation.py`` and ``chinese/evaluation.py``:
the table, the caption's description of the split, a checkpoint's rows and the language (whose
``BASELINE`` recipe ``tfidf/model.py`` finds).
``compare_on_test`` scores the majority class, the baseline (fitted on the training part, its
setting, temperature and neutral band chosen on validation by ``tfidf/model.py``, exactly as
``shopstream train sentiment-tfidf`` serves it) and, given a predictor, the checkpoint, all on
the same held-out test reviews (``report.py``), binary and as served, and then on the
language's out-of-domain check set (``check_set.py``: reviews of other goods, never used to
fit or choose anything).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from shopmodels.sentiment.check_set import check_split
from shopmodels.sentiment.report import ReportTable, SentimentReport, majority_scorer, score_test, with_served
from shopmodels.sentiment.split import SentimentSplit, sample_training

if TYPE_CHECKING:
    from shopmodels.sentiment.tfidf.model import TfidfSentiment


@dataclass(frozen=True)
class LanguageEvaluation:
    """How ``shopstream eval`` reads one language: what it compares, how it prints, what its checkpoint adds."""

    table: ReportTable
    describe_split: Callable[[SentimentSplit], str]  # the split in words, the start of the caption
    checkpoint_reports: Callable[[Any, SentimentSplit], list[SentimentReport]]  # a predictor's rows
    language: str  # "en" or "zh": the TF-IDF recipe and text normalisation (``tfidf/model.py``)


@dataclass(frozen=True)
class Comparison:
    """What ``compare_on_test`` scored: the same models on the held-out test part and on the check set."""

    held_out: list[SentimentReport]  # the language's held-out test reviews
    out_of_domain: list[SentimentReport]  # the language's out-of-domain check set (``check_set.py``)
    baseline_reviews: int  # training reviews the baseline was fitted on


def compare_on_test(language: LanguageEvaluation, split: SentimentSplit, predictor: Any | None,
                    max_train: int | None) -> Comparison:
    """The majority class's, the baseline's and the predictor's scores, held out and out of domain.

    The baseline is fitted once, on at most ``max_train`` training reviews (a stratified sample;
    None: all), and scored unchanged on both sets. Raises ``ValueError`` when the training part
    cannot fit it.
    """
    from shopmodels.sentiment.tfidf.model import fit_tfidf_sentiment

    baseline_split = sample_training(split, max_train, seed=0)
    baseline, _ = fit_tfidf_sentiment(baseline_split, language.language)
    return Comparison(_reports(language, split, baseline, predictor),
                      _reports(language, check_split(split, language.language), baseline, predictor),
                      len(baseline_split.train))


def _reports(language: LanguageEvaluation, split: SentimentSplit, baseline: TfidfSentiment,
             predictor: Any | None) -> list[SentimentReport]:
    """The majority class's, the fitted baseline's and (given) the predictor's rows on ``split.test``."""
    from shopmodels.sentiment.labels import NEGATIVE, POSITIVE

    majority, always = majority_scorer(split)
    always_id = POSITIVE if majority == "positive" else NEGATIVE
    reports = [with_served(score_test(f"Majority class (always {majority})", always, split),
                           lambda texts: np.full(len(texts), always_id), split),
               with_served(score_test(f"TF-IDF + logistic regression ({baseline.setting}; {baseline.band.describe()}, "
                                      "chosen on validation)", baseline.positive_probability, split),
                           lambda texts: baseline.band.class_ids(baseline.positive_probability(texts)), split)]
    if predictor is not None:
        reports += language.checkpoint_reports(predictor, split)
    return reports
