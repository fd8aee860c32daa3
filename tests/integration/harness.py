"""What only the integration tests need beside ``streams.tools.processes``: waiting for a condition,
and reading the dead letters with an independent client (librdkafka)."""

from __future__ import annotations

import asyncio
import time
import uuid

from confluent_kafka import Consumer
import orjson

from schemas.topics import DEAD_LETTERS


async def eventually(check, timeout: float = 90.0, interval: float = 1.0, explain=None):
    """Await ``check()`` until it returns a truthy value; fail with its last result after ``timeout``, and
    with what ``explain()`` says (a worker's log tail, say) when given."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    said = f"\n{explain()}" if explain else ""
    raise AssertionError(f"condition not met within {timeout}s; last result: {last!r}{said}")


def read_dead_letters(bootstrap: str, count_at_least: int, timeout: float = 60.0) -> list[dict]:
    """Every record of shop.dead-letters, read with an independent client (librdkafka)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"dlq-check-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([DEAD_LETTERS])
    records, idle = [], 0
    try:
        while idle < int(timeout) and (len(records) < count_at_least or idle < 3):
            message = consumer.poll(1.0)
            if message is None or message.error():
                idle += 1
                continue
            idle = 0
            records.append({"key": message.key(), **orjson.loads(message.value())})
    finally:
        consumer.close()
    return records


async def create_inference_topics(bootstrap: str, app_id: str, partitions: int = 4) -> None:
    """The internal topics an inference worker would create, for a state-only worker run without one
    (its recommendation and review requests then have a home instead of waiting for metadata)."""
    from streams.tools.topics import TopicPlan, create_topics

    await create_topics(bootstrap, [TopicPlan(f"{app_id}-{suffix}", partitions, 1, {})
                                    for suffix in ("inference-requests", "review-requests", "copy-requests",
                                                   "slots-lost")])
