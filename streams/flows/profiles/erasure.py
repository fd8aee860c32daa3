"""Erasure of a user, as pure functions over plain mappings (the agents pass in the tables).

An erasure deletes the user's profile (with its event-id memory) and latest recommendation list,
each a tombstone in its table's changelog, and leaves a *guard*: the SHA-256 of the user id with
the erasure request's time, kept ``SHOPSTREAM_ERASURE_GUARD_S``. While it lasts, answers and
events caused before the erasure (recommendation requests still queued, clicks still in flight)
are dropped instead of bringing the user back. The guard holds no user id, only its digest.
Inference workers follow the guards' changelog (``apply_guard_record``) and drop requests caused
before an erasure too, so most answers for an erased user are never even computed.

The guard also remembers the request (a digest of its event id) and the confirmation it got, so a
request Kafka delivers again (a rebalance or crash before the offset commit) erases nothing that
came after it and is confirmed again with the very same record (``repeated_confirmation``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, MutableMapping
from datetime import datetime, timedelta
from typing import Any

import orjson

from schemas import ErasureRequested, derive_event_id
from schemas.erasures import ERASED_ITEMS, ErasureCompleted

Guard = dict[str, Any]  # {"erased_at": iso, "expires_at": iso, "partition": int, "request": digest,
#                          "held": [item], "done_at": iso}


def guard_key(user_id: str) -> str:
    """The guard table's key for ``user_id``: a digest, so the table never holds the id itself."""
    return hashlib.sha256(f"erased-user\x1f{user_id}".encode()).hexdigest()


def request_digest(request: ErasureRequested) -> str:
    """What the guard keeps of the request's event id: enough to recognise it again, nothing to read back."""
    return hashlib.sha256(f"erasure-request\x1f{request.event_id}".encode()).hexdigest()


def new_guard(request: ErasureRequested, partition: int, keep: timedelta, done: ErasureCompleted) -> Guard:
    """The guard an erasure leaves: what happened up to the request's time is dropped until it expires;
    it remembers the request and its confirmation ``done`` for a redelivery."""
    return {"erased_at": request.occurred_at.isoformat(), "expires_at": (request.occurred_at + keep).isoformat(),
            "partition": partition, "request": request_digest(request), "held": list(done.held),
            "done_at": done.occurred_at.isoformat()}


def repeated_confirmation(guard: Guard | None, request: ErasureRequested) -> ErasureCompleted | None:
    """The confirmation ``request`` already got, when ``guard`` shows it was carried out (Kafka delivered it
    again); None for a request not seen before (a guard of an earlier erasure, or of an older version)."""
    if guard is None or guard.get("request") != request_digest(request):
        return None
    return confirmation(request, guard["held"], datetime.fromisoformat(guard["done_at"]))


def caused_before_erasure(guard: Guard | None, occurred_at: datetime | str) -> bool:
    """Whether something that happened at ``occurred_at`` belongs to the erased past (drop it)."""
    if guard is None:
        return False
    moment = datetime.fromisoformat(occurred_at) if isinstance(occurred_at, str) else occurred_at
    return moment <= datetime.fromisoformat(guard["erased_at"])


def expired_guards(guards: Iterable[tuple[str, Guard]], partition: int, now: datetime) -> list[str]:
    """Keys of ``partition``'s guards that have expired by ``now`` (an agent may delete only its own partition's)."""
    return [key for key, guard in guards
            if guard["partition"] == partition and datetime.fromisoformat(guard["expires_at"]) <= now]


def erase_user(user_id: str, tables: Mapping[str, MutableMapping[str, Any]]) -> list[str]:
    """Delete ``user_id`` from every table of ``tables`` (name -> table); returns the names that held it."""
    return [name for name, table in tables.items() if table.pop(user_id, None) is not None]


def confirmation(request: ErasureRequested, held: list[str], done_at: datetime) -> ErasureCompleted:
    """The record that tells the privacy service the request is done."""
    return ErasureCompleted(event_id=derive_event_id("erased", request.event_id), occurred_at=done_at,
                            caused_by=request.event_id, user_id=request.user_id, requested_at=request.occurred_at,
                            erased=list(ERASED_ITEMS), held=[item for item in ERASED_ITEMS if item in held])


def apply_guard_record(guards: dict[str, Guard], key: bytes | None, value: bytes | None) -> None:
    """Apply one record of the ``erasure-guards`` changelog to a followed copy of the table (an inference
    worker's): a value sets the guard, a tombstone removes it; a record without a key is ignored."""
    if not key:
        return
    digest = orjson.loads(key) if key[:1] == b'"' else key.decode("utf-8")
    if value is None:
        guards.pop(digest, None)
    else:
        guards[digest] = orjson.loads(value)
