"""Score Chinese review sentiment from a checkpoint: texts in, (label, calibrated P(positive)) out.

Tokenising, padding, the forward pass and the mix are ``ClassifierPredictor``'s
(``shopmodels/sentiment/classifier_predictor.py``, shared with English), so both languages serve
the same interface and results: ``from_checkpoint``, ``version``, ``predict`` returning
``SentimentPrediction``s and ``positive_probability``. This adds loading e5 and the checkpoint.

A checkpoint holding an ``ensemble`` (``ensemble.py``) is served as one: the model's log-odds
and the character n-gram TF-IDF + LR's, each divided by its validation temperature, mixed with
the weight w chosen on validation, then divided by the mix's temperature; ``eval sentiment-zh``
scores exactly this. One without it serves the model alone, its logits divided by the model's
temperature.
"""

from __future__ import annotations

from pathlib import Path

from shopmodels.checkpoints import Checkpoint
from shopmodels.sentiment.chinese.e5_tokenizer import E5Tokenizer
from shopmodels.sentiment.chinese.model import load_e5
from shopmodels.sentiment.chinese.registry import load_chinese_sentiment, load_ensemble
from shopmodels.sentiment.classifier import SentimentClassifier
from shopmodels.sentiment.classifier_predictor import ClassifierPredictor
from shopmodels.sentiment.predictor import SentimentPrediction

__all__ = ["ChineseSentimentPredictor", "SentimentPrediction"]


class ChineseSentimentPredictor(ClassifierPredictor):
    """Batched sentiment from one fine-tuned e5 classifier (and, when given, its ensemble) and temperatures."""

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
