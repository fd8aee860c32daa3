"""Which of two recommendation lists for one user is the one to serve."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def newer(candidate: dict[str, Any], kept: dict[str, Any] | None) -> bool:
    """True when ``candidate`` should replace ``kept``: it answers a later event (ties: it was issued later)."""
    if kept is None:
        return True
    return (_instant(candidate["caused_at"]), _instant(candidate["occurred_at"])) > (
        _instant(kept["caused_at"]), _instant(kept["occurred_at"]))


def _instant(timestamp: str) -> datetime:
    """An ISO-8601 timestamp with offset as a comparable moment (offsets and 'Z' may differ)."""
    return datetime.fromisoformat(timestamp)
