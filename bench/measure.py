"""Measuring helpers for the Kafka benchmarks (bench/recommend.py, bench/reviews.py): arrivals, worker logs.

* ``Arrivals``: when each awaited record (a list on shop.recommendations, a score on
  shop.review-scores...) first arrived, read with a plain aiokafka consumer;
* ``send_paced``: events sent at a fixed rate, for the latency figures;
* ``batches_logged`` / ``reviews_logged`` / ``wait_logged`` / ``running``: a worker's progress
  lines and lifetime.

CPU shares and pass timing, which need no Kafka, are in ``bench/timing.py``.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from aiokafka import AIOKafkaConsumer, TopicPartition

from bench.timing import busy_seconds, cores_between
from schemas import codec
from schemas.topics import RECOMMENDATIONS
from streams.tools.processes import Worker

ANSWER_TIMEOUT_S = 120.0  # give up when no awaited record arrives for this long
# The inference worker's progress line (streams/monitoring/counters.py InferenceCounters.report):
# "inference: <rate> requests/s | mean batch <m> | <N> requests in <B> batches since start | model <v>
#  | reviews <R> (sentiment <version>...)"
REPORT = re.compile(r"inference: .*\| (\d+) requests in (\d+) batches since start")
REVIEWS_REPORT = re.compile(r"inference: .*\| \d+ requests in (\d+) batches since start \| .*\| reviews (\d+) ")


class Arrivals:
    """When each awaited record first arrived on ``topic`` (shop.recommendations unless told), by ``caused_by``.

    Reads every partition from its end at ``start()``, with a plain aiokafka consumer; ``values``
    holds the first record of each cause, decoded; ``cpu`` holds the CPU seconds of the watched
    processes at the first and at the latest arrival.
    """

    def __init__(self, bootstrap: str, partitions: int, awaited: set[str],
                 watched: dict[str, int] | None = None, topic: str = RECOMMENDATIONS) -> None:
        self.bootstrap, self.partitions, self.awaited, self.topic = bootstrap, partitions, awaited, topic
        self.watched = {"bench": os.getpid(), **(watched or {})}
        self.at: dict[str, float] = {}
        self.values: dict[str, dict] = {}  # the first record read for each cause, decoded
        self.duplicates = 0
        self.cpu: list[dict[str, float]] = []
        self.consumer: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        """Connect and position at the current end of every partition."""
        self.consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False)
        await self.consumer.start()
        partitions = [TopicPartition(self.topic, p) for p in range(self.partitions)]
        self.consumer.assign(partitions)
        await self.consumer.seek_to_end(*partitions)
        for partition in partitions:
            await self.consumer.position(partition)  # resolve now, before anything is produced

    async def follow(self) -> None:
        """Record arrivals until cancelled."""
        while True:
            batches = await self.consumer.getmany(timeout_ms=100, max_records=5000)
            now = time.monotonic()
            mine = [value for value in (codec.loads(r.value) for rs in batches.values() for r in rs)
                    if value["caused_by"] in self.awaited]
            for value in mine:
                cause = value["caused_by"]
                self.duplicates += cause in self.at
                self.at.setdefault(cause, now)
                self.values.setdefault(cause, value)
            if mine:
                snapshot = busy_seconds(self.watched)
                self.cpu = [self.cpu[0] if self.cpu else snapshot, snapshot]  # at the first arrival, the latest

    async def wait(self, causes: set[str], what: str, log_path: Path, timeout: float = ANSWER_TIMEOUT_S) -> None:
        """Return once every one of ``causes`` has arrived; fail when none came for ``timeout`` seconds."""
        last, seen = time.monotonic(), 0
        while not causes <= self.at.keys():
            count = len(causes & self.at.keys())
            if count > seen:
                last, seen = time.monotonic(), count
            if time.monotonic() - last > timeout:
                raise TimeoutError(f"{what}: {seen} of {len(causes)} records arrived; no progress for "
                                   f"{timeout:.0f}s. Worker log: {log_path}")
            await asyncio.sleep(0.05)

    def rate(self) -> float:
        """Records/s from the first arrival to the last (what came with the first poll is not counted)."""
        times = sorted(self.at.values())
        return sum(1 for t in times if t > times[0]) / max(times[-1] - times[0], 1e-9)

    def cores_busy(self) -> dict[str, float]:
        """Mean cores each watched process (and all others) used between the first and the latest arrival."""
        return cores_between(self.cpu[0], self.cpu[-1], max(self.at.values()) - min(self.at.values()))

    async def stop(self) -> None:
        """Close the consumer."""
        await self.consumer.stop()


async def send_paced(producer, topic: str, events: list, rate: float, start: float) -> tuple[dict[str, float], float]:
    """Send replay ``events`` to ``topic`` at ``rate``/s from monotonic time ``start``; return each event id's
    send time and the rate actually offered."""
    sent: dict[str, float] = {}
    for position, event in enumerate(events):
        await asyncio.sleep(max(0.0, start + position / rate - time.monotonic()))
        sent[event.value["event_id"]] = time.monotonic()
        await producer.send(topic, key=event.key.encode(), value=codec.dumps(event.value))
    return sent, (len(events) - 1) / max(time.monotonic() - start, 1e-9)


def batches_logged(worker: Worker) -> str:
    """The worker's newest 'inference:' totals: requests and batches since start, and their mean."""
    found = REPORT.findall(worker.log_path.read_text(errors="replace"))
    if not found:
        return "no inference report logged"
    requests, batches = (int(value) for value in found[-1])
    return f"{requests} requests in {batches} batches (mean batch {requests / max(batches, 1):.1f})"


def reviews_logged(worker: Worker) -> tuple[int, int]:
    """The worker's newest totals since start: (reviews handed to scoring, inference batches); (0, 0) before
    its first report. Every batch counts, so with no recommendation requests all are review batches."""
    found = REVIEWS_REPORT.findall(worker.log_path.read_text(errors="replace"))
    batches, reviews = (int(value) for value in found[-1]) if found else (0, 0)
    return reviews, batches


async def wait_logged(worker: Worker, text: str, timeout: float) -> float:
    """Wait until ``text`` appears in the worker's log; returns the seconds waited."""
    start = time.monotonic()
    while text not in worker.log_path.read_text(errors="replace"):
        if worker.process.poll() is not None or time.monotonic() - start > timeout:
            raise TimeoutError(f"worker did not log {text!r} within {timeout:.0f}s:\n{worker.log_tail(1500)}")
        await asyncio.sleep(0.2)
    return time.monotonic() - start


@contextmanager
def running(worker: Worker):
    """Stop ``worker`` on the way out, whatever happened; say so if it did not exit cleanly."""
    try:
        yield worker
    finally:
        if worker.process is not None and worker.stop() != 0:
            print(f"note: worker {worker.app_id} exited with {worker.process.returncode}; log tail:\n"
                  f"{worker.log_tail(1500)}", file=sys.stderr)
