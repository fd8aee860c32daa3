"""Score review sentiment from a checkpoint: texts in, (label, calibrated P(positive)) out.

``preprocess -> _forward -> postprocess``: the predictor alone picks the
device, the dtype (bf16 autocast on CUDA, fp32 on the CPU) and runs
``inference_mode``. Texts are batched by similar length and returned in
input order.

"Calibrated" means temperature scaling (Guo et al., 2017): the logits are
divided by one temperature fitted on the validation split by minimising
the negative log-likelihood, so that among reviews scored about 0.8
positive, about 80% are positive (on data like the validation reviews).
The label comes from that probability: below ``neutral_low`` "negative",
from ``neutral_high`` up "positive", in between "neutral".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

from shopmodels.devices import choose_device, inference_autocast
from shopmodels.sentiment.english.data import NEUTRAL_NAME, POSITIVE
from shopmodels.sentiment.english.model import SentimentClassifier, load_tokenizer
from shopmodels.sentiment.english.registry import load_sentiment

if TYPE_CHECKING:
    from transformers import BatchEncoding, PreTrainedTokenizerBase


@dataclass(frozen=True)
class SentimentPrediction:
    """One review's sentiment."""

    label: str  # "positive", "negative" or "neutral"
    positive_probability: float  # calibrated P(positive) in [0, 1], whatever the label


class SentimentPredictor:
    """Batched sentiment from one fine-tuned MiniLM classifier and its temperature."""

    def __init__(self, model: SentimentClassifier, tokenizer: PreTrainedTokenizerBase, *, temperature: float,
                 version: str, device: str = "auto") -> None:
        self.device = choose_device(device)
        self.model = model.to(self.device).eval()
        self.tokenizer = tokenizer
        self.temperature = temperature
        self.version = version

    @classmethod
    def from_checkpoint(cls, path: Path, device: str = "auto") -> SentimentPredictor:
        """Load a sentiment checkpoint; ``device`` is "auto" (CUDA if available), "cpu", "cuda"..."""
        model, checkpoint = load_sentiment(path)
        return cls(model, load_tokenizer(), temperature=checkpoint.extra["temperature"],
                   version=checkpoint.version, device=device)

    def predict(self, texts: Sequence[str], batch_size: int = 64) -> list[SentimentPrediction]:
        """Return one prediction per text, in order (an empty list for no texts)."""
        probabilities = self.positive_probability(texts, batch_size)
        return [self._prediction(float(p)) for p in probabilities]

    def positive_probability(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Calibrated P(positive) per text: ``[N]`` float64, in input order."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad less
        probabilities = np.zeros(len(texts))
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            probabilities[rows] = self.postprocess(self._forward(self.preprocess([texts[i] for i in rows])))
        return probabilities

    def preprocess(self, texts: list[str]) -> BatchEncoding:
        """Tokenise, truncate to the model's ``max_tokens`` and pad to the longest, on the model's device."""
        encoded = self.tokenizer(texts, padding=True, truncation=True, max_length=self.model.config.max_tokens,
                                 return_tensors="pt")
        return encoded.to(self.device)

    def _forward(self, encoded: BatchEncoding) -> torch.Tensor:
        """Class logits ``[B, 2]``, fp32 on the CPU."""
        autocast = inference_autocast(self.device)
        with torch.inference_mode(), autocast:
            logits = self.model(encoded["input_ids"], encoded["attention_mask"])  # [B, 2]
        return logits.float().cpu()

    def postprocess(self, logits: torch.Tensor) -> np.ndarray:
        """Temperature-scaled softmax: calibrated P(positive) per row, ``[B]`` float64."""
        return torch.softmax(logits / self.temperature, dim=1)[:, POSITIVE].double().numpy()

    def _prediction(self, positive: float) -> SentimentPrediction:
        """Label one probability with the config's neutral band."""
        config = self.model.config
        if positive < config.neutral_low:
            return SentimentPrediction("negative", positive)
        if positive >= config.neutral_high:
            return SentimentPrediction("positive", positive)
        return SentimentPrediction(NEUTRAL_NAME, positive)
