"""What ``shopstream eval`` compares, for either language, and what each language tells it.

``LanguageEvaluation`` is filled in by ``english/evaluation.py`` and ``chinese/evaluation.py``:
the baseline recipe, the table, the caption's description of the split and a checkpoint's rows.
``compare_on_test`` scores the majority class, the baseline (fitted on the training part, its
setting chosen on validation) and, given a predictor, the checkpoint, all on the same held-out
test reviews (``report.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shopmodels.sentiment.baseline import BaselineRecipe, fit_baseline
from shopmodels.sentiment.report import ReportTable, SentimentReport, majority_scorer, score_test
from shopmodels.sentiment.split import SentimentSplit, sample_training


@dataclass(frozen=True)
class LanguageEvaluation:
    """How ``shopstream eval`` reads one language: what it compares, how it prints, what its checkpoint adds."""

    baseline: BaselineRecipe  # the TF-IDF + logistic regression fitted and scored beside the model
    table: ReportTable
    describe_split: Callable[[SentimentSplit], str]  # the split in words, the start of the caption
    checkpoint_reports: Callable[[Any, SentimentSplit], list[SentimentReport]]  # a predictor's rows


def compare_on_test(language: LanguageEvaluation, split: SentimentSplit, predictor: Any | None,
                    max_train: int | None) -> tuple[list[SentimentReport], int]:
    """The majority class's, the baseline's and the predictor's test scores; the baseline's training reviews.

    The baseline is fitted on at most ``max_train`` training reviews (a stratified sample; None:
    all). Raises ``ValueError`` when the training part cannot fit it.
    """
    baseline_split = sample_training(split, max_train, seed=0)
    baseline = fit_baseline(baseline_split, language.baseline)
    majority, always = majority_scorer(split)
    reports = [score_test(f"Majority class (always {majority})", always, split),
               score_test(f"TF-IDF + logistic regression ({baseline.describe()})", baseline.positive_probability,
                          split)]
    if predictor is not None:
        reports += language.checkpoint_reports(predictor, split)
    return reports, len(baseline_split.train)
