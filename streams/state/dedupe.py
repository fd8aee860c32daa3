"""Effectively-once state on at-least-once delivery: two guards kept inside the table value.

The guards live inside the table value itself, so a guard and the update it protects are
written in one changelog record: a crash can never persist one without the other.

- **Offset markers** (``Applied``): the highest source offset applied to this key, per source
  stream and partition (``"clicks@3": 1234``). Records of one source partition reach a key in
  log order, so a record at or below the marker was applied before: after a crash, a rebalance
  or a restart with the local store deleted, the whole replayed backlog is recognised, however
  many events the key got since the last commit (a hot product gets thousands).
- **Recent event ids** (``Seen``): the newest ids per source stream, to drop a copy of an event
  that the shop's producer sent twice (a copy has its own offset, so no marker catches it).
"""

from __future__ import annotations

Seen = dict[str, list[str]]
Applied = dict[str, int]
#: Where a record came from: (partition, offset) of its source topic.
Coordinate = tuple[int, int]


def already_applied(seen: Seen, source: str, event_id: str) -> bool:
    """True when ``event_id`` is among the ids recently applied to this key from ``source``."""
    return event_id in seen.get(source, ())


def remember(seen: Seen, source: str, event_id: str, limit: int) -> Seen:
    """Return ``seen`` with ``event_id`` added to ``source``'s newest ``limit`` ids."""
    return {**seen, source: [*seen.get(source, ()), event_id][-limit:]}


def marker(source: str, at: Coordinate) -> str:
    """The marker name of ``source``'s partition of ``at``, e.g. ``clicks@3``."""
    return f"{source}@{at[0]}"


def offset_applied(applied: Applied, source: str, at: Coordinate | None) -> bool:
    """True when the record at ``at`` of ``source`` is at or below the key's marker (applied before)."""
    return at is not None and applied.get(marker(source, at), -1) >= at[1]


def mark(applied: Applied, source: str, at: Coordinate | None) -> Applied:
    """Return ``applied`` with the marker of ``at``'s partition moved up to its offset."""
    if at is None:
        return applied
    name = marker(source, at)
    return {**applied, name: max(applied.get(name, -1), at[1])}


def remember_into(seen: Seen, source: str, event_id: str, limit: int) -> None:
    """``remember`` in place, on a ``seen`` whose lists the caller owns."""
    ids = seen.setdefault(source, [])
    ids.append(event_id)
    del ids[:-limit]


def mark_into(applied: Applied, source: str, at: Coordinate | None) -> None:
    """``mark`` in place, on an ``applied`` the caller owns."""
    if at is not None:
        name = marker(source, at)
        applied[name] = max(applied.get(name, -1), at[1])
