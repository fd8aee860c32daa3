"""Real broker, real worker process, real data: validated ingest, dead letters, recovery, dedupe."""

from __future__ import annotations

import asyncio
import base64
import time
import uuid

import orjson
import pytest

from schemas.topics import CATALOG, CLICKS, ERASURES, REVIEWS, SEARCHES
from streams.tools.replay.events import build_replay
from streams.settings import Settings
from tests.integration.expected import ExpectedState
from streams.tools.processes import Worker, http_get, produce
from tests.integration.harness import read_dead_letters

pytestmark = [pytest.mark.integration, pytest.mark.slow]

GOOD_CLICK = {"event_id": "bad-0", "occurred_at": "1998-01-01T00:00:00Z", "user_id": "ml-u1",
              "product_id": "ml-1", "kind": "view", "category": "Animation"}

#: (topic, key, value bytes, expected error_type): one of each kind of malformed input.
MALFORMED = [
    (CLICKS, b"ml-u1", b"this is not json", "not_json"),
    (CLICKS, b"ml-u1", orjson.dumps({**GOOD_CLICK, "event_id": "bad-1", "kind": "wishlist"}), "validation_error"),
    (CLICKS, b"ml-u1", orjson.dumps({**GOOD_CLICK, "event_id": "bad-2", "user_id": 17}), "validation_error"),
    (CLICKS, b"ml-u1", orjson.dumps({k: v for k, v in GOOD_CLICK.items() if k != "product_id"}), "validation_error"),
    (CLICKS, b"ml-u2", orjson.dumps({**GOOD_CLICK, "event_id": "bad-4"}), "key_mismatch"),
    (CLICKS, b"ml-u1", orjson.dumps({**GOOD_CLICK, "event_id": "bad-5", "category": "x" * 70_000}), "oversized"),
    (SEARCHES, b"ml-u1", orjson.dumps({"event_id": "bad-6", "occurred_at": "1998-01-01T00:00:00Z",
                                       "user_id": "ml-u1", "query": "q" * 300}), "validation_error"),
    (REVIEWS, b"wc-1", orjson.dumps({"event_id": "bad-7", "occurred_at": "1998-01-01T00:00:00",
                                     "review_id": "r", "product_id": "wc-1", "rating": 4, "text": "ok"}),
     "validation_error"),
    (CATALOG, b"ml-1", b"[1, 2, 3]", "not_object"),
    (ERASURES, None, orjson.dumps({"event_id": "bad-9", "occurred_at": "1998-01-01T00:00:00Z",
                                   "user_id": "ml-u1"}), "missing_key"),
]


def redelivery(messages, per_key: int) -> list[tuple[str, bytes, bytes]]:
    """The last ``per_key`` events of every state key (a user's clicks and searches together, a
    product's reviews), in their original order: what a consumer restarting from an older offset
    would see again."""
    tail: dict = {}
    for index, (topic, key, _, _) in enumerate(messages):
        if topic != CATALOG:
            tail.setdefault(key, []).append(index)
    chosen = sorted(i for indexes in tail.values() for i in indexes[-per_key:])
    return [messages[i][:3] for i in chosen]


def replay_messages(datasets, users: int) -> list[tuple[str, bytes, bytes, dict]]:
    movielens, reviews = datasets
    events = build_replay(movielens, reviews, users=users, clock="original")
    return [(e.topic, e.key.encode(), orjson.dumps(e.value), e.value) for e in events]


async def fetch_state(worker: Worker, users, products) -> tuple[dict, dict]:
    """Every listed profile and product's stats as the worker serves them (missing ones omitted)."""
    async def one(path):
        status, body = await http_get(f"{worker.url}{path}")
        return body if status == 200 else None
    profiles = await asyncio.gather(*(one(f"/users/{u}/profile") for u in users))
    stats = await asyncio.gather(*(one(f"/products/{p}/stats") for p in products))
    return ({u: p for u, p in zip(users, profiles) if p is not None},
            {p: s for p, s in zip(products, stats) if s is not None})


async def reaches(worker: Worker, expected: ExpectedState, users, products, timeout=300.0) -> None:
    """Wait until the worker serves exactly the expected profiles and stats; fail with a diff."""
    want = (expected.public_profiles(), expected.public_stats())
    deadline = time.monotonic() + timeout
    while True:
        got = await fetch_state(worker, users, products)
        if got == want:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout}s: {_diff(got, want)}\n{worker.log_tail()}")
        await asyncio.sleep(1.0)


def _diff(got, want) -> str:
    for name, g, w in (("profiles", got[0], want[0]), ("stats", got[1], want[1])):
        keys = sorted(set(g) | set(w))
        wrong = [k for k in keys if g.get(k) != w.get(k)]
        if wrong:
            k = wrong[0]
            g_k, w_k = g.get(k) or {}, w.get(k) or {}
            fields = {f: (g_k.get(f), w_k.get(f)) for f in set(g_k) | set(w_k) if g_k.get(f) != w_k.get(f)}
            return f"{len(wrong)} {name} differ, e.g. {k}: (got, want) by field {fields}"
    return "no difference"


def test_ingest_dead_letters_recovery_and_dedupe(kafka, datasets, tmp_path):
    settings = Settings()
    messages = replay_messages(datasets, users=20)
    catalog_count = sum(1 for m in messages if m[0] == CATALOG)
    assert len(messages) - catalog_count > 2000, "the scenario should hold a few thousand real events"
    # malformed records land in the middle of the real traffic
    middle = catalog_count + (len(messages) - catalog_count) // 2
    sent = [(t, k, v) for t, k, v, _ in messages[:middle]] + [(t, k, v) for t, k, v, _ in MALFORMED] + \
           [(t, k, v) for t, k, v, _ in messages[middle:]]
    expected = ExpectedState(settings)
    for topic, _, _, value in messages:
        expected.apply(topic, value)
    users = sorted(expected.profiles)
    products = sorted(expected.stats)
    app_id = f"it-ingest-{uuid.uuid4().hex[:8]}"

    asyncio.run(produce(kafka.bootstrap, sent))
    first = Worker(kafka.bootstrap, app_id, tmp_path / "first", store="rocksdb://").start()
    try:
        asyncio.run(reaches(first, expected, users, products))
        catalog_sample = [m[3] for m in messages if m[0] == CATALOG][:25]
        for value in catalog_sample:
            status, body = asyncio.run(http_get(f"{first.url}/products/{value['product_id']}"))
            assert status == 200 and body["title"] == value["title"] and body["updated_by"] == value["event_id"]
        assert asyncio.run(http_get(f"{first.url}/users/nobody/profile"))[0] == 404
        assert asyncio.run(http_get(f"{first.url}/products/nothing/stats"))[0] == 404
    finally:
        assert first.stop() == 0, first.log_tail()

    # every malformed record is in the dead-letter topic, with its reason and its exact bytes
    letters = read_dead_letters(kafka.bootstrap, len(MALFORMED))
    by_original = {base64.b64decode(r["original_b64"]): r for r in letters}
    for topic, key, value, error_type in MALFORMED:
        record = by_original[value]
        assert (record["source_topic"], record["error_type"]) == (topic, error_type), record
        assert record["key"] == topic.encode() and record["error"]
    assert len(letters) == len(MALFORMED), [r["error"] for r in letters]

    # a new worker with an empty local store rebuilds the exact state from the changelogs
    second = Worker(kafka.bootstrap, app_id, tmp_path / "second", store="memory://").start()
    try:
        asyncio.run(reaches(second, expected, users, products))
        # redelivered events (the last 30 of every key, inside the 64-id dedupe memory) change
        # nothing; new events sent after them, on the same keys, prove they were processed
        again = redelivery(messages, per_key=30)
        fresh = []
        for n, user in enumerate(users[:5]):
            value = {**GOOD_CLICK, "event_id": f"fresh-{n}", "user_id": user, "occurred_at": "1998-05-01T00:00:00Z"}
            fresh.append((CLICKS, user.encode(), orjson.dumps(value)))
            expected.apply(CLICKS, value)
        asyncio.run(produce(kafka.bootstrap, again + fresh))
        asyncio.run(reaches(second, expected, users, products))
        # an erasure request deletes the user's profile
        erased = users[-1]
        erasure = {"event_id": "erase-1", "occurred_at": "1998-05-01T00:00:00Z", "user_id": erased}
        asyncio.run(produce(kafka.bootstrap, [(ERASURES, erased.encode(), orjson.dumps(erasure))]))
        expected.apply(ERASURES, erasure)
        asyncio.run(reaches(second, expected, users, products))
        assert asyncio.run(http_get(f"{second.url}/users/{erased}/profile"))[0] == 404
    finally:
        assert second.stop() == 0, second.log_tail()
