"""Mix a neural model with a TF-IDF + logistic regression in log-odds: the math both languages' ensembles share.

With ``z_model`` the neural model's log-odds of positive and ``z_linear`` the linear model's,
each first divided by its own temperature fitted on the validation reviews::

    z = w * z_model / T_model + (1 - w) * z_linear / T_linear
    P(positive) = sigmoid(z / T)

Log-odds rather than probabilities are mixed because a confident expert then counts for more
(a weighted product of experts) and one temperature T calibrates the mix as it calibrates a
model alone. Each side is calibrated before mixing because their raw scales differ; after
calibration ``w`` weighs comparable evidence. ``fit_mix`` chooses ``w`` on validation
(``WEIGHT_GRID``, by macro-F1 at P >= 0.5) and fits the temperatures there; it never sees test
reviews. ``chinese/ensemble.py`` and ``english/ensemble.py`` hold the linear side and serve it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch

from shopmodels.sentiment.labels import NEGATIVE, POSITIVE
from shopmodels.sentiment.training import classification_scores, fit_temperature

WEIGHT_GRID = tuple(step / 20 for step in range(21))  # float: neural-model weights w tried, 0 to 1 by 0.05


@dataclass(frozen=True)
class LogOddsMix:
    """How a model's and a linear model's log-odds are mixed, and how the mix did on validation."""

    weight: float  # w: the neural model's share of the mixed (calibrated) log-odds; 1 - w is the linear model's
    linear_temperature: float  # T_linear: divides the linear model's log-odds before mixing
    temperature: float  # T: divides the mixed log-odds before the sigmoid
    valid_accuracy: float  # of the mix on the validation reviews, at P(positive) >= 0.5
    valid_macro_f1: float

    def logits(self, model_logits: torch.Tensor, model_temperature: float,
               linear_log_odds: torch.Tensor) -> torch.Tensor:
        """The mixed logits ``[N, 2]`` (fp32, before ``temperature``) of model logits ``[N, 2]`` and linear ``[N]``."""
        mixed = mix_log_odds(self.weight, log_odds(model_logits.double()) / model_temperature,
                             linear_log_odds.double() / self.linear_temperature)
        return as_logits(mixed).float()

    def to_checkpoint(self) -> dict[str, Any]:
        """Plain floats, for a checkpoint's ``extra``."""
        return asdict(self)

    @classmethod
    def from_checkpoint(cls, stored: dict[str, Any]) -> LogOddsMix:
        """Rebuild from ``to_checkpoint``'s dict (extra keys, like a stored linear model, are ignored)."""
        return cls(*(float(stored[name]) for name in ("weight", "linear_temperature", "temperature",
                                                      "valid_accuracy", "valid_macro_f1")))


class LinearEnsemble:
    """A linear model (anything with ``log_odds(texts) -> [N]``) and its ``LogOddsMix`` with a neural model.

    The languages' ensembles subclass it to say what their linear side is and how it is stored.
    """

    def __init__(self, linear: Any, mix: LogOddsMix) -> None:
        self.linear, self.mix = linear, mix

    weight = property(lambda self: self.mix.weight, doc="w: the neural model's share of the mix")
    linear_temperature = property(lambda self: self.mix.linear_temperature, doc="T_linear")
    temperature = property(lambda self: self.mix.temperature, doc="T: divides the mixed log-odds")
    valid_accuracy = property(lambda self: self.mix.valid_accuracy, doc="the mix's validation accuracy")
    valid_macro_f1 = property(lambda self: self.mix.valid_macro_f1, doc="the mix's validation macro-F1")

    def logits(self, model_logits: torch.Tensor, model_temperature: float, texts: list[str]) -> torch.Tensor:
        """The mixed logits ``[N, 2]`` (fp32, before ``temperature``) for the model's logits ``[N, 2]`` of ``texts``."""
        return self.mix.logits(model_logits, model_temperature, torch.from_numpy(self.linear.log_odds(texts)))

    def describe_mix(self, model_name: str, linear_name: str) -> str:
        """The mix in words, e.g. ``w=0.55 MiniLM, 0.45 TF-IDF + LR (C=16)``."""
        return f"w={self.weight:.2f} {model_name}, {1 - self.weight:.2f} {linear_name}"


def fit_mix(model_logits: torch.Tensor, model_temperature: float, linear_log_odds: torch.Tensor,
            labels: torch.Tensor) -> LogOddsMix:
    """The mix of validation model logits ``[V, 2]`` and linear log-odds ``[V]`` best on ``labels`` ``[V]``.

    ``model_temperature`` is the one fitted for the model alone on the same reviews.
    """
    linear_temperature = fit_temperature(as_logits(linear_log_odds.double()).float(), labels)
    model_z = log_odds(model_logits.double()) / model_temperature
    linear_z = linear_log_odds.double() / linear_temperature
    weight = choose_weight(model_z, linear_z, labels)
    mixed = as_logits(mix_log_odds(weight, model_z, linear_z)).float()
    accuracy, macro_f1 = classification_scores(mixed, labels)
    return LogOddsMix(weight, linear_temperature, fit_temperature(mixed, labels), accuracy, macro_f1)


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
