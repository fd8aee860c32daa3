"""Score Chinese review sentiment from a checkpoint: texts in, (label, calibrated P(positive)) out.

Batching, the temperature and the neutral band are ``BatchedSentimentPredictor``'s
(``shopmodels/sentiment/predictor.py``), as for the English model, so both serve the same
interface and results: ``from_checkpoint``, ``version``, ``predict`` returning
``SentimentPrediction``s and ``positive_probability``. This adds loading, featurising and the
forward pass.

A checkpoint holding an ``ensemble`` (``ensemble.py``) is served as one:
the model's log-odds and the character n-gram TF-IDF + LR's, each divided
by its validation temperature, mixed with the weight w chosen on
validation, then divided by the mix's temperature; ``eval sentiment-zh``
scores exactly this. An older checkpoint without it serves the model alone,
its logits divided by the model's temperature.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import torch


from shopmodels.sentiment.chinese.ensemble import ChineseEnsemble
from shopmodels.sentiment.chinese.features import Batch, Featurizer, TokenVocabulary, collate, load_qwen3_tokenizer
from shopmodels.sentiment.chinese.model import ChineseSentimentModel
from shopmodels.sentiment.chinese.registry import load_chinese_sentiment, load_ensemble
from shopmodels.sentiment.predictor import BatchedSentimentPredictor, SentimentPrediction

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from shopmodels.checkpoints import Checkpoint

__all__ = ["ChineseSentimentPredictor", "SentimentPrediction"]


class ChineseSentimentPredictor(BatchedSentimentPredictor):
    """Batched sentiment from one Chinese sentiment model (and, when given, its ensemble) and temperatures.

    ``temperature`` is the neural model's; with an ``ensemble`` the mix's temperature is applied instead.
    """

    def __init__(self, model: ChineseSentimentModel, vocabulary: TokenVocabulary, tokenizer: Tokenizer, *,
                 temperature: float, version: str, device: str = "auto",
                 ensemble: ChineseEnsemble | None = None) -> None:
        super().__init__(model, temperature=temperature if ensemble is None else ensemble.temperature,
                         version=version, device=device)
        self.featurizer = Featurizer(tokenizer, vocabulary, model.config)
        self.model_temperature = temperature
        self.ensemble = ensemble

    @classmethod
    def from_checkpoint(cls, path: Path, device: str = "auto", *, tokenizer_dir: Path) -> ChineseSentimentPredictor:
        """Load a ``sentiment-zh`` checkpoint; ``device`` is "auto" (CUDA if available), "cpu", "cuda"...

        The Qwen3 tokenizer is read from ``tokenizer_dir`` (in the dataset cache,
        ``DatasetPaths.under(cache_dir).qwen3_tokenizer``, filled by `shopstream data fetch`).
        """
        model, vocabulary, checkpoint = load_chinese_sentiment(path)
        return cls.from_loaded(model, vocabulary, checkpoint, load_qwen3_tokenizer(tokenizer_dir), device)

    @classmethod
    def from_loaded(cls, model: ChineseSentimentModel, vocabulary: TokenVocabulary, checkpoint: Checkpoint,
                    tokenizer: Tokenizer, device: str = "auto") -> ChineseSentimentPredictor:
        """The predictor for what ``load_chinese_sentiment`` returned: the ensemble when the checkpoint has one."""
        return cls(model, vocabulary, tokenizer, temperature=checkpoint.extra["temperature"],
                   version=checkpoint.version, device=device, ensemble=load_ensemble(checkpoint))

    def model_alone(self) -> ChineseSentimentPredictor:
        """A predictor of the same neural model without the ensemble (the model's own temperature)."""
        return ChineseSentimentPredictor(self.model, self.featurizer.vocabulary, self.featurizer.tokenizer,
                                         temperature=self.model_temperature, version=self.version,
                                         device=str(self.device))

    def preprocess(self, texts: list[str]) -> tuple[Batch, list[str]]:
        """Normalise, tokenise, hash the n-grams and pad, on the model's device; the texts for the ensemble."""
        return collate(self.featurizer.examples(texts)).to(self.device), texts

    def _forward(self, inputs: tuple[Batch, list[str]]) -> torch.Tensor:
        """Class logits ``[B, 2]``, fp32 on the CPU: the model's, or the ensemble's mix of them with the LR's."""
        batch, texts = inputs
        logits = self._model_logits(batch.token_ids, batch.ngram_ids, batch.ngram_offsets)  # [B, 2]
        return logits if self.ensemble is None else self.ensemble.logits(logits, self.model_temperature, texts)
