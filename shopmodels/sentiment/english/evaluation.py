"""How ``shopstream eval sentiment`` reads the English model: its baseline, its table, its caption, its rows.

Every model is scored on the same binary test reviews (1-2 stars negative, 4-5 positive);
about 88% of them are positive, so the majority class already reaches 0.88 accuracy and
macro-F1 is the headline. The baseline to beat is TF-IDF word 1-2 grams with logistic
regression, C and class weighting chosen on validation (``BASELINE``). Served figures add the
held-out 3-star reviews as the neutral class. A checkpoint's row adds the share of the held-out
3-star reviews its neutral band labels "neutral".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from shopmodels.sentiment.baseline import BaselineRecipe
from shopmodels.sentiment.labels import NEUTRAL_NAME, POSITIVE
from shopmodels.sentiment.evaluation import LanguageEvaluation
from shopmodels.sentiment.report import ReportTable, SentimentReport, predictor_labeller, score_test, with_served
from shopmodels.sentiment.split import SentimentSplit

if TYPE_CHECKING:
    from shopmodels.sentiment.english.predictor import SentimentPredictor

# Word 1-2 grams (an n-gram must occur in at least 2 training reviews), sublinear tf, accents stripped;
# C in (1, 4, 16) times class weighting none or "balanced".
BASELINE = BaselineRecipe(
    tfidf={"ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True, "strip_accents": "unicode"},
    c_values=(1.0, 4.0, 16.0), class_weights=(None, "balanced"), max_iter=2000)
TABLE = ReportTable("Review sentiment evaluation", neutral_header="3-star reviews labelled neutral")


def describe_split(split: SentimentSplit) -> str:
    """The split's sizes in words, for table captions."""
    test, sizes = split.test, split.sizes()
    negatives = int((test["label"] != POSITIVE).sum())
    return (f"Held-out test split of the Women's Clothing E-Commerce Reviews: {len(test):,} reviews "
            f"({negatives:,} negative 1-2 stars, {len(test) - negatives:,} positive 4-5 stars; "
            f"{sizes['test_neutral']:,} 3-star reviews apart); train {sizes['train']:,}, valid "
            f"{sizes['valid']:,}; split seed {split.seed}")


def checkpoint_reports(predictor: SentimentPredictor, split: SentimentSplit) -> list[SentimentReport]:
    """The checkpoint's rows: its scores, binary and served, and the share of held-out 3-star reviews it calls neutral.

    The checkpoint is a fine-tuned MiniLM, its ensemble with the TF-IDF + LR (then each side alone
    follows, binary only), or a TF-IDF model of `train sentiment-tfidf` (it describes itself).
    """
    ensemble = getattr(predictor, "ensemble", None)
    if hasattr(predictor, "describe"):
        name = predictor.describe()
    elif ensemble is not None:
        name = f"Ensemble {predictor.version} (deployed: {ensemble.describe()})"
    else:
        name = f"MiniLM fine-tuned {predictor.version}"
    report = with_served(score_test(name, predictor.positive_probability, split), predictor_labeller(predictor), split)
    neutral = split.test_neutral["text"].tolist() if split.test_neutral is not None else []
    reports = [replace(report, neutral_labelled=neutral_share([p.label for p in predictor.predict(neutral)]))]
    if ensemble is not None:
        reports += [score_test("- its MiniLM alone", predictor.model_alone().positive_probability, split),
                    score_test("- its TF-IDF + logistic regression alone",
                               lambda texts: 1 / (1 + np.exp(-ensemble.linear.log_odds(texts))), split)]
    return reports


def neutral_share(labels: Sequence[str]) -> float | None:
    """The share of ``labels`` that are "neutral" (None for no labels)."""
    return sum(label == NEUTRAL_NAME for label in labels) / len(labels) if labels else None


EVALUATION = LanguageEvaluation(TABLE, describe_split, checkpoint_reports, "en")
