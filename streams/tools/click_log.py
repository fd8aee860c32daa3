"""Read a click topic once, from its beginning to its end, for offline training.

``read_click_events`` replays ``shop.clicks`` (or a copy of it) straight from
the broker: it assigns every partition itself, so it never joins a consumer
group and never commits an offset; the worker's progress is untouched. It stops
at the end offsets the topic had when it started, so clicks arriving meanwhile
wait for the next run. Each message is validated exactly like the worker does;
invalid ones are counted and skipped.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaConnectionError

from schemas.events import ProductClicked
from streams.kafka_clients import client_kwargs
from streams.settings import get_settings
from streams.flows.intake.validation import parse_event

Progress = Callable[[int, int], None]  # (records read so far, records to read in all)
_BATCH_MAX_RECORDS = 10_000
_POLL_TIMEOUT_MS = 500


async def read_click_events(
    bootstrap: str, topic: str, *, idle_timeout_s: float = 5.0, progress: Progress | None = None,
    max_bytes: int | None = None,
) -> tuple[list[ProductClicked], int]:
    """Return the topic's valid click events, in per-partition order, and how many were invalid.

    bootstrap: Kafka bootstrap servers as ``host:port[,host:port]``.
    idle_timeout_s: give up with ``TimeoutError`` when no record arrives for this
        long while some partition is still short of its end offset.
    progress: called after every batch with (records read so far, records in all).
    max_bytes: messages larger than this are invalid (default: SHOPSTREAM_MAX_EVENT_BYTES).
    Raises ``ValueError`` when the topic does not exist or has no partitions, and
    ``ConnectionError`` when the broker cannot be reached.
    """
    limit = get_settings().max_event_bytes if max_bytes is None else max_bytes
    consumer = AIOKafkaConsumer(**client_kwargs(get_settings(), bootstrap), group_id=None, enable_auto_commit=False)
    try:
        partitions = await _partitions(bootstrap, topic)
        await consumer.start()
        offsets = await _assign_from_beginning(consumer, partitions)
        return await _read_until_end(consumer, offsets, limit, idle_timeout_s, progress)
    except KafkaConnectionError as exc:
        raise ConnectionError(f"Cannot reach Kafka at {bootstrap!r} ({exc}). Check the address "
                              "(host:port) and that the broker is running.") from exc
    finally:
        await consumer.stop()


def read_click_events_sync(bootstrap: str, topic: str, **options) -> tuple[list[ProductClicked], int]:
    """``read_click_events`` for synchronous callers (the command line); same options."""
    return asyncio.run(read_click_events(bootstrap, topic, **options))


async def _partitions(bootstrap: str, topic: str) -> list[TopicPartition]:
    """Every partition of ``topic``, or ``ValueError`` when it does not exist or has none.

    Asks for every topic's metadata, not just this one's, so a mistyped name
    is reported instead of auto-created by the broker.
    """
    admin = AIOKafkaAdminClient(**client_kwargs(get_settings(), bootstrap))
    await admin.start()
    try:
        described = {entry["topic"]: entry for entry in await admin.describe_topics()}
    finally:
        await admin.close()
    numbers = sorted(p["partition"] for p in described.get(topic, {}).get("partitions", []))
    if not numbers:
        raise ValueError(f"Topic {topic!r} does not exist or has no partitions on {bootstrap}. Check the "
                         "name (e.g. shop.clicks) and --broker, or create it with `shopstream topics`.")
    return [TopicPartition(topic, number) for number in numbers]


async def _assign_from_beginning(
    consumer: AIOKafkaConsumer, partitions: list[TopicPartition]
) -> dict[TopicPartition, tuple[int, int]]:
    """Assign ``partitions`` at their start; return each one's (start, end) offsets as of now."""
    consumer.assign(partitions)
    await consumer.seek_to_beginning(*partitions)
    starts = await consumer.beginning_offsets(partitions)
    ends = await consumer.end_offsets(partitions)
    return {tp: (starts[tp], ends[tp]) for tp in partitions}


async def _read_until_end(
    consumer: AIOKafkaConsumer, offsets: dict[TopicPartition, tuple[int, int]], max_bytes: int,
    idle_timeout_s: float, progress: Progress | None,
) -> tuple[list[ProductClicked], int]:
    """Fetch until every partition's position reaches the end offset it had at the start."""
    total = sum(end - start for start, end in offsets.values())
    ends = {tp: end for tp, (_, end) in offsets.items()}
    events: list[ProductClicked] = []
    read = invalid = 0
    if progress is not None:
        progress(read, total)
    pending = await _unfinished(consumer, ends)
    last_record = time.monotonic()
    while pending:
        batches = await consumer.getmany(*pending, timeout_ms=_POLL_TIMEOUT_MS, max_records=_BATCH_MAX_RECORDS)
        for tp, records in batches.items():
            wanted = [record for record in records if record.offset < ends[tp]]  # later ones: next run
            valid = _valid_clicks(wanted, max_bytes)
            events += valid
            read, invalid = read + len(wanted), invalid + len(wanted) - len(valid)
        if batches:
            last_record = time.monotonic()
            if progress is not None:
                progress(read, total)
        elif time.monotonic() - last_record > idle_timeout_s:
            raise TimeoutError(f"No records for {idle_timeout_s:g} s while {len(pending)} partition(s) of "
                               f"{pending[0].topic!r} were still short of their end offsets; "
                               "check the broker and try again.")
        pending = await _unfinished(consumer, ends)
    return events, invalid


def _valid_clicks(records: list, max_bytes: int) -> list[ProductClicked]:
    """The records that are valid click events keyed by their user, validated like the worker does."""
    parsed = (parse_event(record.value, ProductClicked, key=record.key, key_field="user_id", max_bytes=max_bytes)
              for record in records)
    return [event for event in parsed if isinstance(event, ProductClicked)]


async def _unfinished(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> list[TopicPartition]:
    """Partitions whose position is still short of their end offset; the others are paused."""
    pending = []
    for tp, end in ends.items():
        if await consumer.position(tp) < end:
            pending.append(tp)
        else:
            consumer.pause(tp)
    return pending
