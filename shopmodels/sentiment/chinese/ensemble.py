"""The deployed Chinese model: the neural model and the character n-gram TF-IDF + LR, mixed in log-odds.

The mix is ``mixing.py``'s (shared with the English ensemble): each side's log-odds divided by
its own validation temperature, mixed with the weight ``w`` chosen on validation, then one more
temperature. Here the network's log-odds spread about twice as wide as the LR's (the network
needs T > 1, the regularised LR T < 1), so calibrating before mixing matters.

``fit_ensemble`` reads ``split.train`` (the LR's fit) and ``split.valid``
(the LR's C, the temperatures and w, chosen by macro-F1); never ``split.test``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch

from shopmodels.sentiment.baseline import fit_baseline
from shopmodels.sentiment.chinese.evaluation import BASELINE
from shopmodels.sentiment.chinese.features import Featurizer, TokenVocabulary
from shopmodels.sentiment.chinese.linear import CharNgramLogisticRegression
from shopmodels.sentiment.chinese.model import ChineseSentimentModel
from shopmodels.sentiment.chinese.training import model_logits
from shopmodels.sentiment.mixing import (WEIGHT_GRID, LinearEnsemble, LogOddsMix, as_logits, choose_weight,
                                         fit_mix, log_odds, mix_log_odds)
from shopmodels.sentiment.split import SentimentSplit

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["WEIGHT_GRID", "ChineseEnsemble", "as_logits", "choose_weight", "fit_ensemble", "log_odds", "mix_log_odds"]


class ChineseEnsemble(LinearEnsemble):
    """The character n-gram TF-IDF + LR side of the deployed model and its mix with the neural model."""

    linear: CharNgramLogisticRegression

    def describe(self) -> str:
        """The mix in words, e.g. ``w=0.55 transformer + n-gram bag, 0.45 TF-IDF + LR (char 1-3 grams, C=4)``."""
        low, high = self.linear.ngram_range
        return self.describe_mix("transformer + n-gram bag", f"TF-IDF + LR (char {low}-{high} grams, "
                                                              f"C={self.linear.c:g})")

    def to_checkpoint(self) -> dict[str, Any]:
        """Plain types and tensors only, for a checkpoint's ``extra``."""
        return {"linear": self.linear.to_checkpoint(), **self.mix.to_checkpoint()}

    @classmethod
    def from_checkpoint(cls, stored: dict[str, Any]) -> ChineseEnsemble:
        """Rebuild from ``to_checkpoint``'s dict."""
        return cls(CharNgramLogisticRegression.from_checkpoint(stored["linear"]), LogOddsMix.from_checkpoint(stored))


def fit_ensemble(split: SentimentSplit, model: ChineseSentimentModel, vocabulary: TokenVocabulary,
                 tokenizer: Tokenizer, model_temperature: float) -> ChineseEnsemble:
    """Fit the TF-IDF + LR on ``split.train`` and its mix with the trained ``model`` on ``split.valid``.

    ``model_temperature`` is the one fitted for the model alone (on the same validation reviews).
    """
    valid_texts = split.valid["text"].tolist()
    logits = model_logits(model, Featurizer(tokenizer, vocabulary, model.config).examples(valid_texts))  # [V, 2]
    baseline = fit_baseline(split, BASELINE)
    linear = CharNgramLogisticRegression.from_pipeline(baseline.pipeline, baseline.c)
    labels = torch.tensor(split.valid["label"].to_numpy())
    return ChineseEnsemble(linear, fit_mix(logits, model_temperature,
                                           torch.from_numpy(linear.log_odds(valid_texts)), labels))
