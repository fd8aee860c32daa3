"""Score English review sentiment from a checkpoint: the fine-tuned MiniLM behind the shared predictor.

Batching, the temperature and the neutral band are ``BatchedSentimentPredictor``'s
(``shopmodels/sentiment/predictor.py``); this adds loading, the tokenizer and the forward pass.
A checkpoint holding an ``ensemble`` (``ensemble.py``) is served as one: MiniLM's log-odds mixed
with the word TF-IDF + LR's, as ``eval sentiment`` scores it; one without serves MiniLM alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import torch

from shopmodels.sentiment.english.ensemble import EnglishEnsemble
from shopmodels.sentiment.english.model import SentimentClassifier, load_tokenizer
from shopmodels.sentiment.english.registry import load_ensemble, load_sentiment
from shopmodels.sentiment.predictor import BatchedSentimentPredictor, SentimentPrediction

if TYPE_CHECKING:
    from transformers import BatchEncoding, PreTrainedTokenizerBase

    from shopmodels.checkpoints import Checkpoint

__all__ = ["SentimentPrediction", "SentimentPredictor"]


class SentimentPredictor(BatchedSentimentPredictor):
    """Batched sentiment from one fine-tuned MiniLM classifier (and, when given, its ensemble) and temperatures.

    ``temperature`` is MiniLM's; with an ``ensemble`` the mix's temperature is applied instead.
    """

    def __init__(self, model: SentimentClassifier, tokenizer: PreTrainedTokenizerBase, *, temperature: float,
                 version: str, device: str = "auto", ensemble: EnglishEnsemble | None = None) -> None:
        super().__init__(model, temperature=temperature if ensemble is None else ensemble.temperature,
                         version=version, device=device)
        self.tokenizer = tokenizer
        self.model_temperature = temperature
        self.ensemble = ensemble

    @classmethod
    def from_checkpoint(cls, path: Path, device: str = "auto") -> SentimentPredictor:
        """Load a sentiment checkpoint; ``device`` is "auto" (CUDA if available), "cpu", "cuda"..."""
        model, checkpoint = load_sentiment(path)
        return cls.from_loaded(model, checkpoint, load_tokenizer(), device)

    @classmethod
    def from_loaded(cls, model: SentimentClassifier, checkpoint: Checkpoint, tokenizer: PreTrainedTokenizerBase,
                    device: str = "auto") -> SentimentPredictor:
        """The predictor for what ``load_sentiment`` returned: the ensemble when the checkpoint has one."""
        return cls(model, tokenizer, temperature=checkpoint.extra["temperature"], version=checkpoint.version,
                   device=device, ensemble=load_ensemble(checkpoint))

    def model_alone(self) -> SentimentPredictor:
        """A predictor of the same MiniLM without the ensemble (MiniLM's own temperature)."""
        return SentimentPredictor(self.model, self.tokenizer, temperature=self.model_temperature,
                                  version=self.version, device=str(self.device))

    def preprocess(self, texts: list[str]) -> tuple[BatchEncoding, list[str]]:
        """Tokenise, truncate to ``max_tokens`` and pad to the longest, on the model's device; the texts."""
        encoded = self.tokenizer(texts, padding=True, truncation=True, max_length=self.model.config.max_tokens,
                                 return_tensors="pt")
        return encoded.to(self.device), texts

    def _forward(self, inputs: tuple[BatchEncoding, list[str]]) -> torch.Tensor:
        """Class logits ``[B, 2]``, fp32 on the CPU: MiniLM's, or the ensemble's mix of them with the LR's."""
        encoded, texts = inputs
        logits = self._model_logits(encoded["input_ids"], encoded["attention_mask"])  # [B, 2]
        return logits if self.ensemble is None else self.ensemble.logits(logits, self.model_temperature, texts)
