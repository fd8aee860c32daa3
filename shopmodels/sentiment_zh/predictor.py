"""Score Chinese review sentiment from a checkpoint: texts in, (label, calibrated P(positive)) out.

The same interface and results as the English ``SentimentPredictor``
(``shopmodels.sentiment.predictor``): ``from_checkpoint``, ``version``,
``predict`` returning ``SentimentPrediction``s with the same neutral band,
and ``positive_probability``. ``preprocess -> _forward -> postprocess``:
the predictor alone picks the device (``shopmodels.devices``) and runs
``inference_mode``; texts are batched by similar length and returned in
input order. The logits are divided by the temperature fitted on the
validation reviews before the softmax.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import torch

from shopmodels.datasets.fetch import DatasetPaths, cache_dir
from shopmodels.devices import choose_device, inference_autocast
from shopmodels.sentiment.predictor import SentimentPrediction, SentimentPredictor
from shopmodels.sentiment_zh.features import Batch, Featurizer, TokenVocabulary, collate, load_qwen3_tokenizer
from shopmodels.sentiment_zh.model import ChineseSentimentModel
from shopmodels.sentiment_zh.registry import load_chinese_sentiment

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["ChineseSentimentPredictor", "SentimentPrediction"]


class ChineseSentimentPredictor(SentimentPredictor):
    """Batched sentiment from one Chinese sentiment model, its vocabulary and its temperature.

    ``predict``, ``positive_probability``, the temperature and the neutral band come from
    ``SentimentPredictor``; only loading, featurising and the forward pass differ.
    """

    def __init__(self, model: ChineseSentimentModel, vocabulary: TokenVocabulary, tokenizer: Tokenizer, *,
                 temperature: float, version: str, device: str = "auto") -> None:
        self.device = choose_device(device)
        self.model = model.to(self.device).eval()
        self.featurizer = Featurizer(tokenizer, vocabulary, model.config)
        self.temperature = temperature
        self.version = version

    @classmethod
    def from_checkpoint(cls, path: Path, device: str = "auto", *,
                        tokenizer_dir: Path | None = None) -> ChineseSentimentPredictor:
        """Load a ``sentiment-zh`` checkpoint; ``device`` is "auto" (CUDA if available), "cpu", "cuda"...

        The Qwen3 tokenizer is read from ``tokenizer_dir``, by default the
        dataset cache (``$SHOPSTREAM_CACHE_DIR``, filled by `shopstream data fetch`).
        """
        model, vocabulary, checkpoint = load_chinese_sentiment(path)
        directory = tokenizer_dir if tokenizer_dir is not None else DatasetPaths.under(cache_dir()).qwen3_tokenizer
        return cls(model, vocabulary, load_qwen3_tokenizer(directory), temperature=checkpoint.extra["temperature"],
                   version=checkpoint.version, device=device)

    def preprocess(self, texts: list[str]) -> Batch:
        """Normalise, tokenise, hash the n-grams and pad, on the model's device."""
        return collate(self.featurizer.examples(texts)).to(self.device)

    def _forward(self, batch: Batch) -> torch.Tensor:
        """Class logits ``[B, 2]``, fp32 on the CPU."""
        with torch.inference_mode(), inference_autocast(self.device):
            logits = self.model(batch.token_ids, batch.ngram_ids, batch.ngram_offsets)  # [B, 2]
        return logits.float().cpu()
