"""Ingest benchmark: one worker's state-apply rate against the raw consume rate, same events, one run.

On a fresh embedded Kafka it produces the first N real replayed clicks (MovieLens-100k) to
shop.clicks, then measures in the same run:

  (a) raw:    an aiokafka consumer reading the N records (bytes only, no decoding);
  (b) worker: one `faust -A streams.app worker` applying them to state: validation, the user
              profile, the re-key to product_id and the product stats (both changelogs), until
              its committed offsets cover all N records on shop.clicks and everything it
              forwarded on the internal product-interactions topic.

It prints both rates, the ratio (b)/(a), and the worker's CPU seconds per event, which tells
whether the worker was CPU-bound. Run: `python -m bench.ingest --events 20000`.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient


from bench.timing import cpu_seconds
from schemas.topics import CLICKS
from shopmodels.datasets.clothing import load_clothing_reviews
from shopmodels.datasets.fetch import fetch_datasets
from shopmodels.datasets.movielens import load_movielens
from streams.tools.topics import create_topics, plan_topics
from streams.tools.broker import EmbeddedKafka
from streams.tools.replay.events import build_replay
from streams.settings import get_settings
from streams.tools.processes import Worker, free_port, produce


PARTITIONS = 4


def real_clicks(count: int) -> list[tuple[str, bytes, bytes]]:
    """The first ``count`` clicks of the real replay as (topic, key, value) messages."""
    paths = fetch_datasets(get_settings().cache_dir, progress=False)
    events = build_replay(load_movielens(paths), load_clothing_reviews(paths), clock="original")
    clicks = (e for e in events if e.topic == CLICKS)
    chosen = [next(clicks) for _ in range(count)]
    return [(e.topic, e.key.encode(), orjson.dumps(e.value)) for e in chosen]


async def raw_consume_rate(bootstrap: str, count: int, partitions: int) -> float:
    """Records/s of a plain aiokafka consumer reading ``count`` records of shop.clicks."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                auto_offset_reset="earliest")
    await consumer.start()
    try:
        assigned = [TopicPartition(CLICKS, p) for p in range(partitions)]
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        seen, start = 0, time.perf_counter()
        while seen < count:
            batches = await consumer.getmany(timeout_ms=1000, max_records=10_000)
            seen += sum(len(records) for records in batches.values())
        return count / (time.perf_counter() - start)
    finally:
        await consumer.stop()


async def committed(admin: AIOKafkaAdminClient, group: str) -> dict[str, int]:
    """Committed offsets of ``group`` summed per topic."""
    offsets = await admin.list_consumer_group_offsets(group)
    totals: dict[str, int] = {}
    for tp, meta in offsets.items():
        totals[tp.topic] = totals.get(tp.topic, 0) + max(meta.offset, 0)
    return totals


async def end_offsets(bootstrap: str, topic: str) -> int:
    """Records in ``topic`` (sum of its partitions' end offsets)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in range(PARTITIONS)]
        return sum((await consumer.end_offsets(partitions)).values())
    finally:
        await consumer.stop()


async def worker_apply_rate(worker: Worker, bootstrap: str, count: int) -> tuple[float, float]:
    """(events/s, CPU seconds per event) of ``worker`` applying ``count`` clicks to state."""
    interactions = f"{worker.app_id}-product-interactions"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        pid = worker.process.pid
        start, cpu_start = time.perf_counter(), cpu_seconds(pid)
        while (await committed(admin, worker.app_id)).get(CLICKS, 0) < count:
            await asyncio.sleep(0.1)
        # every click is now on the internal topic (batched per product); wait until it is applied
        forwarded = await end_offsets(bootstrap, interactions)
        while (await committed(admin, worker.app_id)).get(interactions, 0) < forwarded:
            await asyncio.sleep(0.1)
        elapsed = time.perf_counter() - start
        return count / elapsed, (cpu_seconds(pid) - cpu_start) / count
    finally:
        await admin.close()


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20_000, help="Real clicks to process (default 20000).")
    parser.add_argument("--store", choices=["memory://", "rocksdb://"], default="rocksdb://",
                        help="Table store of the worker (default rocksdb://, the worker's default).")
    args = parser.parse_args()
    messages = real_clicks(args.events)
    with tempfile.TemporaryDirectory(prefix="shopstream-bench-") as tmp:
        with EmbeddedKafka(data_dir=Path(tmp) / "kafka", port=free_port(),
                           cache_dir=get_settings().cache_dir) as kafka:
            asyncio.run(create_topics(kafka.bootstrap, plan_topics(PARTITIONS, 1)))
            asyncio.run(produce(kafka.bootstrap, messages))
            raw = asyncio.run(raw_consume_rate(kafka.bootstrap, args.events, PARTITIONS))
            worker = Worker(kafka.bootstrap, "bench-ingest", Path(tmp) / "worker", store=args.store,
                            extra_env={"SHOPSTREAM_COMMIT_INTERVAL_S": "0.2",
                                       "SHOPSTREAM_PARTITIONS": str(PARTITIONS)})
            worker.start()
            try:
                applied, cpu_per_event = asyncio.run(worker_apply_rate(worker, kafka.bootstrap, args.events))
            finally:
                worker.stop()
    print(f"events:                      {args.events:,} real MovieLens clicks, 4 partitions, store {args.store}")
    print(f"(a) raw aiokafka consume:    {raw:,.0f} records/s")
    print(f"(b) worker applies to state: {applied:,.0f} events/s")
    print(f"ratio (b)/(a):               {applied / raw:.3f}")
    print(f"worker CPU per event:        {cpu_per_event * 1e6:,.0f} us "
          f"(x rate = {cpu_per_event * applied:.2f} cores busy)")


if __name__ == "__main__":
    main()
