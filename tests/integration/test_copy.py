"""Marketing copy end to end on the real broker: a catalog event without description gets checked copy,
served per product and in the ``GET /copy`` overview, refusals with their reasons."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import orjson
from confluent_kafka import Consumer

from schemas import ProductCopyGenerated
from schemas.topics import CATALOG, PRODUCT_COPY
from streams.tools.processes import Worker, http_get, produce
from tests.integration.harness import eventually

SCHEMA = json.loads(Path(f"schemas/json/{PRODUCT_COPY}.json").read_text())


def phone(run: str) -> dict:
    """The issue's seed example: a new phone with a latest-generation processor, an HD screen, long battery life."""
    return {"event_id": f"cat-{run}-phone-v1", "occurred_at": datetime.now(UTC).isoformat(),
            "product_id": f"{run}-phone", "title": "Nova 5 smartphone", "category": "Phones", "brand": "Nova",
            "price": 299.0, "currency": "EUR",
            "attributes": {"processor": "latest-generation octa-core", "screen": "HD display",
                           "battery": "long battery life"},
            "description": None, "language": "en", "request_copy": False}


def test_a_product_without_description_gets_one_checked_grounded_copy_record(kafka, tmp_path):
    run = uuid.uuid4().hex[:6]
    product = phone(run)
    described = {**product, "event_id": f"cat-{run}-case-v1", "product_id": f"{run}-case", "title": "Nova 5 case",
                 "description": "A slim case for the Nova 5."}  # has its own description: asks for nothing
    german = {**product, "event_id": f"cat-{run}-de-v1", "product_id": f"{run}-de", "language": "de"}  # no frames
    chinese = {**product, "event_id": f"cat-{run}-zh-v1", "product_id": f"{run}-zh", "title": "星辰5手机",
               "category": "手机", "brand": "星辰", "currency": "CNY", "language": "zh",
               "attributes": {"处理器": "新一代八核", "屏幕": "高清屏"}}
    consumer = Consumer({"bootstrap.servers": kafka.bootstrap, "group.id": f"copy-{run}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([PRODUCT_COPY])
    records: list[dict] = []

    async def copied() -> bool:
        while (message := consumer.poll(0.2)) is not None:
            if not message.error():
                assert message.key().decode() == orjson.loads(message.value())["product_id"]
                records.append(orjson.loads(message.value()))
        return {product["event_id"], german["event_id"], chinese["event_id"]} <= {r["caused_by"] for r in records}

    worker = Worker(kafka.bootstrap, f"it-copy-{run}", tmp_path / "worker", extra_env={
        "SHOPSTREAM_COPY_ENABLED": "true", "SHOPSTREAM_INFERENCE_DEVICE": "cpu"}).start(timeout=240)
    try:
        asyncio.run(produce(kafka.bootstrap, [(CATALOG, p["product_id"].encode(), orjson.dumps(p))
                                              for p in (described, product, german, chinese)]))
        asyncio.run(eventually(copied, timeout=240))

        async def served_copy():  # the worker's latest-copy table reads shop.product-copy too: wait for it
            answer = await http_get(f"{worker.url}/products/{product['product_id']}/copy")
            return answer if answer[0] == 200 else None
        status, served = asyncio.run(eventually(served_copy, timeout=120))
        missing, _ = asyncio.run(http_get(f"{worker.url}/products/{described['product_id']}/copy"))
        overview_status, overview = asyncio.run(http_get(f"{worker.url}/copy?limit=500"))
        asyncio.run(asyncio.sleep(2))
        asyncio.run(copied())
    finally:
        consumer.close()
        assert worker.stop() == 0, worker.log_tail()

    mine = {r["product_id"]: r for r in records if r["product_id"].startswith(run)}
    # none for the described product
    assert sorted(mine) == sorted([german["product_id"], product["product_id"], chinese["product_id"]])
    record = mine[product["product_id"]]
    for each in mine.values():
        ProductCopyGenerated.model_validate(each)
        jsonschema.validate(each, SCHEMA)
    assert record["event_id"] == f"copy:{product['event_id']}" and record["language"] == "en"
    assert record["grounding"] == {"title": "Nova 5 smartphone", "category": "Phones", "brand": "Nova",
                                   "price": "299 EUR", **product["attributes"]}
    assert record["model_version"] == "frames-1" and record["generation"]["writer"] == "frames"
    assert {c["name"] for c in record["checks"]} == {"length", "mentions_product", "no_pii", "grounded_numbers",
                                                      "grounded_brands", "no_profanity", "supported_sentences"}
    assert record["published"] and all(c["passed"] for c in record["checks"]), record["checks"]
    assert "Nova 5 smartphone" in record["description"] and "299 EUR" in record["description"]
    assert (status, served) == (200, record) and missing == 404
    in_chinese = mine[chinese["product_id"]]
    assert in_chinese["published"] and in_chinese["language"] == "zh", in_chinese["checks"]
    assert "星辰5手机" in in_chinese["description"] and "高清屏" in in_chinese["description"]
    assert overview_status == 200
    assert product["product_id"] in {e["product_id"] for e in overview["published"]}
    refused = {e["product_id"]: e for e in overview["refused"]}[german["product_id"]]
    assert not mine[german["product_id"]]["published"]
    assert {"check": "length", "detail": "0 characters, fewer than the 40 required"} in refused["failed"]
