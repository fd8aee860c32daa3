"""Effectively-once state on at-least-once delivery: remember recent event ids per table key.

The remembered ids live inside the table value itself, so the id and the update it guards
are written in one changelog record: a crash can never persist one without the other.
Ids are remembered per source stream (e.g. a profile's clicks and searches separately):
within one stream a key's events arrive in log order, so a redelivered event is always
among that stream's newest ids, however the streams interleave.
"""

from __future__ import annotations

Seen = dict[str, list[str]]


def already_applied(seen: Seen, source: str, event_id: str) -> bool:
    """True when ``event_id`` is among the ids recently applied to this key from ``source``."""
    return event_id in seen.get(source, ())


def remember(seen: Seen, source: str, event_id: str, limit: int) -> Seen:
    """Return ``seen`` with ``event_id`` added to ``source``'s newest ``limit`` ids."""
    return {**seen, source: [*seen.get(source, ()), event_id][-limit:]}
