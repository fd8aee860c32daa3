"""Timestamps in state: always UTC ISO-8601 strings, so they compare correctly as text."""

from __future__ import annotations

from datetime import datetime, timezone


def utc_iso(moment: datetime) -> str:
    """``moment`` (timezone-aware) as an ISO-8601 string in UTC, e.g. ``2026-11-28T10:00:00+00:00``."""
    return moment.astimezone(timezone.utc).isoformat()
