"""Score English review sentiment from a checkpoint: the fine-tuned MiniLM behind the shared predictor.

Tokenising, padding, the forward pass and the mix are ``ClassifierPredictor``'s
(``shopmodels/sentiment/classifier_predictor.py``, shared with Chinese); batching, the temperature
and the neutral band ``BatchedSentimentPredictor``'s. This adds loading. A checkpoint holding an
``ensemble`` (``ensemble.py``) is served as one: MiniLM's log-odds mixed with the word TF-IDF +
LR's, as ``eval sentiment`` scores it; one without serves MiniLM alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from shopmodels.sentiment.classifier_predictor import ClassifierPredictor
from shopmodels.sentiment.english.model import SentimentClassifier, load_tokenizer
from shopmodels.sentiment.english.registry import load_ensemble, load_sentiment
from shopmodels.sentiment.predictor import SentimentPrediction

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

    from shopmodels.checkpoints import Checkpoint

__all__ = ["SentimentPrediction", "SentimentPredictor"]


class SentimentPredictor(ClassifierPredictor):
    """Batched sentiment from one fine-tuned MiniLM classifier (and, when given, its ensemble) and temperatures."""

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
