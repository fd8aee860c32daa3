"""The deployed Chinese model: the neural model and the character n-gram TF-IDF + LR, mixed in log-odds.

With ``z_model`` the neural model's log-odds of positive and ``z_linear``
the TF-IDF + logistic regression's (``linear.py``), each first divided by
its own temperature fitted on the validation reviews::

    z = w * z_model / T_model + (1 - w) * z_linear / T_linear
    P(positive) = sigmoid(z / T)

Log-odds rather than probabilities are mixed because (1) the neural model
already mixes its own two branches that way (a weighted product of experts,
where a confident expert counts for more), and (2) one temperature T can
then calibrate the mix, as it calibrates the model alone. Each side is
calibrated before mixing because their raw scales differ (on the full
corpus the network's log-odds spread about twice as wide as the LR's; the
network needs T > 1, the regularised LR T < 1): after calibration ``w``
weighs comparable evidence, and the useful weights lie mid-grid, where the
grid's steps are finest as ratios ``w / (1 - w)``.

``fit_ensemble`` reads ``split.train`` (the LR's fit) and ``split.valid``
(the LR's C, the temperatures and w, chosen by macro-F1); never ``split.test``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch

from shopmodels.sentiment.baseline import fit_baseline
from shopmodels.sentiment.chinese.evaluation import BASELINE
from shopmodels.sentiment.chinese.features import Featurizer, TokenVocabulary
from shopmodels.sentiment.chinese.linear import CharNgramLogisticRegression
from shopmodels.sentiment.chinese.model import ChineseSentimentModel
from shopmodels.sentiment.chinese.training import model_logits
from shopmodels.sentiment.labels import NEGATIVE, POSITIVE
from shopmodels.sentiment.split import SentimentSplit
from shopmodels.sentiment.training import classification_scores, fit_temperature

if TYPE_CHECKING:
    from tokenizers import Tokenizer

WEIGHT_GRID = tuple(step / 20 for step in range(21))  # float: neural-model weights w tried, 0 to 1 by 0.05


@dataclass(frozen=True, eq=False)
class ChineseEnsemble:
    """The TF-IDF + LR side of the deployed model and how it is mixed with the neural model's log-odds."""

    linear: CharNgramLogisticRegression
    weight: float  # w: the neural model's share of the mixed (calibrated) log-odds; 1 - w is the LR's
    linear_temperature: float  # T_linear: divides the LR's log-odds before mixing
    temperature: float  # T: divides the mixed log-odds before the sigmoid
    valid_accuracy: float  # of the mix on the validation reviews, at P(positive) >= 0.5
    valid_macro_f1: float

    def logits(self, model_output: torch.Tensor, model_temperature: float, texts: list[str]) -> torch.Tensor:
        """The mixed logits ``[N, 2]`` (fp32, before ``temperature``) for the model's logits ``[N, 2]`` of ``texts``."""
        linear = torch.from_numpy(self.linear.log_odds(texts))
        mixed = mix_log_odds(self.weight, log_odds(model_output.double()) / model_temperature,
                             linear / self.linear_temperature)
        return as_logits(mixed).float()

    def describe(self) -> str:
        """The mix in words, e.g. ``w=0.55 transformer + n-gram bag, 0.45 TF-IDF + LR (char 1-3 grams, C=4)``."""
        low, high = self.linear.ngram_range
        return (f"w={self.weight:.2f} transformer + n-gram bag, {1 - self.weight:.2f} TF-IDF + LR "
                f"(char {low}-{high} grams, C={self.linear.c:g})")

    def to_checkpoint(self) -> dict[str, Any]:
        """Plain types and tensors only, for a checkpoint's ``extra``."""
        return {"linear": self.linear.to_checkpoint(), "weight": self.weight,
                "linear_temperature": self.linear_temperature, "temperature": self.temperature,
                "valid_accuracy": self.valid_accuracy, "valid_macro_f1": self.valid_macro_f1}

    @classmethod
    def from_checkpoint(cls, stored: dict[str, Any]) -> ChineseEnsemble:
        """Rebuild from ``to_checkpoint``'s dict."""
        return cls(CharNgramLogisticRegression.from_checkpoint(stored["linear"]), float(stored["weight"]),
                   float(stored["linear_temperature"]), float(stored["temperature"]),
                   float(stored["valid_accuracy"]), float(stored["valid_macro_f1"]))


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
    linear_log_odds = torch.from_numpy(linear.log_odds(valid_texts))
    linear_temperature = fit_temperature(as_logits(linear_log_odds).float(), labels)
    model_z = log_odds(logits.double()) / model_temperature
    linear_z = linear_log_odds / linear_temperature
    weight = choose_weight(model_z, linear_z, labels)
    mixed = as_logits(mix_log_odds(weight, model_z, linear_z)).float()
    accuracy, macro_f1 = classification_scores(mixed, labels)
    return ChineseEnsemble(linear, weight, linear_temperature, fit_temperature(mixed, labels), accuracy, macro_f1)


def choose_weight(model_z: torch.Tensor, linear_z: torch.Tensor, labels: torch.Tensor,
                  grid: tuple[float, ...] = WEIGHT_GRID) -> float:
    """The w in ``grid`` whose mix of the (calibrated) log-odds ``[V]`` has the best macro-F1 on ``labels``.

    The first in ``grid`` order wins a tie (with the default grid: the
    smallest w, leaning on the simpler linear model).
    """
    scores = [classification_scores(as_logits(mix_log_odds(w, model_z, linear_z)), labels)[1] for w in grid]
    return grid[scores.index(max(scores))]


def mix_log_odds(weight: float, model_z: torch.Tensor, linear_z: torch.Tensor) -> torch.Tensor:
    """``weight * model_z + (1 - weight) * linear_z``, elementwise: ``[N]``."""
    return weight * model_z + (1 - weight) * linear_z


def log_odds(logits: torch.Tensor) -> torch.Tensor:
    """ln(P(positive) / P(negative)) of two-class logits ``[N, 2]``: ``[N]``."""
    return logits[:, POSITIVE] - logits[:, NEGATIVE]


def as_logits(values: torch.Tensor) -> torch.Tensor:
    """Two-class logits ``[N, 2]`` whose log-odds are ``values`` ``[N]`` (the negative column is 0)."""
    logits = torch.zeros(len(values), 2, dtype=values.dtype)
    logits[:, POSITIVE] = values
    return logits
