"""Shared plumbing of the ingest agents: validation, dead letters and table writes."""

from __future__ import annotations

import time
import weakref
from collections import Counter
from functools import partial
from typing import AsyncIterator, TypeVar

from faust import StreamT
from faust.streams import _current_event
from faust.types import EventT
from pydantic import BaseModel

from schemas import DeadLetter
from streams.batch_reader import take_batches
from streams import topics
from streams.monitoring import metrics
from streams.app import app, counters, settings
from streams.flows.intake.dead_letters import ledger, ledger_key, read_newest
from streams.flows.intake.validation import Rejection, parse_event
from streams.kafka_clients import client_kwargs

M = TypeVar("M", bound=BaseModel)


@app.on_partitions_assigned.connect
async def _partitions_moved(sender, assigned, **kwargs) -> None:
    """Partitions moved: what was dead-lettered is read again before the next decision."""
    ledger.forget()


def dead_letter_for(event: EventT, rejection: Rejection) -> DeadLetter:
    """The dead-letter record of a refused message: original bytes, coordinates, reason."""
    message = event.message
    return DeadLetter.from_raw(topic=message.topic, partition=message.partition, offset=message.offset,
                               key=message.key, value=message.value, error_type=rejection.error_type,
                               error=rejection.reason)


async def _validate(event: EventT, model: type[M], key_field: str | None) -> M | None:
    parsed = parse_event(event.message.value, model, key=event.message.key,
                         key_field=key_field, max_bytes=settings.max_event_bytes)
    if isinstance(parsed, Rejection):
        await dead_letter_once(event, parsed)
        return None
    return parsed


async def dead_letter_once(event: EventT, rejection: Rejection) -> None:
    """Send the dead letter of ``event`` unless it was sent before (``dead_letters.py``)."""
    message = event.message
    key = ledger_key(message.topic, message.partition)
    newest = partial(read_newest, client_kwargs(settings), topics.dead_letters.get_topic_name(),
                     settings.dead_letter_lookback)
    if await ledger.sent_before(key, message.offset, newest):
        counters.duplicates["dead-letters"] += 1
        return
    counters.dead_letters[rejection.error_type] += 1
    metrics.record_dead_letter(message.topic, rejection.error_type)
    await topics.dead_letters.send(key=message.topic, value=dead_letter_for(event, rejection))
    ledger.record(key, message.offset)  # in memory: after a crash the topic itself says what reached Kafka


async def valid_batches(stream: StreamT, model: type[M], key_field: str) -> AsyncIterator[list[tuple[EventT, M]]]:
    """Yield micro-batches (``SHOPSTREAM_BATCH_MAX`` / ``_WITHIN_S``) of (event, valid value) pairs.

    Invalid messages are dead-lettered on the way. The batch's offsets are committed only after
    the caller has handled it (Faust acks the events when the caller asks for the next batch).
    """
    async for events in take_batches(stream, settings.batch_max, settings.batch_within_s):
        started = time.perf_counter()
        batch = await validated(events, model, key_field)
        if batch:
            yield batch
        metrics.record_batch(_agent_name(events[0]), len(events), metrics.since(started))


async def validated(events: list[EventT], model: type[M], key_field: str | None) -> list[tuple[EventT, M]]:
    """The (event, value) pairs of ``events`` whose raw bytes validate as ``model``; the others
    are dead-lettered with their reason."""
    pairs = []
    for event in events:
        parsed = await _validate(event, model, key_field)
        if parsed is not None:
            pairs.append((event, parsed))
    for topic, count in Counter(event.message.topic for event in events).items():
        metrics.record_received(topic, count)  # once validated: a refused one is dead-lettered by now
    return pairs


def coordinate(event: EventT) -> tuple[int, int]:
    """Where ``event`` came from: (partition, offset) on its input topic."""
    return event.message.partition, event.message.offset


def as_event(event: EventT) -> None:
    """Make ``event`` the current event, so table reads and writes use its partition.

    Faust attributes a table write to the partition of the current event. In a batch that holds
    several partitions, each key's writes must be attributed to the partition its events came
    from (all events of one key share it), so they land in the right changelog partition.
    """
    _current_event.set(weakref.ref(event))


async def valid_events(stream: StreamT, model: type[M], key_field: str | None) -> AsyncIterator[M]:
    """Yield each message of ``stream`` that validates as ``model``; dead-letter the others."""
    async for event in stream.events():
        started = time.perf_counter()
        parsed = await _validate(event, model, key_field)
        metrics.record_received(event.message.topic)
        if parsed is not None:
            yield parsed
        metrics.record_batch(_agent_name(event), 1, metrics.since(started))


def _agent_name(event: EventT) -> str:
    """The metrics label of the agent handling ``event``: its input topic, without the app's prefix."""
    return event.message.topic.removeprefix(f"{settings.app_id}-")


def store(table, key: str, folded: tuple[dict | None, int, int], source: str) -> None:
    """Write a folded update ``(value, applied, duplicates)`` of one key and count it.

    In a batch, call ``as_event`` with one of the key's events before reading the key, so the
    read and this write use the key's own partition.
    """
    value, applied, duplicates = folded
    count_applied(source, applied, duplicates)
    if applied:
        table[key] = value


def count_applied(source: str, applied: int, duplicates: int) -> None:
    """Count ``applied`` updates and ``duplicates`` dropped from ``source`` (log line, metrics, dashboard)."""
    counters.accepted[source] += applied
    counters.duplicates[source] += duplicates
    metrics.record_applied(source, applied, duplicates)
