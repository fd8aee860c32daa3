"""kill -9 in the middle of a hot product's backlog: every counter exact, one dead letter per bad record.

A state worker (RocksDB store, static membership) reads clicks keyed by user and reviews keyed
by product, sent with librdkafka's default partitioner (CRC32, not the murmur2 ShopStream's own
producer uses), 40% of the clicks on one product and 2% of the events sent twice by the shop.
It is killed with SIGKILL three times, each while it is applying a fresh chunk, and restarted,
once with its local store deleted. Thousands of the hot product's clicks are delivered again
after each kill, far more than the event-id memory holds; the offset markers carried through the
re-key must still apply each event exactly once, and each malformed record (one in 300) must
reach the dead-letter topic once, though it is delivered again after the kill.
"""

from __future__ import annotations

import asyncio
import base64
import os
import random
import shutil
import signal
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone

import aiohttp
import orjson
import pytest
from confluent_kafka import Producer
from prometheus_client.parser import text_string_to_metric_families

from schemas.topics import CLICKS, REVIEWS
from streams.tools.processes import Worker, http_get
from tests.integration.harness import eventually, read_dead_letters

pytestmark = pytest.mark.integration

USERS, PRODUCTS, CHUNK, CHUNKS = 200, 30, 3000, 3
HOT = "crash-p0"
KINDS = ["view"] * 8 + ["cart", "purchase"]
T0 = datetime(2026, 1, 5, 12, tzinfo=timezone.utc)


def shop_events(seed: int = 7) -> list[list[tuple[str, str, dict]]]:
    """CHUNKS chunks of (topic, key, value): clicks (40% on HOT) and a review every 20 clicks."""
    rng = random.Random(seed)
    products = [HOT] + [f"crash-p{n}" for n in range(1, PRODUCTS)]
    weights = [0.4] + [0.6 / (PRODUCTS - 1)] * (PRODUCTS - 1)
    chunks, n = [], 0
    for _ in range(CHUNKS):
        chunk = []
        for _ in range(CHUNK):
            n += 1
            at = (T0 + timedelta(seconds=n)).isoformat()
            product = rng.choices(products, weights)[0]
            user = f"crash-u{rng.randrange(USERS)}"
            chunk.append((CLICKS, user, {"event_id": f"crash-c{n}", "occurred_at": at, "user_id": user,
                                         "product_id": product, "kind": rng.choice(KINDS), "category": "Toys"}))
            if n % 20 == 0:
                reviewed = rng.choice(products[:5])
                chunk.append((REVIEWS, reviewed, {"event_id": f"crash-r{n}", "occurred_at": at, "review_id": f"r{n}",
                                                  "product_id": reviewed, "rating": rng.randint(1, 5),
                                                  "text": "Sturdy and fun."}))
            if rng.random() < 0.02:
                chunk.append(chunk[-1])  # the shop's producer sent it twice
            if n % 300 == 0:  # malformed: refused, dead-lettered once however often it is delivered
                chunk.append((CLICKS, user, {"event_id": f"crash-bad{n}", "user_id": user}))
        chunks.append(chunk)
    return chunks


def expected_counters(chunks) -> dict[str, dict[str, int]]:
    """Each product's counters from the distinct events."""
    distinct = {value["event_id"]: (topic, value) for chunk in chunks for topic, _, value in chunk}
    counters: dict[str, dict[str, int]] = {}
    for topic, value in distinct.values():
        product = counters.setdefault(value["product_id"], dict.fromkeys(
            ["views", "carts", "purchases", "reviews", "rating_sum"], 0))
        if topic == CLICKS:
            product[{"view": "views", "cart": "carts", "purchase": "purchases"}[value["kind"]]] += 1
        else:
            product["reviews"] += 1
            product["rating_sum"] += value["rating"]
    return counters


def send_with_librdkafka(bootstrap: str, chunk) -> None:
    """Send a chunk with confluent-kafka's default partitioner (CRC32 of the key)."""
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
    for topic, key, value in chunk:
        producer.produce(topic, key=key.encode(), value=orjson.dumps(value))
    assert producer.flush(60) == 0


async def applied_clicks(worker: Worker) -> float:
    """Clicks this worker process applied to product stats so far (its /metrics)."""
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{worker.url}/metrics", timeout=aiohttp.ClientTimeout(total=10)) as response:
            text = await response.text()
    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == "shopstream_events_applied_total" and sample.labels.get("source") == "product-interactions")


async def counters_of(worker: Worker, product_ids) -> dict[str, dict[str, int]]:
    found = {}
    for product_id in product_ids:
        status, body = await http_get(f"{worker.url}/products/{product_id}/stats")
        if status != 200:
            return {}
        found[product_id] = {name: body[name] for name in ("views", "carts", "purchases", "reviews", "rating_sum")}
    return found


def test_kill_9_during_a_hot_backlog_applies_every_event_once(own_kafka, tmp_path):
    chunks = shop_events()
    expected = expected_counters(chunks)
    assert expected[HOT]["views"] > 2000  # far beyond the 64 ids a key remembers
    worker = Worker(own_kafka.bootstrap, f"it-crash-{uuid.uuid4().hex[:8]}", tmp_path / "worker",
                    store="rocksdb://", extra_env={"SHOPSTREAM_ROLE": "state", "SHOPSTREAM_INSTANCE_ID": "crash-1",
                                                   "SHOPSTREAM_COMMIT_INTERVAL_S": "5"})
    worker.start(timeout=240)
    try:
        for number, chunk in enumerate(chunks):
            send_with_librdkafka(own_kafka.bootstrap, chunk)
            asyncio.run(eventually(lambda: applied_clicks(worker), timeout=120, interval=0.05))
            os.killpg(worker.process.pid, signal.SIGKILL)  # mid-chunk: its offsets are not committed yet
            worker.process.wait(30)
            if number == 1:
                shutil.rmtree(worker.data_dir / "state")  # a new machine: rebuilt from the changelogs
            worker.start(timeout=240)

        async def exact():
            return await counters_of(worker, expected) == expected
        try:
            asyncio.run(eventually(exact, timeout=180))
        except AssertionError:
            assert asyncio.run(counters_of(worker, expected)) == expected  # the difference, for the report
        bad = [value["event_id"] for chunk in chunks for _, _, value in chunk if "occurred_at" not in value]
        letters = read_dead_letters(own_kafka.bootstrap, len(bad))
        found = Counter(orjson.loads(base64.b64decode(letter["original_b64"]))["event_id"] for letter in letters)
        assert found == Counter(bad), found
        assert worker.stop() == 0, worker.log_tail()
    finally:
        if worker.process and worker.process.poll() is None:
            worker.stop()
