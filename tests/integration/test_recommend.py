"""Recommendations end to end on the real broker: real replayed users, a real trained SASRec, MiniLM.

Runs after test_ingest.py (pytest's file order), whose worker must not see these events: the
users here are renamed (``rec-u<n>``) so nothing collides with the other tests' users.
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import jsonschema
import orjson
import pytest
from confluent_kafka import Consumer

from schemas import RecommendationsIssued
from schemas.topics import CATALOG, CLICKS, RECOMMENDATIONS, SEARCHES
from shopmodels.recommender.registry import load_sasrec, save_sasrec
from streams.tools.replay.events import build_replay
from streams.tools.processes import Worker, http_get, produce
from tests.integration.harness import eventually, read_dead_letters

SCHEMA = json.loads(Path("schemas/json/shop.recommendations.json").read_text())


def renamed(value: dict) -> dict:
    """A replayed event for user ``rec-u<n>`` instead of ``ml-u<n>``, with its own event id."""
    if "user_id" not in value:
        return value
    return {**value, "event_id": f"rec-{value['event_id']}", "user_id": value["user_id"].replace("ml-u", "rec-u")}


def replayed(datasets, users: int) -> tuple[list[tuple[str, bytes, bytes]], list[dict]]:
    """Every movie of the catalog, and the first ``users`` users' clicks and searches in replay order.

    (The clothing half of the catalog is left out to keep start-up short; test_ingest.py may have
    sent it already, so a search can still match a dress.)
    """
    movielens, reviews = datasets
    catalog = [(CATALOG, e.key.encode(), orjson.dumps(e.value)) for e in build_replay(movielens, reviews)
               if e.topic == CATALOG and e.key.startswith("ml-")]
    timeline = [{"topic": e.topic, **renamed(e.value)} for e in build_replay(movielens, reviews, users=users)
                if e.topic in (CLICKS, SEARCHES)]
    return catalog, timeline


def as_messages(events: list[dict]) -> list[tuple[str, bytes, bytes]]:
    return [(e["topic"], e["user_id"].encode(), orjson.dumps({k: v for k, v in e.items() if k != "topic"}))
            for e in events]


class Recommendations:
    """Everything on shop.recommendations, read with an independent client (librdkafka)."""

    def __init__(self, bootstrap: str) -> None:
        self.consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"recs-{uuid.uuid4()}",
                                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
        self.consumer.subscribe([RECOMMENDATIONS])
        self.by_cause: dict[str, list[dict]] = {}
        self.by_user: dict[str, list[dict]] = {}  # in arrival order: one user's lists share a partition

    async def answered(self, causes: set[str], at_least: float = 1.0) -> bool:
        """Read what arrived; True once ``at_least`` of ``causes`` (a share) have a list."""
        while (message := self.consumer.poll(0.2)) is not None:
            if not message.error():
                record = orjson.loads(message.value())
                assert message.key().decode() == record["user_id"]
                self.by_cause.setdefault(record["caused_by"], []).append(record)
                self.by_user.setdefault(record["user_id"], []).append(record)
        return len(causes & self.by_cause.keys()) >= at_least * len(causes)

    def one_per_event(self, events: list[dict]) -> list[dict]:
        """The single list each event led to (fails if one has none or several)."""
        for event in events:
            assert len(self.by_cause.get(event["event_id"], [])) == 1, (event, self.by_cause.get(event["event_id"]))
        return [self.by_cause[event["event_id"]][0] for event in events]


def purchased_before(event: dict, timeline: list[dict], lists: Recommendations) -> set[str]:
    """What the user had bought, as far as ShopStream could know when it answered ``event``.

    A click sees every earlier purchase: they share the user's partition of shop.clicks. A search
    arrives on another topic, with no order against the clicks, so it can only see purchases already
    applied; those are the purchases whose own lists came out before the search's list.
    """
    user = event["user_id"]
    purchases = [e for e in timeline if e["user_id"] == user and e["topic"] == CLICKS and e["kind"] == "purchase"]
    if event["topic"] == CLICKS:
        upto = timeline.index(event)
        return {e["product_id"] for e in purchases if timeline.index(e) <= upto}
    arrived = [record["caused_by"] for record in lists.by_user[user]]
    position = arrived.index(event["event_id"])
    return {e["product_id"] for e in purchases if e["event_id"] in arrived[:position]}


def check_list(record: dict, event: dict, purchased: set[str], titles: dict[str, str]) -> None:
    """One list: valid against the schema, non-empty, explained, and never a purchase or the product just viewed."""
    RecommendationsIssued.model_validate(record)
    jsonschema.validate(record, SCHEMA)
    assert record["user_id"] == event["user_id"]
    assert datetime.fromisoformat(record["caused_at"]) == datetime.fromisoformat(event["occurred_at"])
    products = [item["product_id"] for item in record["items"]]
    assert len(products) == 10, record
    assert not set(products) & purchased, (event["event_id"], set(products) & purchased)
    if event["topic"] == CLICKS:
        assert event["product_id"] not in products
    assert all(item["reason"] for item in record["items"])
    assert set(products) <= titles.keys(), set(products) - titles.keys()  # only products the shop sells


def test_recommendations_for_every_event_with_a_hot_reload_and_cold_starts(kafka, datasets, movielens_registry,
                                                                           tmp_path):
    catalog, timeline = replayed(datasets, users=4)
    titles = {e.key: e.value["title"] for e in build_replay(*datasets) if e.topic == CATALOG}  # all a shop sells
    registry = tmp_path / "registry"
    shutil.copytree(movielens_registry, registry)
    model, vocabulary, first = load_sasrec(next(registry.glob("recommender/*/model.pt")))
    worker = Worker(kafka.bootstrap, f"it-recommend-{uuid.uuid4().hex[:8]}", tmp_path / "worker", extra_env={
        "SHOPSTREAM_MODEL_REGISTRY": str(registry), "SHOPSTREAM_MODEL_POLL_S": "0.5",
        "SHOPSTREAM_SEARCH_INTENT": "true", "SHOPSTREAM_INFERENCE_DEVICE": "cpu",
        "SHOPSTREAM_RECOMMEND_EACH_EVENT": "true"})  # a list per event, to check each against its own event
    lists = Recommendations(kafka.bootstrap)
    half = len(timeline) // 2
    asyncio.run(produce(kafka.bootstrap, catalog))
    worker.start(timeout=240)
    try:
        # serving starts at once; wait for the titles, so the searches below can match them
        asyncio.run(eventually(lambda: worker.logged("Search index holds"), timeout=240))
        asyncio.run(produce(kafka.bootstrap, as_messages(timeline[:half])))
        # a newer version lands in the registry while the stream is being served
        asyncio.run(eventually(lambda: lists.answered({e["event_id"] for e in timeline[:half]}, 0.25), timeout=240))
        second = save_sasrec(registry, model, vocabulary, now=datetime.now(UTC) + timedelta(hours=1)).parent.name
        asyncio.run(produce(kafka.bootstrap, as_messages(timeline[half:])))
        everything = {e["event_id"] for e in timeline}
        asyncio.run(eventually(lambda: lists.answered(everything), timeout=240))

        # exactly one list per event, each valid and correct as of its event
        for event, record in zip(timeline, lists.one_per_event(timeline)):
            check_list(record, event, purchased_before(event, timeline, lists), titles)
        mine = {key for key in lists.by_cause if key.startswith("rec-")}
        assert mine == everything, "lists for events that were never sent"

        # the reload happened between batches: per user, the first version, then only the new one
        assert first.version in {lists.by_cause[e["event_id"]][0]["model_version"] for e in timeline}
        for user, records in lists.by_user.items():
            versions = [record["model_version"] for record in records if record["caused_by"] in everything]
            assert versions == sorted(versions, key=[first.version, second].index), user
        asyncio.run(eventually(lambda: worker.logged(f"Serving recommender {second}"), timeout=30))

        # reasons a person can read: real titles of viewed products, and the searches
        reasons = [item["reason"] for records in lists.by_cause.values() if records[0]["caused_by"] in everything
                   for item in records[0]["items"]]
        assert any(r.startswith("because you viewed ") and r[len("because you viewed "):] in titles.values()
                   for r in reasons)
        searches = [e for e in timeline if e["topic"] == SEARCHES]
        assert searches and any(item["reason"].startswith("matches your search")
                                for e in searches for item in lists.by_cause[e["event_id"]][0]["items"])

        # cold start: a new user's search, and a new user's click on a product nobody knows yet
        now = datetime.now(UTC).isoformat()
        cold = [{"topic": SEARCHES, "event_id": "rec-cold-search", "occurred_at": now, "user_id": "rec-cold-1",
                 "query": "comedy", "results": [], "category": "Comedy"},
                {"topic": CLICKS, "event_id": "rec-cold-click", "occurred_at": now, "user_id": "rec-cold-2",
                 "product_id": "brand-new-sku", "kind": "view", "category": "Drama"}]
        asyncio.run(produce(kafka.bootstrap, as_messages(cold)))
        asyncio.run(eventually(lambda: lists.answered({"rec-cold-search", "rec-cold-click"}), timeout=60))
        searched = lists.by_cause["rec-cold-search"][0]
        check_list(searched, cold[0], set(), titles)
        assert {item["reason"] for item in searched["items"]} <= {"matches your search 'comedy'", "trending in Comedy",
                                                                 "popular in Comedy"}
        assert searched["model_version"] == second  # served by the new model
        clicked = lists.by_cause["rec-cold-click"][0]
        check_list(clicked, cold[1], set(), titles)
        assert {item["reason"] for item in clicked["items"]} <= {"trending in Drama", "popular in Drama"}

        # the latest list of each user is served over HTTP
        for user in {e["user_id"] for e in timeline}:
            newest = max(datetime.fromisoformat(e["occurred_at"]) for e in timeline if e["user_id"] == user)
            status, body = asyncio.run(eventually(lambda: _served(worker, user, newest), timeout=30))
            assert body["user_id"] == user and body["items"]
        assert asyncio.run(http_get(f"{worker.url}/users/nobody/recommendations"))[0] == 404
    finally:
        lists.consumer.close()
        assert worker.stop() == 0, worker.log_tail()


async def http_status(url: str) -> int:
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as response:
            return response.status


async def _served(worker: Worker, user: str, newest: datetime):
    status, body = await http_get(f"{worker.url}/users/{user}/recommendations")
    if status == 200 and datetime.fromisoformat(body["caused_at"]) == newest:
        return status, body
    return None


@pytest.fixture
def small_timeline(datasets):
    catalog, timeline = replayed(datasets, users=1)
    return catalog, [{**e, "event_id": f"roles-{e['event_id']}"} for e in timeline[:40]]


def test_inference_runs_in_its_own_worker_and_consumer_group(own_kafka, small_timeline, movielens_registry, tmp_path):
    """On a broker of its own: on the shared one the new state worker would first replay every earlier
    test's clicks, and its inference worker answer them all before this test's events."""
    catalog, timeline = small_timeline
    app_id = f"it-roles-{uuid.uuid4().hex[:8]}"
    common = {"SHOPSTREAM_MODEL_REGISTRY": str(movielens_registry), "SHOPSTREAM_INFERENCE_DEVICE": "cpu"}
    state = Worker(own_kafka.bootstrap, app_id, tmp_path / "state", extra_env={**common, "SHOPSTREAM_ROLE": "state"})
    inference = Worker(own_kafka.bootstrap, app_id, tmp_path / "inference",
                       extra_env={**common, "SHOPSTREAM_ROLE": "inference"})
    lists = Recommendations(own_kafka.bootstrap)
    state.start()
    inference.start(timeout=240)
    try:
        _, health = asyncio.run(http_get(f"{inference.url}/health"))
        assert (health["role"], health["app_id"]) == ("inference", f"{app_id}-inference")
        assert asyncio.run(http_status(f"{inference.url}/users/x/profile")) == 404  # no state views there
        # a request from a worker of another version: dead-lettered with its reason, nothing else lost
        stray = orjson.dumps({"task": "recommend", "user_id": "u-x", "history": "not a list"})
        requests_topic = f"{app_id}-inference-requests"
        asyncio.run(produce(own_kafka.bootstrap, [(requests_topic, b"u-x", stray)]))
        asyncio.run(produce(own_kafka.bootstrap, catalog + as_messages(timeline)))
        # one list per user and batch: each user's newest click and newest search are answered in any batching
        newest = {(e["user_id"], e["topic"]): e["event_id"] for e in timeline}
        asyncio.run(eventually(lambda: lists.answered(set(newest.values())), timeout=120))
        letters = [r for r in read_dead_letters(own_kafka.bootstrap, 1) if r["source_topic"] == requests_topic]
        assert [(r["error_type"], base64.b64decode(r["original_b64"])) for r in letters] == [
            ("validation_error", stray)], letters
        first = load_sasrec(next(movielens_registry.glob("recommender/*/model.pt")))[2].version
        assert {records[0]["model_version"] for records in lists.by_cause.values()} == {first}
        assert lists.by_cause.keys() <= {e["event_id"] for e in timeline}  # only this timeline's events answered
        status, body = asyncio.run(http_get(f"{state.url}/users/{timeline[0]['user_id']}/recommendations"))
        assert status == 200 and body["items"]
        # the model lives in the inference worker only; the state worker runs no inference agent
        assert f"Serving recommender {first}" in inference.log_path.read_text()
        assert "Serving recommender" not in state.log_path.read_text()
    finally:
        lists.consumer.close()
        assert inference.stop() == 0, inference.log_tail()
        assert state.stop() == 0, state.log_tail()
