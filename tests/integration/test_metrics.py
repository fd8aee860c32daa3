"""``GET /metrics`` scraped from a real worker on a broker of its own: the counters move by exactly
what was sent, and agree with what Kafka holds."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import aiohttp
import orjson
import pytest
from confluent_kafka import Consumer, TopicPartition
from prometheus_client.parser import text_string_to_metric_families

from schemas.topics import CLICKS, RECOMMENDATIONS
from streams.tools.processes import Worker, produce
from tests.integration.harness import eventually
from tests.integration.test_ingest import GOOD_CLICK, MALFORMED, replay_messages

pytestmark = [pytest.mark.integration, pytest.mark.slow]


async def scrape(worker: Worker) -> dict[tuple[str, frozenset], float]:
    """Every ShopStream sample of the worker's ``/metrics``: ``{(name, labels): value}``."""
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{worker.url}/metrics", timeout=aiohttp.ClientTimeout(total=10)) as response:
            assert response.status == 200 and response.content_type == "text/plain"
            text = await response.text()
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text) if family.name.startswith("shopstream_")
            for sample in family.samples}


def by_label(samples: dict, name: str, label: str) -> dict[str, float]:
    """``{label value: sample value}`` of metric ``name`` (summed over its other labels)."""
    totals: dict[str, float] = Counter()
    for (sample_name, labels), value in samples.items():
        if sample_name == name:
            totals[dict(labels)[label]] += value
    return dict(totals)


def dead_letters(samples: dict) -> Counter:
    """``{(topic, reason): count}`` of the dead-letter counter."""
    return Counter({(dict(labels)["topic"], dict(labels)["reason"]): value
                    for (name, labels), value in samples.items() if name == "shopstream_dead_letters_total"})


def topic_size(bootstrap: str, topic: str) -> int:
    """Records in ``topic`` (every partition's end offset; nothing is ever deleted in a test)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"size-{uuid.uuid4()}"})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        return sum(consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in partitions)
    finally:
        consumer.close()


def test_metrics_count_exactly_what_was_sent(own_kafka, datasets, tmp_path):
    messages = [(t, k, v) for t, k, v, _ in replay_messages(datasets, users=4)]
    sent = Counter(topic for topic, _, _ in messages) + Counter(topic for topic, _, _, _ in MALFORMED)
    worker = Worker(own_kafka.bootstrap, f"it-metrics-{uuid.uuid4().hex[:8]}", tmp_path / "worker",
                    extra_env={"SHOPSTREAM_COPY_ENABLED": "false",
                               "SHOPSTREAM_RECOMMEND_EACH_EVENT": "true"}).start()  # requests counted per click
    try:
        before = asyncio.run(scrape(worker))
        assert by_label(before, "shopstream_events_received_total", "topic") == {}, "a fresh worker has read nothing"
        asyncio.run(produce(own_kafka.bootstrap, messages + [(t, k, v) for t, k, v, _ in MALFORMED]))

        async def all_read():
            samples = await scrape(worker)
            received = by_label(samples, "shopstream_events_received_total", "topic")
            return samples if all(received.get(topic) == count for topic, count in sent.items()) else None
        asyncio.run(eventually(all_read, timeout=180))

        async def lists_settled():
            samples = await scrape(worker)
            issued = by_label(samples, "shopstream_results_total", "topic").get(RECOMMENDATIONS, 0)
            asked = by_label(samples, "shopstream_events_received_total", "topic").get(
                f"{worker.app_id}-inference-requests", 0)
            return samples if issued and issued == asked == topic_size(own_kafka.bootstrap, RECOMMENDATIONS) else None
        samples = asyncio.run(eventually(lists_settled, timeout=180))

        received = by_label(samples, "shopstream_events_received_total", "topic")
        assert {topic: received[topic] for topic in sent} == sent
        assert dead_letters(samples) == Counter((topic, reason) for topic, _, _, reason in MALFORMED)
        valid_clicks = sum(1 for topic, _, _ in messages if topic == CLICKS)
        assert by_label(samples, "shopstream_events_applied_total", "source")["clicks"] == valid_clicks
        lists = by_label(samples, "shopstream_results_total", "topic")[RECOMMENDATIONS]
        assert samples[("shopstream_recommendation_latency_seconds_count", frozenset())] == lists
        assert by_label(samples, "shopstream_batch_size_count", "agent")["inference"] >= 1
        assert by_label(samples, "shopstream_table_entries", "table")["user-profiles"] == 4
        assert by_label(samples, "shopstream_model_info", "model")["recommender"] == 1
        lag = by_label(samples, "shopstream_consumer_lag", "topic")
        assert set(sent) <= set(lag) and all(lag[topic] == 0 for topic in sent), lag

        # a second round moves every counter by exactly what it adds
        user = next(key for topic, key, _ in messages if topic == CLICKS).decode()
        fresh = [(CLICKS, user.encode(), orjson.dumps({**GOOD_CLICK, "event_id": f"metrics-{n}", "user_id": user}))
                 for n in range(7)]
        asyncio.run(produce(own_kafka.bootstrap, fresh + [(t, k, v) for t, k, v, _ in MALFORMED[:2]]))

        async def second_round_read():
            now = await scrape(worker)
            return now if by_label(now, "shopstream_results_total", "topic")[RECOMMENDATIONS] == lists + 7 else None
        after = asyncio.run(eventually(second_round_read, timeout=120))
        delta = Counter(by_label(after, "shopstream_events_received_total", "topic"))
        delta.subtract(received)
        assert delta[CLICKS] == 7 + 2 and delta[f"{worker.app_id}-inference-requests"] == 7
        assert by_label(after, "shopstream_events_applied_total", "source")["clicks"] == valid_clicks + 7
        assert dead_letters(after) - dead_letters(samples) == Counter(
            (topic, reason) for topic, _, _, reason in MALFORMED[:2])
    finally:
        assert worker.stop() == 0, worker.log_tail()
