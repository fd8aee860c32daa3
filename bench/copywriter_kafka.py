"""The Kafka half of bench/copywriter.py: (b) one worker's copy agent, tokens/s at one batch size.

A fresh embedded broker and ``faust -A streams.app worker`` per batch size. The bench watches
shop.product-copy with a plain aiokafka consumer (``Arrivals``) and matches each
ProductCopyGenerated to its catalog event by ``caused_by``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import time
from pathlib import Path

from bench.copywriter_inputs import as_messages
from bench.measure import Arrivals, running, wait_logged
from bench.timing import busy_seconds, cores_between, progress
from schemas.topics import PRODUCT_COPY
from streams.tools.topics import create_topics, plan_topics
from streams.tools.broker import EmbeddedKafka
from streams.tools.replay.events import ReplayEvent
from streams.settings import get_settings
from streams.tools.processes import Worker, free_port, produce

PARTITIONS = 4
WORKER_START_S = 300.0  # a worker imports torch and Faust before it owns its partitions
COPY_READY_S = 300.0  # then loads SmolLM2 (converted once into the cache; about a second after that)
COPY_WAIT_S = 900.0  # a batch of 8 copies on a busy 2-core CPU can take minutes with no record in between
GROUP_GAP_S = 0.5  # records read within this of the previous one count as one group (one batch, mostly)
# aiokafka's producer warns, then retries, while a topic just created has no leader yet; the retries succeed
logging.getLogger("aiokafka").setLevel(logging.ERROR)


def worker_env(args: argparse.Namespace, batch: int, registry: Path) -> dict[str, str]:
    """The worker's SHOPSTREAM_* settings: everything in one worker, copy on at ``batch`` with the bench's
    generation settings, and no other model work (an empty registry, no search intent)."""
    return {"SHOPSTREAM_ROLE": "all", "SHOPSTREAM_MODEL_REGISTRY": str(registry), "SHOPSTREAM_SEARCH_INTENT": "false",
            "SHOPSTREAM_COPY_ENABLED": "true", "SHOPSTREAM_COPY_WRITER": "model", "SHOPSTREAM_COPY_BATCH_MAX": str(batch),
            "SHOPSTREAM_COPY_MAX_NEW_TOKENS": str(args.max_new_tokens),
            "SHOPSTREAM_COPY_TEMPERATURE": str(args.temperature), "SHOPSTREAM_COPY_TOP_P": str(args.top_p),
            "SHOPSTREAM_COPY_SEED": str(args.seed), "SHOPSTREAM_INFERENCE_DEVICE": args.device,
            "SHOPSTREAM_PARTITIONS": str(PARTITIONS)}


def agent_rate(args: argparse.Namespace, batch: int, scratch: Path, warmup: ReplayEvent,
               products: list[ReplayEvent]) -> dict:
    """(b) at ``batch``: start a broker and a worker, write the warm-up product's copy, then measure
    ``products``. Both are stopped on the way out, whatever happened."""
    progress(f"(b) batch {batch}: starting the embedded Kafka broker")
    (scratch / "registry").mkdir(parents=True)
    with EmbeddedKafka(data_dir=scratch / "kafka", port=free_port(), cache_dir=get_settings().cache_dir) as kafka:
        asyncio.run(create_topics(kafka.bootstrap, plan_topics(PARTITIONS, 1)))
        progress(f"(b) batch {batch}: broker up; starting the worker (role=all, copy batch {batch})")
        with running(Worker(kafka.bootstrap, f"bench-copy-{batch}", scratch / "worker",
                            extra_env=worker_env(args, batch, scratch / "registry"))) as worker:
            worker.start(WORKER_START_S)
            asyncio.run(wait_logged(worker, "Copy writer ready", COPY_READY_S))
            progress(f"(b) batch {batch}: worker up (log {worker.log_path}); writing the warm-up product's copy")
            asyncio.run(written(worker, kafka, [warmup]))
            progress(f"(b) batch {batch}: {len(products)} products produced at once")
            figure = asyncio.run(written(worker, kafka, products))
            progress(f"(b) batch {batch}: stopping the worker and the broker")
    return figure


async def written(worker: Worker, kafka: EmbeddedKafka, products: list[ReplayEvent]) -> dict:
    """Produce ``products`` at once and wait for their copy: tokens/s from the send to the last record read."""
    causes = {event.value["event_id"] for event in products}
    arrivals = Arrivals(kafka.bootstrap, PARTITIONS, causes, topic=PRODUCT_COPY)
    await arrivals.start()
    following = asyncio.create_task(arrivals.follow())
    watched = {"worker": worker.process.pid, "broker": kafka.process.pid, "bench": os.getpid()}
    try:
        before, sent = busy_seconds(watched), time.monotonic()
        await produce(kafka.bootstrap, as_messages(products))
        await arrivals.wait(causes, "copy", worker.log_path, COPY_WAIT_S)
        after, seconds = busy_seconds(watched), max(arrivals.at.values()) - sent
        tokens = sum(value["generation"]["new_tokens"] for value in arrivals.values.values())
        return {"rate": tokens / seconds, "tokens": tokens, "seconds": seconds,
                "first_after": min(arrivals.at.values()) - sent, "groups": groups(sorted(arrivals.at.values())),
                "published": sum(value["published"] for value in arrivals.values.values()),
                "duplicates": arrivals.duplicates, "cores": cores_between(before, after, time.monotonic() - sent)}
    finally:
        following.cancel()
        await arrivals.stop()


def groups(times: list[float]) -> list[int]:
    """Sizes of the runs of arrival times at most ``GROUP_GAP_S`` apart."""
    sizes = [1]
    for previous, current in zip(times, times[1:]):
        if current - previous <= GROUP_GAP_S:
            sizes[-1] += 1
        else:
            sizes.append(1)
    return sizes
