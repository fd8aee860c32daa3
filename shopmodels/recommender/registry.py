"""Write a trained SASRec and its vocabulary to the model registry, and read them back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from shopmodels.checkpoints import Checkpoint, load_checkpoint, new_version, registry_path, save_checkpoint
from shopmodels.recommender.config import SASRecConfig
from shopmodels.recommender.model import SASRec
from shopmodels.recommender.vocabulary import Vocabulary

KIND = "recommender"
VERSION_PREFIX = "sasrec"


def save_sasrec(registry: Path, model: SASRec, vocabulary: Vocabulary, *,
                extra: dict[str, Any] | None = None, now: datetime | None = None) -> Path:
    """Save ``model`` as a new version under ``<registry>/recommender/`` and return the file's path.

    The vocabulary goes into ``extra["vocabulary"]`` (product ids in index
    order); ``extra`` may add plain facts such as validation metrics.
    """
    if len(vocabulary) != model.config.num_items:
        raise ValueError(f"The vocabulary has {len(vocabulary)} products but the model was built for "
                         f"{model.config.num_items}; save the vocabulary the model was trained with.")
    version = new_version(VERSION_PREFIX, now)
    return save_checkpoint(
        registry_path(registry, KIND, version), kind=KIND, config=model.config.to_dict(),
        state_dict=model.state_dict(), version=version,
        extra={**(extra or {}), "vocabulary": vocabulary.to_list()},
    )  # fmt: skip


def load_sasrec(path: Path) -> tuple[SASRec, Vocabulary, Checkpoint]:
    """Load a recommender checkpoint: the model (CPU, eval mode), its vocabulary and the raw checkpoint."""
    checkpoint = load_checkpoint(path)
    if checkpoint.kind != KIND:
        raise ValueError(f"{path} holds a {checkpoint.kind!r} model, not a {KIND!r} one.")
    model = SASRec(SASRecConfig.from_dict(checkpoint.config))
    model.load_state_dict(checkpoint.state_dict)
    model.eval()
    return model, Vocabulary(checkpoint.extra["vocabulary"]), checkpoint
