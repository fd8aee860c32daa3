"""Save and load every ShopStream model checkpoint through one format and one registry layout.

A checkpoint is one ``torch.save`` file holding plain types only (dicts,
lists, str, int, float, bool, None and tensors), so ``torch.load(...,
weights_only=True)`` reads it without running pickled code. The registry is
a directory tree ``<registry>/<kind>/<version>/model.pt`` with versions like
``sasrec-20261128T170000Z``; hyperparameters live inside the file, never in
its name.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch

FORMAT_VERSION = 1
MODEL_FILE = "model.pt"
_VERSION_TIME_FORMAT = "%Y%m%dT%H%M%SZ"
_VERSION_PATTERN = re.compile(r"^(?P<prefix>[a-z0-9][a-z0-9_-]*)-(?P<stamp>\d{8}T\d{6}Z)$")
_REQUIRED_KEYS = ("format_version", "kind", "version", "config", "state_dict", "extra")


@dataclass(frozen=True)
class Checkpoint:
    """A loaded checkpoint: what model it is, its config, weights and extras."""

    kind: str  # model family, e.g. "recommender"
    version: str  # e.g. "sasrec-20261128T170000Z"
    config: dict[str, Any]  # the model's config as plain types
    state_dict: dict[str, torch.Tensor]  # the model's weights
    extra: dict[str, Any]  # anything else the model needs, e.g. its vocabulary as a list


def save_checkpoint(path: Path, *, kind: str, config: dict[str, Any], state_dict: dict[str, torch.Tensor],
                    version: str, extra: dict[str, Any]) -> Path:
    """Write a checkpoint to ``path`` atomically (parents created) and return ``path``.

    Everything except the tensors must be plain Python types; tensors are
    moved to the CPU so the file loads on any machine.
    """
    _check_plain(config, "config")
    _check_plain(extra, "extra")
    payload = {
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "version": version,
        "config": dict(config),
        "state_dict": {name: tensor.detach().cpu() for name, tensor in state_dict.items()},
        "extra": dict(extra),
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    torch.save(payload, partial)
    os.replace(partial, path)
    return path


def load_checkpoint(path: Path) -> Checkpoint:
    """Read a checkpoint written by ``save_checkpoint`` (``weights_only=True``, tensors on CPU)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No checkpoint at {path}; train one first "
                                "(e.g. `shopstream train recommender`) or pass the right path.")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises several types for unreadable or unsafe files
        raise ValueError(f"{path} is not a readable ShopStream checkpoint: {exc}") from exc
    missing = [key for key in _REQUIRED_KEYS if not isinstance(payload, dict) or key not in payload]
    if missing:
        raise ValueError(f"{path} is not a ShopStream checkpoint: it lacks {', '.join(missing)}.")
    if payload["format_version"] > FORMAT_VERSION:
        raise ValueError(f"{path} uses checkpoint format {payload['format_version']}, newer than this "
                         f"ShopStream reads ({FORMAT_VERSION}); upgrade ShopStream.")
    return Checkpoint(payload["kind"], payload["version"], payload["config"], payload["state_dict"],
                      payload["extra"])


def new_version(prefix: str, now: datetime | None = None) -> str:
    """Return a version name ``<prefix>-<UTC time>``, e.g. ``sasrec-20261128T170000Z``."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    version = f"{prefix}-{moment.strftime(_VERSION_TIME_FORMAT)}"
    if not _VERSION_PATTERN.match(version):
        raise ValueError(f"Version prefix {prefix!r} must be lowercase letters, digits, '-' or '_'.")
    return version


def registry_path(registry: Path, kind: str, version: str) -> Path:
    """Return where a version's checkpoint lives: ``<registry>/<kind>/<version>/model.pt``."""
    return Path(registry) / kind / version / MODEL_FILE


def latest_version(registry: Path, kind: str) -> str | None:
    """Return the newest version of ``kind`` that has a checkpoint file, or None if there is none.

    Versions are ordered by their timestamp, then by name.
    """
    folder = Path(registry) / kind
    if not folder.is_dir():
        return None
    versions = [match for entry in folder.iterdir()
                if (match := _VERSION_PATTERN.match(entry.name)) and (entry / MODEL_FILE).is_file()]
    if not versions:
        return None
    return max(versions, key=lambda match: (match["stamp"], match.string)).string


_PLAIN_LEAVES = (str, int, float, bool, type(None), torch.Tensor)


def _check_plain(value: Any, where: str) -> None:
    """Raise if ``value`` holds anything ``weights_only=True`` loading would refuse."""
    if isinstance(value, _PLAIN_LEAVES):
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str | int):
                raise TypeError(f"Checkpoint {where} has a key {key!r} of type {type(key).__name__}; "
                                "use str or int keys.")
            _check_plain(item, f"{where}[{key!r}]")
        return
    if isinstance(value, list | tuple):
        for position, item in enumerate(value):
            _check_plain(item, f"{where}[{position}]")
        return
    raise TypeError(f"Checkpoint {where} holds a {type(value).__name__}; only dicts, lists, str, int, "
                    "float, bool, None and tensors load with weights_only=True. Convert it first "
                    "(e.g. a Path to str, a dataclass to a dict).")
