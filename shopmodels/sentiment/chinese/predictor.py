"""Score Chinese review sentiment from a checkpoint: texts in, (label, calibrated P(positive)) out.

Batching, the temperature and the neutral band are ``BatchedSentimentPredictor``'s
(``shopmodels/sentiment/predictor.py``), as for the English model, so both serve the same
interface and results: ``from_checkpoint``, ``version``, ``predict`` returning
``SentimentPrediction``s and ``positive_probability``. This adds loading, e5's tokenizer and the
forward pass.

A checkpoint holding an ``ensemble`` (``ensemble.py``) is served as one: the model's log-odds
and the character n-gram TF-IDF + LR's, each divided by its validation temperature, mixed with
the weight w chosen on validation, then divided by the mix's temperature; ``eval sentiment-zh``
scores exactly this. One without it serves the model alone, its logits divided by the model's
temperature.
"""

from __future__ import annotations

from pathlib import Path

import torch

from shopmodels.checkpoints import Checkpoint
from shopmodels.sentiment.chinese.e5_tokenizer import E5Tokenizer
from shopmodels.sentiment.chinese.ensemble import ChineseEnsemble
from shopmodels.sentiment.chinese.model import load_e5
from shopmodels.sentiment.chinese.registry import load_chinese_sentiment, load_ensemble
from shopmodels.sentiment.classifier import SentimentClassifier
from shopmodels.sentiment.fine_tuning import encode, pad_batch
from shopmodels.sentiment.predictor import BatchedSentimentPredictor, SentimentPrediction

__all__ = ["ChineseSentimentPredictor", "SentimentPrediction"]


class ChineseSentimentPredictor(BatchedSentimentPredictor):
    """Batched sentiment from one fine-tuned e5 classifier (and, when given, its ensemble) and temperatures.

    ``temperature`` is the model's; with an ``ensemble`` the mix's temperature is applied instead.
    """

    def __init__(self, model: SentimentClassifier, tokenizer: E5Tokenizer, *, temperature: float, version: str,
                 device: str = "auto", ensemble: ChineseEnsemble | None = None) -> None:
        super().__init__(model, temperature=temperature if ensemble is None else ensemble.temperature,
                         version=version, device=device)
        self.tokenizer = tokenizer
        self.model_temperature = temperature
        self.ensemble = ensemble

    @classmethod
    def from_checkpoint(cls, path: Path, device: str = "auto", *, e5_path: Path) -> ChineseSentimentPredictor:
        """Load a ``sentiment-zh`` checkpoint onto the e5 file at ``e5_path`` (``DatasetPaths.e5_weights``)."""
        weights, tokenizer = load_e5(e5_path)
        model, checkpoint = load_chinese_sentiment(path, weights)
        return cls.from_loaded(model, checkpoint, tokenizer, device)

    @classmethod
    def from_loaded(cls, model: SentimentClassifier, checkpoint: Checkpoint, tokenizer: E5Tokenizer,
                    device: str = "auto") -> ChineseSentimentPredictor:
        """The predictor for what ``load_chinese_sentiment`` returned: the ensemble when the checkpoint has one."""
        return cls(model, tokenizer, temperature=checkpoint.extra["temperature"], version=checkpoint.version,
                   device=device, ensemble=load_ensemble(checkpoint))

    def model_alone(self) -> ChineseSentimentPredictor:
        """A predictor of the same model without the ensemble (the model's own temperature)."""
        return ChineseSentimentPredictor(self.model, self.tokenizer, temperature=self.model_temperature,
                                         version=self.version, device=str(self.device))

    def preprocess(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor, list[str]]:
        """Tokenise, cut to ``max_tokens`` and pad, on the model's device; the texts for the ensemble."""
        ids = encode(self.tokenizer, texts, self.model.config.max_tokens)
        input_ids, mask = pad_batch(ids, self.tokenizer.pad_token_id)  # [B, L] each
        return input_ids.to(self.device), mask.to(self.device), texts

    def _forward(self, inputs: tuple[torch.Tensor, torch.Tensor, list[str]]) -> torch.Tensor:
        """Class logits ``[B, 2]``, fp32 on the CPU: the model's, or the ensemble's mix of them with the LR's."""
        input_ids, mask, texts = inputs
        logits = self._model_logits(input_ids, mask)  # [B, 2]
        return logits if self.ensemble is None else self.ensemble.logits(logits, self.model_temperature, texts)
