"""A helper for the checkpoint tests of both languages: a saved checkpoint written again with some entries changed."""

from pathlib import Path
from typing import Any

from shopmodels.checkpoints import Checkpoint, save_checkpoint


def resave(saved: Checkpoint, path: Path, *, kind: str | None = None, **extra: Any) -> Path:
    """Write ``saved`` to ``path`` as kind ``kind`` (its own when None) with ``extra`` over its extras."""
    return save_checkpoint(path, kind=kind or saved.kind, config=saved.config, state_dict=saved.state_dict,
                           version=saved.version, extra={**saved.extra, **extra})
