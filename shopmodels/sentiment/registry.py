"""Write a trained sentiment model of either language to the model registry, and read it back.

A checkpoint (``shopmodels.checkpoints``: ``<registry>/<kind>/<version>/model.pt``, loaded with
``weights_only=True``) holds the model's config as a dict, every weight, and in ``extra``
whatever facts the caller adds, the label names, the language's own facts (its tokenizer's
source, and the encoder config or the vocabulary), the temperature and the split seed. Each
language's ``registry.py`` names its kind (``sentiment``, ``sentiment-zh``), checks its
tokenizer and rebuilds its model.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from torch import nn

from shopmodels.checkpoints import Checkpoint, load_checkpoint, new_version, registry_path, save_checkpoint
from shopmodels.sentiment.labels import LABEL_NAMES


def save_sentiment_model(registry: Path, model: nn.Module, *, kind: str, version_prefix: str, temperature: float,
                         split_seed: int, facts: dict[str, Any], extra: dict[str, Any] | None = None,
                         now: datetime | None = None, leave_out: tuple[str, ...] = ()) -> Path:
    """Save ``model`` as a new version under ``<registry>/<kind>/`` and return the file's path.

    ``temperature`` divides the logits before the softmax (1.0 = none); ``split_seed`` is the
    seed of the train/valid/test split it was trained on, so ``eval`` scores it on the same
    held-out test part; ``facts`` are the language's own entries; ``leave_out`` names weights
    not stored (frozen pretrained ones its loader reads from their own file).
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}.")
    version = new_version(version_prefix, now)
    stored = {**(extra or {}), "label_names": list(LABEL_NAMES), **facts, "temperature": float(temperature),
              "split_seed": split_seed}
    return save_checkpoint(registry_path(registry, kind, version), kind=kind, config=model.config.to_dict(),
                           state_dict={name: tensor for name, tensor in model.state_dict().items()
                                       if name not in leave_out}, version=version, extra=stored)


def load_sentiment_checkpoint(path: Path, kind: str) -> Checkpoint:
    """Read a checkpoint, refusing (``ValueError``) another kind of model or other labels."""
    checkpoint = load_checkpoint(path)
    if checkpoint.kind != kind:
        raise ValueError(f"{path} holds a {checkpoint.kind!r} model, not a {kind!r} one.")
    if checkpoint.extra.get("label_names") != list(LABEL_NAMES):
        raise ValueError(f"{path} has labels {checkpoint.extra.get('label_names')}, expected {list(LABEL_NAMES)}.")
    return checkpoint


def restore(model: nn.Module, checkpoint: Checkpoint, left_out: tuple[str, ...] = ()) -> nn.Module:
    """``model`` with the checkpoint's weights, in eval mode (on the CPU, where it was built).

    ``left_out`` names the weights the checkpoint need not hold (``model`` already has them);
    any other missing or unexpected weight is an error.
    """
    missing, unexpected = model.load_state_dict(checkpoint.state_dict, strict=False)
    wrong = sorted(set(missing) - set(left_out)) + sorted(unexpected)
    if wrong:
        raise ValueError(f"Checkpoint {checkpoint.version} does not fit its model: missing "
                         f"{sorted(set(missing) - set(left_out))}, unexpected {sorted(unexpected)}.")
    model.eval()
    return model
