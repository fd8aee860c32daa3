"""The English ensemble: the fine-tuned MiniLM and the word TF-IDF + LR baseline, mixed in log-odds.

The mix is ``mixing.py``'s, as for the Chinese model: each side's log-odds divided by its own
validation temperature, mixed with the weight ``w`` chosen on validation (macro-F1), then one
more temperature. The linear side is the baseline's recipe (``english/evaluation.py``: word 1-2
grams, C and class weighting chosen on validation) held as arrays (``tfidf/linear.py``), so a
checkpoint loads it with ``weights_only=True``.

``fit_english_ensemble`` reads ``split.train`` (the LR's fit) and ``split.valid`` (its setting,
the temperatures and w); never ``split.test``.
"""

from __future__ import annotations

from typing import Any

import torch

from shopmodels.sentiment.baseline import fit_baseline
from shopmodels.sentiment.english.evaluation import BASELINE
from shopmodels.sentiment.mixing import LinearEnsemble, LogOddsMix, fit_mix
from shopmodels.sentiment.split import SentimentSplit
from shopmodels.sentiment.tfidf.linear import TfidfLogistic


class EnglishEnsemble(LinearEnsemble):
    """The word TF-IDF + LR side of a deployed English model and its mix with the fine-tuned MiniLM."""

    linear: TfidfLogistic

    def __init__(self, linear: TfidfLogistic, mix: LogOddsMix, setting: str) -> None:
        super().__init__(linear, mix)
        self.setting = setting  # the LR's setting chosen on validation, in words (e.g. "C=16, class_weight=none")

    def describe(self) -> str:
        """The mix in words, e.g. ``w=0.60 MiniLM, 0.40 TF-IDF + LR (C=16, class_weight=balanced)``."""
        return self.describe_mix("MiniLM", f"TF-IDF + LR ({self.setting})")

    def to_checkpoint(self) -> dict[str, Any]:
        """Plain types and tensors only, for a checkpoint's ``extra``."""
        settings, tensors, ngrams = self.linear.to_checkpoint()
        return {"linear": {"settings": settings, "tensors": tensors, "ngrams": ngrams}, "setting": self.setting,
                **self.mix.to_checkpoint()}

    @classmethod
    def from_checkpoint(cls, stored: dict[str, Any]) -> EnglishEnsemble:
        """Rebuild from ``to_checkpoint``'s dict."""
        linear = stored["linear"]
        return cls(TfidfLogistic.from_checkpoint(linear["settings"], linear["tensors"], linear["ngrams"]),
                   LogOddsMix.from_checkpoint(stored), str(stored["setting"]))


def fit_english_ensemble(split: SentimentSplit, valid_logits: torch.Tensor,
                         model_temperature: float) -> EnglishEnsemble:
    """Fit the TF-IDF + LR on ``split.train`` and its mix with a model on ``split.valid``.

    ``valid_logits`` ``[V, 2]`` are the model's logits of ``split.valid`` in order, and
    ``model_temperature`` the temperature fitted for the model alone on them.
    """
    baseline = fit_baseline(split, BASELINE)
    linear = TfidfLogistic.from_pipeline(baseline.pipeline)
    linear_log_odds = torch.from_numpy(linear.log_odds(split.valid["text"].tolist()))
    mix = fit_mix(valid_logits, model_temperature, linear_log_odds, torch.tensor(split.valid["label"].to_numpy()))
    return EnglishEnsemble(linear, mix, baseline.describe())
