"""Shared plumbing of the ingest agents: validation, dead letters and table writes."""

from __future__ import annotations

from typing import AsyncIterator, TypeVar

from faust import StreamT
from faust.types import EventT
from pydantic import BaseModel

from schemas import DeadLetter
from streams import topics
from streams.app import counters, settings
from streams.validation import Rejection, parse_event

M = TypeVar("M", bound=BaseModel)


def dead_letter_for(event: EventT, rejection: Rejection) -> DeadLetter:
    """The dead-letter record of a refused message: original bytes, coordinates, reason."""
    message = event.message
    return DeadLetter.from_raw(topic=message.topic, partition=message.partition, offset=message.offset,
                               key=message.key, value=message.value, error_type=rejection.error_type,
                               error=rejection.reason)


async def valid_events(stream: StreamT, model: type[M], key_field: str | None) -> AsyncIterator[M]:
    """Yield each message of ``stream`` that validates as ``model``; dead-letter the others."""
    async for event in stream.events():
        parsed = parse_event(event.message.value, model, key=event.message.key,
                             key_field=key_field, max_bytes=settings.max_event_bytes)
        if isinstance(parsed, Rejection):
            counters.dead_letters[parsed.error_type] += 1
            await topics.dead_letters.send(key=event.message.topic, value=dead_letter_for(event, parsed))
            continue
        yield parsed


def store(table, key: str, result: tuple[dict, bool], source: str) -> bool:
    """Write an update result ``(value, changed)`` to ``table[key]`` and count it; returns ``changed``."""
    value, changed = result
    if changed:
        table[key] = value
        counters.accepted[source] += 1
    else:
        counters.duplicates[source] += 1
    return changed
