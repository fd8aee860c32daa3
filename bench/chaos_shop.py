"""The shop that the chaos test (``tests/integration/test_crash.py``) and ``bench/chaos.py`` replay.

Skewed traffic sent with librdkafka's default partitioner (CRC32 of the key, not the murmur2 that
ShopStream's own producer and HTTP routing use): clicks and searches keyed by user, reviews keyed
by product, a ``hot_share`` of all clicks on one product, 2% of the events sent twice by the shop
and a malformed click every 300 events. Then, what the state must hold: each product's counters
and each user's applied-event count, read back over any worker's HTTP API.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import aiohttp
import orjson
from confluent_kafka import Producer
from prometheus_client.parser import text_string_to_metric_families

from schemas.topics import CLICKS, REVIEWS, SEARCHES

KINDS = ["view"] * 8 + ["cart", "purchase"]
COUNTERS = ("views", "carts", "purchases", "reviews", "rating_sum")
T0 = datetime(2026, 1, 5, 12, tzinfo=timezone.utc)
Record = tuple[str, str, dict]  # (topic, key, value)


@dataclass(frozen=True)
class Shop:
    """How many users, products, chunks of events and how hot the hottest product is."""

    users: int = 200
    products: int = 30
    chunk: int = 3000  # clicks per chunk (searches, reviews, copies and bad records come on top)
    chunks: int = 4
    hot_share: float = 0.4
    seed: int = 7

    @property
    def hot(self) -> str:
        """The product that gets ``hot_share`` of the clicks."""
        return "crash-p0"


def shop_events(shop: Shop) -> list[list[Record]]:
    """``shop.chunks`` chunks of (topic, key, value): clicks, a search every 10 clicks, a review every 20."""
    rng = random.Random(shop.seed)
    products = [shop.hot] + [f"crash-p{n}" for n in range(1, shop.products)]
    weights = [shop.hot_share] + [(1 - shop.hot_share) / (shop.products - 1)] * (shop.products - 1)
    chunks, n = [], 0
    for _ in range(shop.chunks):
        chunk: list[Record] = []
        for _ in range(shop.chunk):
            n += 1
            at = (T0 + timedelta(seconds=n)).isoformat()
            product = rng.choices(products, weights)[0]
            user = f"crash-u{rng.randrange(shop.users)}"
            chunk.append((CLICKS, user, {"event_id": f"crash-c{n}", "occurred_at": at, "user_id": user,
                                         "product_id": product, "kind": rng.choice(KINDS), "category": "Toys"}))
            if n % 10 == 5:
                chunk.append((SEARCHES, user, {"event_id": f"crash-s{n}", "occurred_at": at, "user_id": user,
                                               "query": "wooden train", "results": [product], "category": "Toys"}))
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


def _distinct(chunks: list[list[Record]]) -> dict[str, tuple[str, dict]]:
    return {value["event_id"]: (topic, value) for chunk in chunks for topic, _, value in chunk
            if "occurred_at" in value}


def expected_counters(chunks: list[list[Record]]) -> dict[str, dict[str, int]]:
    """Each product's counters from the distinct events."""
    counters: dict[str, dict[str, int]] = {}
    for topic, value in _distinct(chunks).values():
        if topic == SEARCHES:
            continue
        product = counters.setdefault(value["product_id"], dict.fromkeys(COUNTERS, 0))
        if topic == CLICKS:
            product[{"view": "views", "cart": "carts", "purchase": "purchases"}[value["kind"]]] += 1
        else:
            product["reviews"] += 1
            product["rating_sum"] += value["rating"]
    return counters


def expected_profile_events(chunks: list[list[Record]]) -> dict[str, int]:
    """How many distinct clicks and searches each user's profile must count."""
    return dict(Counter(value["user_id"] for topic, value in _distinct(chunks).values() if topic != REVIEWS))


def malformed_ids(chunks: list[list[Record]]) -> list[str]:
    """The event ids of the malformed records, once each: each must be dead-lettered exactly once."""
    return sorted({value["event_id"] for chunk in chunks for _, _, value in chunk if "occurred_at" not in value})


def send_with_librdkafka(bootstrap: str, records: list[Record]) -> None:
    """Send ``records`` with confluent-kafka's default partitioner (CRC32 of the key)."""
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
    for topic, key, value in records:
        producer.produce(topic, key=key.encode(), value=orjson.dumps(value))
        producer.poll(0)
    assert producer.flush(60) == 0


async def metric_samples(url: str) -> list:
    """Every sample of a worker process's ``/metrics`` (prometheus-client ``Sample``s)."""
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{url}/metrics", timeout=aiohttp.ClientTimeout(total=10)) as response:
            text = await response.text()
    return [sample for family in text_string_to_metric_families(text) for sample in family.samples]


async def applied_count(url: str, source: str = "product-interactions") -> float:
    """Events a worker process applied from ``source`` so far (its /metrics)."""
    return sum(sample.value for sample in await metric_samples(url)
               if sample.name == "shopstream_events_applied_total" and sample.labels.get("source") == source)


async def read_progress(url: str, topics: tuple[str, ...] = (CLICKS, SEARCHES, REVIEWS)) -> tuple[float, float | None]:
    """(messages a worker process read from ``topics`` so far, its consumer lag on them): the lag is
    ``None`` while it is assigned none of their partitions, or has not fetched their ends yet."""
    samples = [sample for sample in await metric_samples(url) if sample.labels.get("topic") in topics]
    received = sum(sample.value for sample in samples if sample.name == "shopstream_events_received_total")
    lags = [sample.value for sample in samples if sample.name == "shopstream_consumer_lag"]
    return received, (sum(lags) if lags else None)


async def read_state(url: str, products: dict, users: dict) -> dict[str, dict] | None:
    """Every product's counters and every user's event count through the worker at ``url``: ``None``
    while any read answers 503 (partitions moving); a key not applied yet (404) reads as ``None``."""
    found: dict[str, dict] = {"products": {}, "users": {}}
    async with aiohttp.ClientSession() as session:
        for kind, keys, path in (("products", products, "/products/{}/stats"), ("users", users, "/users/{}/profile")):
            for key in keys:
                async with session.get(url + path.format(key)) as response:
                    if response.status == 503:
                        return None
                    if response.status == 404:
                        found[kind][key] = None
                        continue
                    assert response.status == 200, (url, key, response.status, await response.text())
                    body = orjson.loads(await response.read())
                    found[kind][key] = ({name: body[name] for name in COUNTERS} if kind == "products"
                                        else body["events"])
    return found


def differences(found: dict[str, dict], products: dict, users: dict) -> tuple[int, int]:
    """(lost, doubled) updates: what the read state lacks against the expected, and what it holds twice."""
    lost = doubled = 0
    pairs = [(found["products"].get(key) or dict.fromkeys(COUNTERS, 0), want) for key, want in products.items()]
    for have, want in pairs:
        for name in ("views", "carts", "purchases", "reviews"):
            lost, doubled = lost + max(0, want[name] - have[name]), doubled + max(0, have[name] - want[name])
    for key, want in users.items():
        have = found["users"].get(key) or 0
        lost, doubled = lost + max(0, want - have), doubled + max(0, have - want)
    return lost, doubled


def describe_differences(found: dict[str, dict], products: dict, users: dict, limit: int = 12) -> str:
    """The keys whose state differs from the expected, for a failure message: up to ``limit`` lines."""
    lines = []
    for key, want in products.items():
        have = found["products"].get(key) or dict.fromkeys(COUNTERS, 0)
        off = {name: (want[name], have[name]) for name in COUNTERS if want[name] != have[name]}
        if off:
            lines.append(f"product {key}: " + ", ".join(f"{name} want {w} have {h}" for name, (w, h) in off.items()))
    lines += [f"user {key}: events want {want} have {found['users'].get(key) or 0}"
              for key, want in users.items() if want != (found["users"].get(key) or 0)]
    return f"{len(lines)} keys differ:\n" + "\n".join(lines[:limit])
