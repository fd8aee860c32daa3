"""Serve review sentiment for either language: texts in, (label, calibrated P(positive)) out.

``BatchedSentimentPredictor`` is what both languages' predictors share (``english/predictor.py``,
``chinese/predictor.py`` add loading, featurising and the forward pass):
``preprocess -> _forward -> postprocess``, where the predictor alone picks the device, the dtype
(bf16 autocast on CUDA, fp32 on the CPU) and runs ``inference_mode``. Texts are batched by
similar length (``length_ordered_batches``) and returned in input order.

"Calibrated" means temperature scaling (Guo et al., 2017): the logits are divided by one
temperature fitted on the validation split by minimising the negative log-likelihood, so that
among reviews scored about 0.8 positive, about 80% are positive (on data like the validation
reviews). The label comes from that probability and the model's neutral band: below
``neutral_low`` "negative", from ``neutral_high`` up "positive", in between "neutral".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from shopmodels.devices import choose_device, inference_autocast
from shopmodels.sentiment.labels import POSITIVE
from shopmodels.sentiment.neutral_band import NeutralBand


@dataclass(frozen=True)
class SentimentPrediction:
    """One review's sentiment."""

    label: str  # "positive", "negative" or "neutral"
    positive_probability: float  # calibrated P(positive) in [0, 1], whatever the label


def length_ordered_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Row indices sorted by ``lengths`` (shortest first, ties in input order), cut into batches."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    return [order[start:start + batch_size] for start in range(0, len(order), batch_size)]


class BatchedSentimentPredictor:
    """Batching, temperature and neutral band of a sentiment predictor; subclasses featurise and run the model.

    ``model`` is a two-class classifier whose ``config`` has ``neutral_low`` and ``neutral_high``.
    """

    def __init__(self, model: nn.Module, *, temperature: float, version: str, device: str = "auto") -> None:
        self.device = choose_device(device)
        self.model = model.to(self.device).eval()
        self.temperature = temperature  # divides the logits before the softmax
        self.version = version

    def predict(self, texts: Sequence[str], batch_size: int = 64) -> list[SentimentPrediction]:
        """Return one prediction per text, in order (an empty list for no texts)."""
        probabilities = self.positive_probability(texts, batch_size)
        return [self._prediction(float(p)) for p in probabilities]

    def positive_probability(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Calibrated P(positive) per text: ``[N]`` float64, in input order."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        probabilities = np.zeros(len(texts))
        for rows in length_ordered_batches([len(text) for text in texts], batch_size):  # similar lengths pad less
            probabilities[rows] = self.postprocess(self._forward(self.preprocess([texts[i] for i in rows])))
        return probabilities

    def preprocess(self, texts: list[str]) -> Any:
        """The model's inputs for ``texts``, on the model's device."""
        raise NotImplementedError

    def _forward(self, inputs: Any) -> torch.Tensor:
        """Class logits ``[B, 2]``, fp32 on the CPU, for ``preprocess``'s output."""
        raise NotImplementedError

    def _model_logits(self, *tensors: torch.Tensor) -> torch.Tensor:
        """The model's logits ``[B, 2]`` for ``tensors`` in ``inference_mode`` and the device's dtype; fp32, CPU."""
        with torch.inference_mode(), inference_autocast(self.device):
            logits = self.model(*tensors)  # [B, 2]
        return logits.float().cpu()

    def postprocess(self, logits: torch.Tensor) -> np.ndarray:
        """Temperature-scaled softmax: calibrated P(positive) per row, ``[B]`` float64."""
        return torch.softmax(logits / self.temperature, dim=1)[:, POSITIVE].double().numpy()

    def _prediction(self, positive: float) -> SentimentPrediction:
        """Label one probability with the config's neutral band."""
        config = self.model.config
        return SentimentPrediction(NeutralBand(config.neutral_low, config.neutral_high).label(positive), positive)
