"""One dead letter per malformed record, even when Kafka delivers the record again.

The dead-letter topic is its own ledger. A worker keeps in memory, per input topic and
partition, the highest offset it knows was dead-lettered; it fills that memory from the topic's
newest records (``SHOPSTREAM_DEAD_LETTER_LOOKBACK`` per partition) the first time it refuses a
record after a partition assignment, and moves it with each dead letter it sends. A record at or
below that offset is not sent again. The memory dies with the process, and the topic outlives
it: a dead letter that never reached Kafka before a crash is not in the topic, so its record is
sent again when it is redelivered; one that did is found there. None lost, none repeated.
"""

from __future__ import annotations

import logging

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.kafka_clients import client_kwargs
from streams.settings import get_settings


def ledger_key(topic: str, partition: int) -> str:
    """The ledger entry of one input partition, e.g. ``shop.clicks@2``."""
    return f"{topic}@{partition}"


def already_dead_lettered(highest: int | None, offset: int) -> bool:
    """True when the record at ``offset`` is at or below the partition's highest dead-lettered offset."""
    return highest is not None and offset <= highest


def highest_offsets(values: list[bytes]) -> dict[str, int]:
    """The highest source offset per input partition among dead-letter record values."""
    highest: dict[str, int] = {}
    for value in values:
        record = orjson.loads(value)
        key = ledger_key(record["source_topic"], record["source_partition"])
        highest[key] = max(highest.get(key, -1), record["source_offset"])
    return highest


async def read_newest(bootstrap: str, topic: str, per_partition: int) -> list[bytes]:
    """The values of the newest ``per_partition`` records of each partition of ``topic``."""
    consumer = AIOKafkaConsumer(**client_kwargs(get_settings(), bootstrap), enable_auto_commit=False)
    await consumer.start()
    try:
        if topic not in await consumer.topics():
            return []
        consumer.subscribe([topic])  # no group: every partition, once the metadata is in
        for _ in range(300):  # 30 s at most
            if consumer.assignment():
                break
            await consumer.getmany(timeout_ms=100)
        else:
            raise TimeoutError(f"no partition of {topic} assigned within 30 s: cannot tell what was dead-lettered")
        partitions = sorted(consumer.assignment())
        ends = await consumer.end_offsets(partitions)
        starts = await consumer.beginning_offsets(partitions)
        for tp in partitions:
            consumer.seek(tp, max(starts[tp], ends[tp] - per_partition))
        values: list[bytes] = []
        behind = {tp for tp in partitions if ends[tp] > starts[tp]}
        while behind:
            for tp, records in (await consumer.getmany(*behind, timeout_ms=1000)).items():
                values.extend(r.value for r in records if r.offset < ends[tp] and r.value is not None)
            behind = {tp for tp in behind if await consumer.position(tp) < ends[tp]}
        return values
    finally:
        await consumer.stop()


class Ledger:
    """What this worker knows was dead-lettered: filled from the topic after each assignment."""

    def __init__(self) -> None:
        self.highest: dict[str, int] | None = None  # None: read the topic before the next decision

    def forget(self) -> None:
        """Read the topic again before the next decision (partitions moved; another worker may have sent some)."""
        self.highest = None

    async def sent_before(self, key: str, offset: int, read) -> bool:
        """Whether the record at ``offset`` of ``key`` was dead-lettered; ``read()`` gives the topic's newest values."""
        if self.highest is None:
            values = await read()
            self.highest = highest_offsets(values)
            log.info("Read %d dead letters back: refused records already sent, up to %s", len(values), self.highest)
        return already_dead_lettered(self.highest.get(key), offset)

    def record(self, key: str, offset: int) -> None:
        """The dead letter of the record at ``offset`` of ``key`` was handed to the producer."""
        if self.highest is not None:
            self.highest[key] = max(self.highest.get(key, -1), offset)


ledger = Ledger()
log = logging.getLogger(__name__)
