"""Send replay events to Kafka with aiokafka, paced, with a progress bar.

``produce`` writes each event's value as JSON (orjson) under its key, waits
for every record to be acknowledged by all in-sync replicas (``acks="all"``)
before returning, and counts what Kafka acknowledged per topic. It creates no
topics: the broker's auto-creation or ``shopstream topics`` does.

On cancellation (Ctrl-C under ``asyncio.run``) it stops sending, waits for the
records already handed to the client, prints how many were acknowledged, and
re-raises ``CancelledError`` so callers stop too (``asyncio.run`` turns it into
``KeyboardInterrupt``, which a command line should catch).
"""

from __future__ import annotations

import asyncio
import logging
import operator
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from streams.kafka_clients import client_kwargs
from streams.settings import get_settings
from streams.tools.replay.events import Clock, ReplayEvent
from streams.tools.replay.ratelimit import TokenBucket

log = logging.getLogger(__name__)
LINGER_MS = 5  # how long the client waits to fill a batch; small keeps latency low
_PROGRESS_EVERY = 200  # events between progress-bar updates


class ReplayError(RuntimeError):
    """The replay could not reach Kafka or Kafka rejected a record."""


@dataclass(frozen=True)
class ReplayStats:
    """What a replay sent: records acknowledged by Kafka per topic, and how long it took."""

    sent: dict[str, int] = field(default_factory=dict)
    elapsed_s: float = 0.0
    interrupted: bool = False

    @property
    def total(self) -> int:
        """Records acknowledged, all topics together."""
        return sum(self.sent.values())

    def __str__(self) -> str:
        per_topic = ", ".join(f"{topic} {count:,}" for topic, count in sorted(self.sent.items()))
        rate = self.total / self.elapsed_s if self.elapsed_s > 0 else 0.0
        status = " (interrupted)" if self.interrupted else ""
        return (
            f"{self.total:,} events in {self.elapsed_s:.1f} s ({rate:,.0f}/s){status}"
            f"{': ' + per_topic if per_topic else ''}"
        )


class _Deliveries:
    """Counts acknowledged records per topic and keeps the first failure."""

    def __init__(self) -> None:
        self.acknowledged: Counter[str] = Counter()
        self.error: BaseException | None = None

    def track(self, topic: str, delivery: asyncio.Future) -> None:
        """Count ``delivery`` for ``topic`` once Kafka answers it."""
        delivery.add_done_callback(lambda done: self._settle(topic, done))

    def _settle(self, topic: str, done: asyncio.Future) -> None:
        """Count an acknowledged record, or remember the first failure."""
        if done.cancelled():
            return
        if done.exception() is None:
            self.acknowledged[topic] += 1
        elif self.error is None:
            self.error = done.exception()


async def produce(
    events: Iterable[ReplayEvent],
    *,
    bootstrap: str,
    rate: float | None,
    progress: bool = True,
    clock: Clock = "original",
) -> ReplayStats:
    """Send ``events`` to the Kafka cluster at ``bootstrap``; return what was acknowledged.

    rate: events per second (token bucket); None or 0 sends as fast as possible.
    clock: "original" sends values as built; "replay" sets each ``occurred_at``
        to the moment the event is sent (ids stay the same).
    Raises ReplayError when Kafka cannot be reached or rejects a record.
    """
    producer = AIOKafkaProducer(
        **client_kwargs(get_settings(), bootstrap), client_id="shopstream-replay", acks="all", linger_ms=LINGER_MS
    )
    try:
        await producer.start()
    except KafkaError as exc:
        await producer.stop()
        raise ReplayError(
            f"could not connect to Kafka at {bootstrap}: {exc!r}. Is the broker running "
            "(`shopstream broker`) and SHOPSTREAM_BROKER right?"
        ) from exc
    deliveries, started = _Deliveries(), time.monotonic()
    try:
        with _ProgressBar(progress, operator.length_hint(events, 0) or None) as advance:
            await _send_all(producer, events, deliveries, rate, clock, advance)
            await producer.flush()
    except BaseException as exc:  # cancelled, or failed: close the client, then say so
        stats = await _finish(producer, deliveries, started, interrupted=True)
        if isinstance(exc, KafkaError):
            raise _rejected(exc, stats) from exc
        _report(progress, f"Replay interrupted; Kafka acknowledged {stats}")
        raise
    stats = await _finish(producer, deliveries, started, interrupted=False)
    if deliveries.error is not None:
        raise _rejected(deliveries.error, stats) from deliveries.error
    return stats


def _rejected(error: BaseException, stats: ReplayStats) -> ReplayError:
    """Return the error telling that Kafka refused part of the replay."""
    return ReplayError(
        f"Kafka refused a replayed record ({error!r}); the replay stopped after {stats}. "
        "If the input topics do not exist and the broker does not create them, run "
        "`shopstream topics` first."
    )


def encode(event: ReplayEvent, clock: Clock = "original") -> tuple[bytes, bytes]:
    """Return the record's key and value bytes; ``clock="replay"`` stamps ``occurred_at`` now."""
    value = event.value
    if clock == "replay":
        value = {**value, "occurred_at": datetime.now(UTC).isoformat().replace("+00:00", "Z")}
    return event.key.encode("utf-8"), orjson.dumps(value)


async def _send_all(
    producer: AIOKafkaProducer,
    events: Iterable[ReplayEvent],
    deliveries: _Deliveries,
    rate: float | None,
    clock: Clock,
    advance: Callable[[int], None],
) -> None:
    """Hand every event to the client, paced by ``rate``, until done or a failure."""
    bucket = TokenBucket(rate) if rate else None
    handed = 0
    for event in events:
        if deliveries.error is not None:
            return
        if bucket is not None and (delay := bucket.reserve()) > 0:
            await asyncio.sleep(delay)
        key, value = encode(event, clock)
        delivery = await producer.send(event.topic, value, key=key)
        deliveries.track(event.topic, delivery)
        handed += 1
        if handed % _PROGRESS_EVERY == 0:
            advance(_PROGRESS_EVERY)
    advance(handed % _PROGRESS_EVERY)


async def _finish(
    producer: AIOKafkaProducer, deliveries: _Deliveries, started: float, *, interrupted: bool
) -> ReplayStats:
    """Wait for the records in flight, stop the client, and return the tally."""
    try:
        await producer.stop()  # flushes what was handed over, then closes
    except KafkaError as exc:
        log.warning("stopping the Kafka producer failed: %r", exc)
    return ReplayStats(
        sent=dict(sorted(deliveries.acknowledged.items())),
        elapsed_s=time.monotonic() - started,
        interrupted=interrupted,
    )


class _ProgressBar:
    """A rich progress bar (or nothing) that the send loop advances."""

    def __init__(self, enabled: bool, total: int | None) -> None:
        self._progress = Progress(
            TextColumn("replay"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TimeRemainingColumn(), disable=not enabled, console=Console(stderr=True),
        )  # fmt: skip
        self._task = self._progress.add_task("replay", total=total)

    def __enter__(self) -> Callable[[int], None]:
        self._progress.start()
        return lambda count: self._progress.advance(self._task, count)

    def __exit__(self, *exc_info) -> None:
        self._progress.stop()


def _report(on_console: bool, message: str) -> None:
    """Tell the person running the replay: on the console (stderr), or else in the log."""
    if on_console:
        Console(stderr=True).print(message, highlight=False)
    else:
        log.warning(message)
