"""Apply a batch of one key's events at once: one table write instead of one per event."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

E = TypeVar("E")
K = TypeVar("K", bound=Hashable)


def fold(apply: Callable[..., tuple[dict, bool]], value: dict | None, events: Iterable[E],
         *args: Any) -> tuple[dict | None, int, int]:
    """Apply ``events`` in order with ``apply(value, event, *args)``.

    Returns the final value, how many events changed it, and how many were duplicates.
    """
    applied = duplicates = 0
    for event in events:
        value, changed = apply(value, event, *args)
        if changed:
            applied += 1
        else:
            duplicates += 1
    return value, applied, duplicates


def group_by(items: Iterable[E], key: Callable[[E], K]) -> dict[K, list[E]]:
    """Items grouped by ``key``, keys in first-seen order, items in their original order."""
    groups: dict[K, list[E]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups
