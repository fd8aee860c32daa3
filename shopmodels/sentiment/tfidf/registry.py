"""Save a servable TF-IDF + logistic regression to the model registry, and read it back.

It is saved under its language's kind (``sentiment`` for English, ``sentiment-zh`` for Chinese),
beside the neural models of that language, so the stream serves whichever version is newest:
``tfidf-sentiment-<UTC time>`` or ``tfidf-zh-sentiment-<UTC time>``. The checkpoint
(``shopmodels.checkpoints``, loaded with ``weights_only=True``) holds:

    config      architecture "tfidf-logistic-regression", language, the vectorizer's analysis
                settings, sublinear_tf, the chosen setting in words, neutral_low / neutral_high
    state_dict  idf [F], coef [F] and intercept [1] (float64)
    extra       label names, the n-grams in column order, temperature, split seed, validation
                scores, and whatever facts the caller adds
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from shopmodels.checkpoints import Checkpoint, new_version, registry_path, save_checkpoint
from shopmodels.sentiment.labels import LABEL_NAMES
from shopmodels.sentiment.neutral_band import NeutralBand
from shopmodels.sentiment.tfidf.linear import TfidfLogistic
from shopmodels.sentiment.tfidf.model import TfidfSentiment, TfidfSentimentPredictor

ARCHITECTURE = "tfidf-logistic-regression"  # config["architecture"] of these checkpoints
VERSION_PREFIXES = {"en": "tfidf-sentiment", "zh": "tfidf-zh-sentiment"}


def kind_for(language: str) -> str:
    """The registry kind the stream reads for ``language``: ``sentiment`` or ``sentiment-zh``."""
    from shopmodels.sentiment.chinese.registry import KIND as CHINESE_KIND
    from shopmodels.sentiment.english.registry import KIND as ENGLISH_KIND

    kinds = {"en": ENGLISH_KIND, "zh": CHINESE_KIND}
    if language not in kinds:
        raise ValueError(f"No sentiment registry kind for language {language!r}; use one of {', '.join(kinds)}.")
    return kinds[language]


def save_tfidf_sentiment(registry: Path, model: TfidfSentiment, *, split_seed: int,
                         extra: dict[str, Any] | None = None, now: datetime | None = None) -> Path:
    """Save ``model`` as a new version under its language's kind and return the file's path."""
    settings, tensors, ngrams = model.linear.to_checkpoint()
    config = {"architecture": ARCHITECTURE, "language": model.language, **settings, "setting": model.setting,
              "neutral_low": model.band.low, "neutral_high": model.band.high}
    stored = {**(extra or {}), "label_names": list(LABEL_NAMES), "ngrams": ngrams,
              "temperature": float(model.temperature), "split_seed": split_seed,
              "valid_macro_f1": model.valid_macro_f1, "valid_served_macro_f1": model.valid_served_macro_f1}
    version = new_version(VERSION_PREFIXES[model.language], now)
    kind = kind_for(model.language)
    return save_checkpoint(registry_path(registry, kind, version), kind=kind, config=config, state_dict=tensors,
                           version=version, extra=stored)


def is_tfidf(checkpoint: Checkpoint) -> bool:
    """Whether ``checkpoint`` holds a TF-IDF + logistic regression (rather than a neural model)."""
    return checkpoint.config.get("architecture") == ARCHITECTURE


def tfidf_predictor(checkpoint: Checkpoint) -> TfidfSentimentPredictor:
    """The predictor of a loaded TF-IDF checkpoint; ``ValueError`` when it is damaged or of another kind."""
    config = checkpoint.config
    if not is_tfidf(checkpoint) or checkpoint.kind != kind_for(config.get("language", "")):
        raise ValueError(f"Checkpoint {checkpoint.version} is not a TF-IDF sentiment model of its kind "
                         f"({checkpoint.kind}, language {config.get('language')!r}).")
    if checkpoint.extra.get("label_names") != list(LABEL_NAMES):
        raise ValueError(f"Checkpoint {checkpoint.version} has labels {checkpoint.extra.get('label_names')}, "
                         f"expected {list(LABEL_NAMES)}.")
    try:
        linear = TfidfLogistic.from_checkpoint(config, checkpoint.state_dict, checkpoint.extra["ngrams"])
        model = TfidfSentiment(config["language"], linear, config["setting"], float(checkpoint.extra["temperature"]),
                               NeutralBand(config["neutral_low"], config["neutral_high"]),
                               float(checkpoint.extra["valid_macro_f1"]),
                               float(checkpoint.extra["valid_served_macro_f1"]))
    except (KeyError, TypeError) as exc:
        raise ValueError(f"Checkpoint {checkpoint.version} has a damaged TF-IDF entry ({exc!r}); retrain with "
                         "`shopstream train sentiment-tfidf`.") from exc
    return TfidfSentimentPredictor(model, checkpoint.version)
