"""Erasure of every trace, on a real broker and worker: after an erasure request, no HTTP endpoint and no
table (as its changelog rebuilds it) holds the user id, late answers and in-flight events for the user
are dropped, the privacy service gets a confirmation, and a restart with the local store deleted
brings nothing back. On a broker of its own (``own_kafka``): on the shared one its clicks and erasures
would change test_ingest.py's exact product stats."""

from __future__ import annotations

import asyncio
import re
import shutil
import uuid
from datetime import UTC, datetime, timedelta

import aiohttp
import orjson
import pytest
from aiokafka.partitioner import murmur2
from confluent_kafka.admin import AdminClient

from bench.chaos_dump import read_raw
from schemas.topics import CLICKS, ERASURE_CONFIRMATIONS, ERASURES, RECOMMENDATIONS, SEARCHES
from streams.tools.processes import Worker, produce
from streams.settings import Settings
from tests.integration.harness import create_inference_topics, eventually
from tests.integration.test_topics_retention import configs_of

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOW = datetime.now(UTC).replace(microsecond=0)
BEFORE = NOW - timedelta(hours=1)


def partition_of(key: str, partitions: int = 4) -> int:
    """The partition a Java client, aiokafka and Faust give ``key`` (murmur2)."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def users_sharing_a_partition() -> tuple[str, str]:
    """The user to erase and a control user whose records share its partitions, so once the control's
    late records are applied, the erased user's (sent just before them) were handled too."""
    erased = f"gone-{uuid.uuid4().hex[:8]}"
    candidates = (f"kept-{uuid.uuid4().hex[:8]}" for _ in range(10_000))
    control = next(user for user in candidates if partition_of(user) == partition_of(erased))
    return erased, control


def click(user: str, at: datetime, product: str = "ml-1") -> tuple[str, bytes, bytes]:
    event = {"event_id": uuid.uuid4().hex, "occurred_at": at.isoformat(), "user_id": user, "product_id": product,
             "kind": "purchase", "category": "Animation"}
    return CLICKS, user.encode(), orjson.dumps(event)


def search(user: str, at: datetime) -> tuple[str, bytes, bytes]:
    event = {"event_id": uuid.uuid4().hex, "occurred_at": at.isoformat(), "user_id": user,
             "query": "toy story", "results": ["ml-1"]}
    return SEARCHES, user.encode(), orjson.dumps(event)


def answer(user: str, caused_at: datetime, product: str) -> tuple[str, bytes, bytes]:
    """A recommendation list as the inference worker writes it."""
    cause = uuid.uuid4().hex
    issued = {"event_id": f"rec:{cause}", "occurred_at": NOW.isoformat(), "caused_by": cause,
              "caused_at": caused_at.isoformat(), "user_id": user, "model_version": "test",
              "items": [{"product_id": product, "score": 0.9, "reason": "test", "rank": 1}]}
    return RECOMMENDATIONS, user.encode(), orjson.dumps(issued)


def read_all(bootstrap: str, topic: str) -> list[tuple[bytes | None, bytes | None]]:
    """Every (key, value) of ``topic`` up to its end now, read with an independent client (librdkafka)."""
    return [(key, value) for _, _, _, key, value in read_raw(bootstrap, topic)]


def live_tables(bootstrap: str, app_id: str) -> dict[str, dict[bytes, bytes]]:
    """Every table of ``app_id`` as its changelog rebuilds it (the last value per key; a tombstone deletes)."""
    names = [name for name in AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=30).topics
             if name.startswith(f"{app_id}-") and name.endswith("-changelog")]
    tables = {}
    for name in names:
        state: dict[bytes, bytes] = {}
        for key, value in read_all(bootstrap, name):
            if value is None:
                state.pop(key, None)
            else:
                state[key] = value
        tables[name] = state
    return tables


async def body_of(url: str) -> tuple[int, bytes]:
    """Status and raw body of a GET (JSON or not; a table route's early 500 is retried by the caller)."""
    async with aiohttp.ClientSession() as session:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=10)) as response:
            return response.status, await response.read()


def test_erasure_leaves_no_trace_in_any_endpoint_or_table_even_after_a_restart(own_kafka, tmp_path):
    app_id = f"it-erasure-{uuid.uuid4().hex[:8]}"
    erased, control = users_sharing_a_partition()
    asyncio.run(create_inference_topics(own_kafka.bootstrap, app_id))
    env = {"SHOPSTREAM_ROLE": "state"}
    worker = Worker(own_kafka.bootstrap, app_id, tmp_path / "worker", store="rocksdb://", extra_env=env).start()
    try:
        asyncio.run(produce(own_kafka.bootstrap, [click(erased, BEFORE), search(erased, BEFORE), click(control, BEFORE),
                                              answer(erased, BEFORE, "ml-2"), answer(control, BEFORE, "ml-2")]))

        async def both_served():
            pages = [await body_of(f"{worker.url}/users/{user}/{page}")
                     for user in (erased, control) for page in ("profile", "recommendations")]
            return all(status == 200 for status, _ in pages)

        asyncio.run(eventually(both_served, timeout=120, explain=worker.log_tail))
        request = {"event_id": f"erase-{uuid.uuid4().hex[:8]}", "occurred_at": NOW.isoformat(), "user_id": erased}
        asyncio.run(produce(own_kafka.bootstrap, [(ERASURES, erased.encode(), orjson.dumps(request))]))

        async def confirmed():
            found = [orjson.loads(value) for key, value in read_all(own_kafka.bootstrap, ERASURE_CONFIRMATIONS)
                     if key == erased.encode()]
            return found
        confirmation = asyncio.run(eventually(confirmed, timeout=120, explain=worker.log_tail))
        # Kafka delivers at least once: a request delivered again (a rebalance before the offset commit)
        # is confirmed again, with the very same record
        assert all(copy == confirmation[0] for copy in confirmation), confirmation
        assert confirmation[0]["caused_by"] == request["event_id"]
        assert confirmation[0]["held"] == ["profile", "latest-recommendations"]
        assert "pending-recommendations" in confirmation[0]["erased"]

        # a late answer to a request queued before the erasure, and a click still in flight: both dropped;
        # then the control user's, in the same partitions, to know they were handled
        asyncio.run(produce(own_kafka.bootstrap, [answer(erased, BEFORE, "ml-3"), click(erased, BEFORE, "ml-3"),
                                              answer(control, NOW, "ml-4"), click(control, NOW, "ml-4")]))

        async def control_updated():
            status, body = await body_of(f"{worker.url}/users/{control}/recommendations")
            profile = await body_of(f"{worker.url}/users/{control}/profile")
            return status == 200 and b"ml-4" in body and b"ml-4" in profile[1]

        asyncio.run(eventually(control_updated, timeout=120, explain=worker.log_tail))
        assert_no_trace_over_http(worker, erased)
    finally:
        assert worker.stop() == 0, worker.log_tail()

    tables = live_tables(own_kafka.bootstrap, app_id)
    assert {f"{app_id}-user-profiles-changelog", f"{app_id}-latest-recommendations-changelog"} <= tables.keys()
    for name, state in tables.items():
        assert not [key for key, value in state.items() if erased.encode() in key + value], name
    assert any(control.encode() in key for state in tables.values() for key in state)
    guards = read_all(own_kafka.bootstrap, f"{app_id}-erasure-guards-changelog")
    assert guards and not any(erased.encode() in (key or b"") + (value or b"") for key, value in guards)
    # the internal topic that carries clicks (with user ids) to product stats keeps them only for a while
    interactions = asyncio.run(configs_of(own_kafka.bootstrap, f"{app_id}-product-interactions"))
    assert interactions["retention.ms"] == str(Settings().retention_internal_s * 1000)

    shutil.rmtree(tmp_path / "worker" / "state")  # the local RocksDB store: rebuilt from the changelogs
    again = Worker(own_kafka.bootstrap, app_id, tmp_path / "worker", store="rocksdb://", extra_env=env).start()
    try:
        asyncio.run(eventually(control_updated_on(again, control, b"ml-4"), timeout=120))
        assert_no_trace_over_http(again, erased)
    finally:
        assert again.stop() == 0, again.log_tail()


def control_updated_on(worker: Worker, user: str, product: bytes):
    """A check that ``user``'s profile on ``worker`` holds ``product``."""
    async def check():
        status, body = await body_of(f"{worker.url}/users/{user}/profile")
        return status == 200 and product in body
    return check


def assert_no_trace_over_http(worker: Worker, erased: str) -> None:
    """No endpoint that serves user data, nor the dashboard, answers with the erased user."""
    for page in ("profile", "recommendations"):
        status, body = asyncio.run(body_of(f"{worker.url}/users/{erased}/{page}"))
        assert status == 404, (page, body)
    for path in ("/products/ml-1/stats", "/products/ml-3/stats", "/dashboard/data", "/health", "/metrics"):
        status, body = asyncio.run(body_of(f"{worker.url}{path}"))
        assert status in (200, 404) and body and erased.encode() not in body, (path, status)


def test_an_erasure_request_delivered_twice_erases_once_and_is_confirmed_identically(own_kafka, tmp_path):
    """The shop's producer sends the request twice (as Kafka redelivers one after a rebalance): the copy
    erases nothing that came after the erasure, and its confirmation is the first one again."""
    app_id = f"it-erasure-twice-{uuid.uuid4().hex[:8]}"
    user = f"twice-{uuid.uuid4().hex[:8]}"
    asyncio.run(create_inference_topics(own_kafka.bootstrap, app_id))
    worker = Worker(own_kafka.bootstrap, app_id, tmp_path / "worker", extra_env={"SHOPSTREAM_ROLE": "state"}).start()
    try:
        asyncio.run(produce(own_kafka.bootstrap, [click(user, BEFORE)]))
        asyncio.run(eventually(control_updated_on(worker, user, b"ml-1"), timeout=120, explain=worker.log_tail))
        request = {"event_id": f"erase-{uuid.uuid4().hex[:8]}", "occurred_at": NOW.isoformat(), "user_id": user}
        erasure = (ERASURES, user.encode(), orjson.dumps(request))
        asyncio.run(produce(own_kafka.bootstrap, [erasure]))

        def confirmations_at_least(count: int):
            async def check():
                found = [orjson.loads(value) for key, value in read_all(own_kafka.bootstrap, ERASURE_CONFIRMATIONS)
                         if key == user.encode()]
                return found if len(found) >= count else None
            return check

        [first] = asyncio.run(eventually(confirmations_at_least(1), timeout=120, explain=worker.log_tail))
        assert first["held"] == ["profile"]
        # the user comes back after the erasure: a new profile, which the copy must leave alone
        asyncio.run(produce(own_kafka.bootstrap, [click(user, NOW + timedelta(seconds=1), "ml-5")]))
        asyncio.run(eventually(control_updated_on(worker, user, b"ml-5"), timeout=120, explain=worker.log_tail))
        asyncio.run(produce(own_kafka.bootstrap, [erasure]))
        confirmations = asyncio.run(eventually(confirmations_at_least(2), timeout=120, explain=worker.log_tail))
        assert confirmations == [first, first]
        status, body = asyncio.run(body_of(f"{worker.url}/users/{user}/profile"))
        assert status == 200 and b"ml-5" in body and b"ml-1" not in body
    finally:
        assert worker.stop() == 0, worker.log_tail()


def test_requests_queued_before_an_erasure_are_never_answered(own_kafka, tmp_path):
    app_id = f"it-erasure-queue-{uuid.uuid4().hex[:8]}"
    erased, control = users_sharing_a_partition()
    asyncio.run(create_inference_topics(own_kafka.bootstrap, app_id))
    state = Worker(own_kafka.bootstrap, app_id, tmp_path / "state", extra_env={"SHOPSTREAM_ROLE": "state"}).start()
    inference = Worker(own_kafka.bootstrap, app_id, tmp_path / "inference", extra_env={
        "SHOPSTREAM_ROLE": "inference", "SHOPSTREAM_MODEL_REGISTRY": str(tmp_path / "no-models"),
        "SHOPSTREAM_INFERENCE_DEVICE": "cpu", "SHOPSTREAM_SEARCH_INTENT": "false", "SHOPSTREAM_COPY_ENABLED": "false"})
    try:
        # no inference worker yet: the erased user's request waits in <app_id>-inference-requests, the
        # control user's behind it in the same partition
        queued = click(erased, BEFORE)
        asyncio.run(produce(own_kafka.bootstrap, [queued, click(control, BEFORE)]))
        async def both_clicks_applied():  # their profiles, not a count: the module's broker holds older clicks too
            pages = [await body_of(f"{state.url}/users/{user}/profile") for user in (erased, control)]
            return all(status == 200 for status, _ in pages)

        asyncio.run(eventually(both_clicks_applied, timeout=120, explain=state.log_tail))
        request = {"event_id": f"erase-{uuid.uuid4().hex[:8]}", "occurred_at": NOW.isoformat(), "user_id": erased}
        asyncio.run(produce(own_kafka.bootstrap, [(ERASURES, erased.encode(), orjson.dumps(request))]))

        async def confirmed():
            return [key for key, _ in read_all(own_kafka.bootstrap, ERASURE_CONFIRMATIONS) if key == erased.encode()]

        asyncio.run(eventually(confirmed, timeout=120, explain=state.log_tail))
        inference.start(timeout=240)

        async def control_answered():
            lists = [orjson.loads(value) for key, value in read_all(own_kafka.bootstrap, RECOMMENDATIONS)
                     if key in (erased.encode(), control.encode())]
            return lists if any(issued["user_id"] == control for issued in lists) else None

        lists = asyncio.run(eventually(control_answered, timeout=180))
        assert not [issued for issued in lists if issued["user_id"] == erased], lists
        # at least one: a request redelivered at-least-once is dropped again
        assert re.search(r"Dropped \d+ recommendation request\(s\) of erased users", inference.log_path.read_text())
    finally:
        inference_code = inference.stop() if inference.process else 0
        assert state.stop() == 0, state.log_tail()
        assert inference_code == 0, inference.log_tail()
