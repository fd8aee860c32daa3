"""Quality-aware ranking end to end: a complaint alert demotes a product in live recommendations.

Two users click through the same real MovieLens history, one click at a time: ``dem-a`` before
any complaint, ``dem-b`` after a burst of delivery complaints raised an alert on the product ``dem-a``
was offered most. Same history, same model, one request per batch: without demotion the two users'
lists would be identical, so ``dem-a``'s lists are exactly what ``dem-b`` would otherwise get.

It runs on a broker of its own (``own_kafka``): every test worker reads the input topics from the
beginning, so on the shared broker this test's clicks would change test_ingest.py's exact stats,
and the other tests' backlog would batch with these requests.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import orjson
from confluent_kafka import Consumer

from schemas import SentimentAlertChanged
from schemas.topics import CATALOG, CLICKS, RECOMMENDATIONS, REVIEWS, SENTIMENT_ALERTS
from streams.tools.replay.events import build_replay
from streams.tools.processes import Worker, produce
from tests.integration.harness import eventually

CLICKS_PER_USER = 8
COMPLAINTS = [
    "The delivery took three weeks and the parcel arrived damaged. Terrible.",
    "Shipping was a disaster, it arrived a month late and the case was cracked.",
    "Awful delivery, the courier lost it twice and it arrived broken.",
    "It arrived late and damaged, the worst shipping experience I have had.",
    "Delivery was painfully slow and it arrived scratched. Very disappointed.",
    "Terrible shipping, backordered for weeks and then it arrived broken.",
    "The courier left it in the rain, it arrived ruined. Horrible delivery.",
    "Shipped late, arrived broken, and the tracking never worked. Awful.",
]


class Topics:
    """Recommendations and alerts, read with an independent client (librdkafka)."""

    def __init__(self, bootstrap: str) -> None:
        self.consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"demotion-{uuid.uuid4()}",
                                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
        self.consumer.subscribe([RECOMMENDATIONS, SENTIMENT_ALERTS])
        self.lists: dict[str, dict] = {}  # cause -> list
        self.alerts: list[dict] = []

    def read(self) -> None:
        while (message := self.consumer.poll(0.2)) is not None:
            if message.error():
                continue
            record = orjson.loads(message.value())
            if message.topic() == RECOMMENDATIONS:
                self.lists[record["caused_by"]] = record
            else:
                self.alerts.append(SentimentAlertChanged.model_validate(record).model_dump(mode="json"))

    async def answered(self, cause: str) -> dict | None:
        self.read()
        return self.lists.get(cause)

    async def alert(self, product_id: str, **wanted) -> dict | None:
        self.read()
        found = [a for a in self.alerts if a["product_id"] == product_id
                 and all(a[field] == value for field, value in wanted.items())]
        return found[-1] if found else None


def history(datasets) -> list[dict]:
    """The first clicks of the first replayed MovieLens user."""
    movielens, reviews = datasets
    return [e.value for e in build_replay(movielens, reviews, users=1) if e.topic == CLICKS][:CLICKS_PER_USER]


async def click_through(topics: Topics, bootstrap: str, clicks: list[dict], user: str) -> list[dict]:
    """Send ``clicks`` as ``user``, each after the list of the one before: one request per batch."""
    lists = []
    for n, click in enumerate(clicks):
        event = {**click, "event_id": f"{user}-{n}", "user_id": user}
        await produce(bootstrap, [(CLICKS, user.encode(), orjson.dumps(event))])
        lists.append(await eventually(lambda cause=event["event_id"]: topics.answered(cause), timeout=120))
    return lists


def test_an_active_complaint_alert_demotes_the_product_and_the_alert_counts_the_slots_it_lost(
        own_kafka, datasets, movielens_registry, clothing_sentiment_registry, tmp_path):
    kafka = own_kafka
    movielens, reviews = datasets
    catalog = [(CATALOG, e.key.encode(), orjson.dumps(e.value)) for e in build_replay(movielens, reviews)
               if e.topic == CATALOG and e.key.startswith("ml-")]
    registry = tmp_path / "registry"
    shutil.copytree(movielens_registry, registry)
    shutil.copytree(clothing_sentiment_registry, registry, dirs_exist_ok=True)
    run = uuid.uuid4().hex[:6]
    a, b = f"dem-a-{run}", f"dem-b-{run}"
    topics = Topics(kafka.bootstrap)
    asyncio.run(produce(kafka.bootstrap, catalog))
    worker = Worker(kafka.bootstrap, f"it-demotion-{run}", tmp_path / "worker", extra_env={
        "SHOPSTREAM_MODEL_REGISTRY": str(registry), "SHOPSTREAM_INFERENCE_DEVICE": "cpu",
        "SHOPSTREAM_ALERT_DEMOTION": "1.0", "SHOPSTREAM_SLOTS_REPORT_S": "1"}).start(timeout=240)
    try:
        clicks = history(datasets)
        before = asyncio.run(click_through(topics, kafka.bootstrap, clicks, a))
        offered = Counter(item["product_id"] for record in before for item in record["items"])
        target = offered.most_common(1)[0][0]
        would_lose = sum(target in [item["product_id"] for item in record["items"]] for record in before)
        now = datetime.now(UTC)
        complaints = [{"event_id": f"dem-review-{run}-{n}", "occurred_at": (now + timedelta(seconds=n)).isoformat(),
                       "review_id": f"dem-{run}-r{n}", "product_id": target, "user_id": None, "rating": 1,
                       "title": None, "text": text, "language": None} for n, text in enumerate(COMPLAINTS)]
        asyncio.run(produce(kafka.bootstrap, [(REVIEWS, target.encode(), orjson.dumps(r)) for r in complaints]))
        raised = asyncio.run(eventually(lambda: topics.alert(target, status="raised"), timeout=120))
        asyncio.run(eventually(lambda: worker.logged(f"Demoting recommendations of {target}"), timeout=60))
        after = asyncio.run(click_through(topics, kafka.bootstrap, clicks, b))
        final = asyncio.run(eventually(
            lambda: topics.alert(target, alert_id=raised["alert_id"], recommendation_slots_lost=would_lose),
            timeout=60))
        asyncio.run(asyncio.sleep(3))  # three more report intervals: nothing more may be counted
        topics.read()
    finally:
        topics.consumer.close()
        assert worker.stop() == 0, worker.log_tail()

    assert raised["aspect"] == "delivery" and would_lose >= 1
    for was, now_list in zip(before, after):
        was_items = [(i["product_id"], i["reason"]) for i in was["items"] if i["product_id"] != target]
        now_items = [(i["product_id"], i["reason"]) for i in now_list["items"]]
        assert target not in [pid for pid, _ in now_items]
        assert now_items[:len(was_items)] == was_items  # everything else kept its order; one more slid in
        assert len(now_items) == len(was["items"])
    assert final["status"] == "updated" and final["aspect"] == "delivery"
    counted = [alert["recommendation_slots_lost"] for alert in topics.alerts
               if alert["alert_id"] == raised["alert_id"]]
    assert counted == sorted(counted) and max(counted) == would_lose, counted
