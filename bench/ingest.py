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

from aiokafka.admin import AIOKafkaAdminClient

from bench.kafka_clicks import PARTITIONS, broker_with_clicks, committed, end_offsets, raw_consume_rate, real_clicks
from bench.timing import cpu_seconds
from schemas.topics import CLICKS
from streams.tools.processes import Worker


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
        with broker_with_clicks(Path(tmp), messages) as kafka:
            raw, _ = asyncio.run(raw_consume_rate(kafka.bootstrap, args.events))
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
