"""Fit a language's TF-IDF + logistic regression as a servable sentiment model, and serve it.

``fit_tfidf_sentiment`` reads ``split.train`` (the pipelines) and ``split.valid`` (and the
validation 3-star reviews where the corpus has them), never ``split.test``:

1. ``fit_baseline`` chooses the recipe's setting (C, class weighting) by validation macro-F1;
2. a temperature is fitted to its validation log-odds (NLL), so P(positive) is calibrated like
   the neural models' (Guo et al., 2017);
3. ``choose_band`` picks the neutral band by served macro-F1 on validation.

``TfidfSentimentPredictor`` serves the result with the neural predictors' interface
(``predict`` -> ``SentimentPrediction``, ``positive_probability``, ``version``, ``device``). It runs
on the CPU with numpy: a few thousand short reviews a second, no torch model involved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from shopmodels.sentiment.baseline import Baseline, BaselineRecipe, fit_baseline
from shopmodels.sentiment.neutral_band import NeutralBand, band_on_validation
from shopmodels.sentiment.predictor import SentimentPrediction
from shopmodels.sentiment.split import SentimentSplit
from shopmodels.sentiment.tfidf.linear import TfidfLogistic

LANGUAGES = ("en", "zh")  # languages a TF-IDF recipe exists for


def recipe_for(language: str) -> BaselineRecipe:
    """The language's baseline recipe (``english/evaluation.py`` or ``chinese/evaluation.py``)."""
    if language == "en":
        from shopmodels.sentiment.english.evaluation import BASELINE
    elif language == "zh":
        from shopmodels.sentiment.chinese.evaluation import BASELINE
    else:
        raise ValueError(f"No TF-IDF sentiment recipe for language {language!r}; use one of {', '.join(LANGUAGES)}.")
    return BASELINE


@dataclass(frozen=True, eq=False)
class TfidfSentiment:
    """A fitted baseline made servable: its arrays, calibration and neutral band, and how validation chose them."""

    language: str  # "en" or "zh": picks the text normalisation of the language's recipe
    linear: TfidfLogistic
    setting: str  # the chosen setting in words, e.g. "C=16, class_weight=balanced"
    temperature: float  # divides the log-odds before the sigmoid
    band: NeutralBand
    valid_macro_f1: float  # binary, at P >= 0.5
    valid_served_macro_f1: float  # of the served labels (band included)

    def positive_probability(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated P(positive) per text: ``[N]`` float64 (texts normalised as in training)."""
        return 1.0 / (1.0 + np.exp(-self.linear.log_odds(_normalised(list(texts), self.language)) / self.temperature))


def fit_tfidf_sentiment(split: SentimentSplit, language: str) -> tuple[TfidfSentiment, Baseline]:
    """The servable model of ``language`` fitted on ``split`` (module docstring), and the pipeline it came from."""
    from shopmodels.sentiment.training import fit_temperature

    baseline = fit_baseline(split, recipe_for(language))
    linear = TfidfLogistic.from_pipeline(baseline.pipeline)
    log_odds = torch.from_numpy(linear.log_odds(_normalised(split.valid["text"].tolist(), language))).float()
    logits = torch.stack([torch.zeros_like(log_odds), log_odds], dim=1)  # [V, 2]: column 1 is positive
    temperature = fit_temperature(logits, torch.tensor(split.valid["label"].to_numpy()))
    unbanded = TfidfSentiment(language, linear, baseline.describe(), temperature, NeutralBand(0.5, 0.5),
                              baseline.valid_macro_f1, float("nan"))
    band, served = band_on_validation(unbanded.positive_probability, split)
    return TfidfSentiment(language, linear, baseline.describe(), temperature, band, baseline.valid_macro_f1,
                          served), baseline


class TfidfSentimentPredictor:
    """Serves a ``TfidfSentiment`` like the neural predictors: labels with its band, calibrated P(positive)."""

    device = "cpu"

    def __init__(self, model: TfidfSentiment, version: str) -> None:
        self.model, self.version = model, version

    def positive_probability(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Calibrated P(positive) per text: ``[N]`` float64, in input order (``batch_size`` is not needed)."""
        return self.model.positive_probability(texts)

    def predict(self, texts: Sequence[str], batch_size: int = 64) -> list[SentimentPrediction]:
        """One prediction per text, in order."""
        return [SentimentPrediction(self.model.band.label(float(p)), float(p))
                for p in self.positive_probability(texts)]

    def describe(self) -> str:
        """What it is in words, for eval tables."""
        return f"TF-IDF + logistic regression {self.version} ({self.model.setting}; {self.model.band.describe()})"


def _normalised(texts: list[str], language: str) -> list[str]:
    """``texts`` normalised by the language's recipe."""
    normalise = recipe_for(language).normalise
    return [normalise(text) for text in texts] if normalise is not None else texts

