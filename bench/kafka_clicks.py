"""What the click benchmarks (bench/ingest.py, bench/peers.py) share: real clicks on a fresh broker, and
how to tell how far a consumer group has got through them.

* ``real_clicks``: the first N clicks of the real replay (MovieLens-100k) as Kafka messages;
* ``broker_with_clicks``: a fresh embedded Kafka with every topic created and the clicks produced once;
* ``raw_consume_rate``: a plain aiokafka consumer reading them (bytes only, no decoding);
* ``committed`` / ``end_offsets``: a consumer group's committed offsets and a topic's size, summed per topic;
* ``group_rate``: events/s and CPU per event of one process whose consumer group works through the clicks.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import CoordinatorNotAvailableError

from bench.timing import cpu_seconds, progress
from schemas.topics import CLICKS
from shopmodels.datasets.clothing import load_clothing_reviews
from shopmodels.datasets.fetch import fetch_datasets
from shopmodels.datasets.movielens import load_movielens
from streams.settings import get_settings
from streams.tools.broker import EmbeddedKafka
from streams.tools.processes import free_port, produce
from streams.tools.replay.events import build_replay
from streams.tools.topics import create_topics, plan_topics

PARTITIONS = 4
GROUP_TIMEOUT_S = 120.0  # give up when a consumer group makes no progress for this long
BUSY_CORES = 0.3  # a process using more than this many cores between two samples is still working


def real_clicks(count: int) -> list[tuple[str, bytes, bytes]]:
    """The first ``count`` clicks of the real replay as (topic, key, value) messages."""
    paths = fetch_datasets(get_settings().cache_dir, progress=False)
    events = build_replay(load_movielens(paths), load_clothing_reviews(paths), clock="original")
    clicks = [e for e in events if e.topic == CLICKS]
    if count > len(clicks):
        raise SystemExit(f"the replay holds {len(clicks):,} clicks: ask for at most that many (--events)")
    chosen = clicks[:count]
    return [(e.topic, e.key.encode(), orjson.dumps(e.value)) for e in chosen]


@contextmanager
def broker_with_clicks(scratch: Path, messages: list[tuple[str, bytes, bytes]]) -> Iterator[EmbeddedKafka]:
    """A fresh embedded Kafka under ``scratch`` with every public topic (``PARTITIONS`` partitions) and
    ``messages`` produced once; stopped on the way out."""
    with EmbeddedKafka(data_dir=scratch / "kafka", port=free_port(), partitions=PARTITIONS,
                       cache_dir=get_settings().cache_dir) as kafka:
        asyncio.run(create_topics(kafka.bootstrap, plan_topics(PARTITIONS, 1)))
        asyncio.run(produce(kafka.bootstrap, messages))
        yield kafka


async def raw_consume_rate(bootstrap: str, count: int, partitions: int = PARTITIONS) -> tuple[float, float]:
    """(records/s, CPU seconds per record of this process) of a plain aiokafka consumer reading ``count``
    records of shop.clicks."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                auto_offset_reset="earliest")
    await consumer.start()
    try:
        assigned = [TopicPartition(CLICKS, p) for p in range(partitions)]
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        seen, start, cpu_start = 0, time.perf_counter(), cpu_seconds(os.getpid())
        while seen < count:
            batches = await consumer.getmany(timeout_ms=1000, max_records=10_000)
            seen += sum(len(records) for records in batches.values())
        return count / (time.perf_counter() - start), (cpu_seconds(os.getpid()) - cpu_start) / count
    finally:
        await consumer.stop()


async def committed(admin: AIOKafkaAdminClient, group: str) -> dict[str, int]:
    """Committed offsets of ``group`` summed per topic; none while the broker has no coordinator for it yet
    (its offsets topic is made when the first group joins)."""
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    except CoordinatorNotAvailableError:
        return {}
    totals: dict[str, int] = {}
    for tp, meta in offsets.items():
        totals[tp.topic] = totals.get(tp.topic, 0) + max(meta.offset, 0)
    return totals


async def end_offsets(bootstrap: str, topic: str, partitions: int = PARTITIONS) -> int:
    """Records in ``topic`` (sum of its partitions' end offsets)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        found = consumer.partitions_for_topic(topic) or set(range(partitions))
        return sum((await consumer.end_offsets([TopicPartition(topic, p) for p in found])).values())
    finally:
        await consumer.stop()


async def group_rate(bootstrap: str, group: str, count: int, pid: int, exited=lambda: False) -> tuple[float, float]:
    """(events/s, CPU seconds per event of process ``pid``) of consumer group ``group`` working through
    ``count`` clicks on shop.clicks.

    The span starts at the group's first commit of shop.clicks, so start-up (imports, joining the group)
    is not counted, and the clicks committed by then are left out of the count. The work is done when
    the group has committed every click and everything the clicks caused on the other topics it reads
    (an internal re-key topic); the span ends at the last moment before that at which the process was
    still busy (``BUSY_CORES``), so the commit interval does not stretch it. ``exited()`` says the
    process has ended (it then fails at once).
    """
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        samples, first, sizes = [], None, {}  # (perf_counter, CPU seconds) after the first commit
        last_change, seen, reported = time.monotonic(), -1, time.monotonic()
        while True:
            totals, now = await committed(admin, group), (time.perf_counter(), cpu_seconds(pid))
            done = totals.get(CLICKS, 0)
            if first is None and done > 0:
                first = (*now, done)
            samples += [now] if first else []
            if done >= count:
                sizes.update({topic: await end_offsets(bootstrap, topic) for topic in set(totals) - {CLICKS} - sizes.keys()})
                if all(totals.get(topic, 0) >= size for topic, size in sizes.items()):
                    break
            if done != seen:
                last_change, seen = time.monotonic(), done
            if exited() or time.monotonic() - last_change > GROUP_TIMEOUT_S:
                raise TimeoutError(f"group {group} committed {done} of {count} clicks and stopped "
                                   f"({'process exited' if exited() else f'no progress for {GROUP_TIMEOUT_S:.0f}s'})")
            if time.monotonic() - reported > 5:
                progress(f"{group}: {done:,} of {count:,} clicks committed")
                reported = time.monotonic()
            await asyncio.sleep(0.05)
        if first[2] >= count:
            raise RuntimeError(f"group {group} committed all {count} clicks in its first commit: too few "
                               "events to time; use more (--events)")
        end = last_busy(samples)
        return (count - first[2]) / (end[0] - first[0]), (end[1] - first[1]) / (count - first[2])
    finally:
        await admin.close()


def last_busy(samples: list[tuple[float, float]]) -> tuple[float, float]:
    """The last (time, CPU seconds) sample that ends an interval in which the process used more than
    ``BUSY_CORES`` cores; the last sample if none did."""
    for (t0, cpu0), (t1, cpu1) in zip(reversed(samples[:-1]), reversed(samples)):
        if (cpu1 - cpu0) / max(t1 - t0, 1e-9) > BUSY_CORES:
            return t1, cpu1
    return samples[-1]
