"""The Kafka half of bench/reviews.py: (b) one worker's scoring rate and (c) latency at a paced load.

One embedded broker, one ``faust -A streams.app worker`` with SHOPSTREAM_ROLE=all, kept for both
figures: (b) warms it, so (c) needs no warm-up of its own. Both watch shop.review-scores with a
plain aiokafka consumer (``Arrivals``) and match each ReviewScored to its review by ``caused_by``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from aiokafka import AIOKafkaProducer

from bench.measure import Arrivals, reviews_logged, running, send_paced
from bench.reviews_inputs import Messages, as_messages
from bench.timing import busy_seconds, cores_between, progress
from schemas.topics import REVIEW_SCORES, REVIEWS
from streams.tools.topics import create_topics, plan_topics
from streams.tools.broker import EmbeddedKafka
from streams.tools.replay.events import ReplayEvent
from streams.settings import get_settings
from streams.tools.processes import Worker, free_port, produce

PARTITIONS = 4
WORKER_START_S = 300.0  # a worker loads torch, MiniLM and the classifier before it is ready
REPORT_WAIT_S = 2.5  # the harness makes workers log their totals every 2 s; wait for a fresh line
# aiokafka's producer warns, then retries, while a topic just created has no leader yet; the retries succeed
logging.getLogger("aiokafka").setLevel(logging.ERROR)


def worker_env(args: argparse.Namespace, registry: Path) -> dict[str, str]:
    """The worker's SHOPSTREAM_* settings: everything in one worker, the bench's device, batch and registry,
    and no other model work sharing the CPU with scoring: no search intent (background title indexing)
    and no copy writer (it would write copy for the catalog sent; a worker without one ignores the flag)."""
    return {"SHOPSTREAM_ROLE": "all", "SHOPSTREAM_MODEL_REGISTRY": str(registry), "SHOPSTREAM_SEARCH_INTENT": "false",
            "SHOPSTREAM_COPY_ENABLED": "false", "SHOPSTREAM_INFERENCE_DEVICE": args.device,
            "SHOPSTREAM_INFERENCE_BATCH_MAX": str(args.batch), "SHOPSTREAM_PARTITIONS": str(PARTITIONS)}


def through_kafka(args: argparse.Namespace, registry: Path, scratch: Path, catalog: Messages,
                  reviews: tuple[ReplayEvent, list[ReplayEvent], list[ReplayEvent]],
                  measured_one: Callable[[str, dict], None]) -> None:
    """Measure (b), then (c) unless it has no reviews, handing each to ``measured_one(name, figure)`` as
    soon as it is measured; ``reviews`` are the warm-up review, (b)'s and (c)'s. The broker and the
    worker are stopped on the way out, whatever happened."""
    warmup, measured, paced = reviews
    progress("starting the embedded Kafka broker")
    with EmbeddedKafka(data_dir=scratch / "kafka", port=free_port(), cache_dir=get_settings().cache_dir) as kafka:
        asyncio.run(create_topics(kafka.bootstrap, plan_topics(PARTITIONS, 1)))
        asyncio.run(produce(kafka.bootstrap, catalog))
        progress(f"broker up; {len(catalog)} products in shop.catalog; starting the worker (role=all)")
        with running(Worker(kafka.bootstrap, "bench-reviews", scratch / "worker",
                            extra_env=worker_env(args, registry))) as worker:
            worker.start(WORKER_START_S)
            progress(f"worker up (log {worker.log_path}); waiting for the warm-up review's score")
            asyncio.run(scored_once(worker, kafka, warmup))
            progress(f"(b): {len(measured)} reviews produced at once")
            measured_one("agent", asyncio.run(agent_rate(worker, kafka, measured)))
            if paced:
                progress(f"(c): {len(paced)} reviews at {args.rate}/s (~{len(paced) / args.rate:.0f} s)")
                measured_one("latency", asyncio.run(paced_latencies(worker, kafka, paced, args.rate)))
            progress("stopping the worker")
        progress("stopping the broker")


def batches_between(before: tuple[int, int], after: tuple[int, int]) -> str:
    """The reviews and inference batches the worker logged between two ``reviews_logged``, in words."""
    reviews, batches = after[0] - before[0], after[1] - before[1]
    return f"logged {reviews} reviews in {batches} batches (mean batch {reviews / max(batches, 1):.1f})"


async def scored_once(worker: Worker, kafka: EmbeddedKafka, review: ReplayEvent) -> None:
    """Send one review and wait for its score: the worker's models are loaded and warm after it."""
    arrivals = Arrivals(kafka.bootstrap, PARTITIONS, {review.value["event_id"]}, topic=REVIEW_SCORES)
    await arrivals.start()
    following = asyncio.create_task(arrivals.follow())
    try:
        await produce(kafka.bootstrap, as_messages([review]))
        await arrivals.wait(arrivals.awaited, "warm-up", worker.log_path)
        await asyncio.sleep(REPORT_WAIT_S)  # so the worker's next totals, read before (b), include it
    finally:
        following.cancel()
        await arrivals.stop()


async def agent_rate(worker: Worker, kafka: EmbeddedKafka, reviews: list[ReplayEvent]) -> dict:
    """(b) Reviews/s of the worker scoring ``reviews`` produced at once, from the first score read to the last."""
    causes = {review.value["event_id"] for review in reviews}
    arrivals = Arrivals(kafka.bootstrap, PARTITIONS, causes, {"worker": worker.process.pid,
                                                              "broker": kafka.process.pid}, topic=REVIEW_SCORES)
    await arrivals.start()
    following = asyncio.create_task(arrivals.follow())
    try:
        logged, sent = reviews_logged(worker), time.monotonic()
        await produce(kafka.bootstrap, as_messages(reviews))
        await arrivals.wait(causes, "(b)", worker.log_path)
        await asyncio.sleep(REPORT_WAIT_S)
        times = sorted(arrivals.at.values())
        return {"rate": arrivals.rate(), "cores": arrivals.cores_busy(), "duplicates": arrivals.duplicates,
                "batches": batches_between(logged, reviews_logged(worker)), "first_after": times[0] - sent,
                "first_batch": sum(1 for at in times if at == times[0]), "span": times[-1] - times[0],
                "counted": sum(1 for at in times if at > times[0])}
    finally:
        following.cancel()
        await arrivals.stop()


async def paced_latencies(worker: Worker, kafka: EmbeddedKafka, reviews: list[ReplayEvent], rate: float) -> dict:
    """(c) Seconds from sending each review to reading its score, at ``rate`` reviews/s."""
    arrivals = Arrivals(kafka.bootstrap, PARTITIONS, {review.value["event_id"] for review in reviews},
                        topic=REVIEW_SCORES)
    await arrivals.start()
    following = asyncio.create_task(arrivals.follow())
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap, linger_ms=0)
    await producer.start()
    try:
        watched = {"worker": worker.process.pid, "broker": kafka.process.pid, "bench": os.getpid()}
        logged, cpu_start, start = reviews_logged(worker), busy_seconds(watched), time.monotonic()
        sent, offered = await send_paced(producer, REVIEWS, reviews, rate, start)
        await arrivals.wait(set(sent), "(c)", worker.log_path)
        cores = cores_between(cpu_start, busy_seconds(watched), time.monotonic() - start)
        await asyncio.sleep(REPORT_WAIT_S)
        return {"latencies": sorted(arrivals.at[cause] - at for cause, at in sent.items()), "offered": offered,
                "cores": cores, "batches": batches_between(logged, reviews_logged(worker))}
    finally:
        following.cancel()
        await producer.stop()
        await arrivals.stop()
