"""Score English review sentiment from a checkpoint: the fine-tuned MiniLM behind the shared predictor.

Batching, the temperature and the neutral band are ``BatchedSentimentPredictor``'s
(``shopmodels/sentiment/predictor.py``); this adds loading, the tokenizer and the forward pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import torch

from shopmodels.sentiment.english.model import SentimentClassifier, load_tokenizer
from shopmodels.sentiment.english.registry import load_sentiment
from shopmodels.sentiment.predictor import BatchedSentimentPredictor, SentimentPrediction

if TYPE_CHECKING:
    from transformers import BatchEncoding, PreTrainedTokenizerBase

    from shopmodels.checkpoints import Checkpoint

__all__ = ["SentimentPrediction", "SentimentPredictor"]


class SentimentPredictor(BatchedSentimentPredictor):
    """Batched sentiment from one fine-tuned MiniLM classifier and its temperature."""

    def __init__(self, model: SentimentClassifier, tokenizer: PreTrainedTokenizerBase, *, temperature: float,
                 version: str, device: str = "auto") -> None:
        super().__init__(model, temperature=temperature, version=version, device=device)
        self.tokenizer = tokenizer

    @classmethod
    def from_checkpoint(cls, path: Path, device: str = "auto") -> SentimentPredictor:
        """Load a sentiment checkpoint; ``device`` is "auto" (CUDA if available), "cpu", "cuda"..."""
        model, checkpoint = load_sentiment(path)
        return cls.from_loaded(model, checkpoint, load_tokenizer(), device)

    @classmethod
    def from_loaded(cls, model: SentimentClassifier, checkpoint: Checkpoint, tokenizer: PreTrainedTokenizerBase,
                    device: str = "auto") -> SentimentPredictor:
        """The predictor for what ``load_sentiment`` returned."""
        return cls(model, tokenizer, temperature=checkpoint.extra["temperature"], version=checkpoint.version,
                   device=device)

    def preprocess(self, texts: list[str]) -> BatchEncoding:
        """Tokenise, truncate to the model's ``max_tokens`` and pad to the longest, on the model's device."""
        encoded = self.tokenizer(texts, padding=True, truncation=True, max_length=self.model.config.max_tokens,
                                 return_tensors="pt")
        return encoded.to(self.device)

    def _forward(self, encoded: BatchEncoding) -> torch.Tensor:
        """Class logits ``[B, 2]``, fp32 on the CPU."""
        return self._model_logits(encoded["input_ids"], encoded["attention_mask"])
