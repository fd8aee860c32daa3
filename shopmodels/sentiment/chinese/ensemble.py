"""The deployed Chinese model: fine-tuned multilingual-e5-small and the character n-gram TF-IDF + LR, mixed in log-odds.

The mix is ``mixing.py``'s (shared with the English ensemble): each side's log-odds divided by
its own validation temperature, mixed with the weight ``w`` chosen on validation, then one more
temperature. Calibrating before mixing matters because the two sides' raw log-odds spread
differently.

``fit_ensemble`` reads ``split.train`` (the LR's fit) and ``split.valid``
(the LR's C, the temperatures and w, chosen by macro-F1); never ``split.test``.
"""

from __future__ import annotations

from typing import Any

import torch

from shopmodels.sentiment.baseline import fit_baseline
from shopmodels.sentiment.chinese.config import MODEL_NAME
from shopmodels.sentiment.chinese.evaluation import BASELINE
from shopmodels.sentiment.chinese.linear import CharNgramLogisticRegression
from shopmodels.sentiment.mixing import LinearEnsemble, LogOddsMix, fit_mix
from shopmodels.sentiment.split import SentimentSplit


class ChineseEnsemble(LinearEnsemble):
    """The character n-gram TF-IDF + LR side of the deployed model and its mix with the neural model."""

    linear: CharNgramLogisticRegression

    def describe(self, model_name: str = MODEL_NAME) -> str:
        """The mix in words, e.g. ``w=0.70 multilingual-e5-small, 0.30 TF-IDF + LR (char 1-3 grams, C=4)``.

        ``model_name`` names the neural side (an average of several models says so).
        """
        low, high = self.linear.ngram_range
        return self.describe_mix(model_name, f"TF-IDF + LR (char {low}-{high} grams, C={self.linear.c:g})")

    def to_checkpoint(self) -> dict[str, Any]:
        """Plain types and tensors only, for a checkpoint's ``extra``."""
        return {"linear": self.linear.to_checkpoint(), **self.mix.to_checkpoint()}

    @classmethod
    def from_checkpoint(cls, stored: dict[str, Any]) -> ChineseEnsemble:
        """Rebuild from ``to_checkpoint``'s dict."""
        return cls(CharNgramLogisticRegression.from_checkpoint(stored["linear"]), LogOddsMix.from_checkpoint(stored))


def fit_ensemble(split: SentimentSplit, valid_logits: torch.Tensor, model_temperature: float,
                 linear: CharNgramLogisticRegression | None = None) -> ChineseEnsemble:
    """Fit the TF-IDF + LR on ``split.train`` (unless ``linear`` is one already fitted there) and its mix with
    the model on ``split.valid``.

    ``valid_logits`` ``[V, 2]`` are the model's logits of ``split.valid`` in order, and
    ``model_temperature`` the temperature fitted for the model alone on them.
    """
    valid_texts = split.valid["text"].tolist()
    if linear is None:
        baseline = fit_baseline(split, BASELINE)
        linear = CharNgramLogisticRegression.from_pipeline(baseline.pipeline, baseline.c)
    labels = torch.tensor(split.valid["label"].to_numpy())
    return ChineseEnsemble(linear, fit_mix(valid_logits, model_temperature,
                                           torch.from_numpy(linear.log_odds(valid_texts)), labels))
