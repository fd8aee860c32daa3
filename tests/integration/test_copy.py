"""Marketing copy end to end on the real broker: a catalog event without description gets checked copy."""

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
    consumer = Consumer({"bootstrap.servers": kafka.bootstrap, "group.id": f"copy-{run}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([PRODUCT_COPY])
    records: list[dict] = []

    async def copied() -> bool:
        while (message := consumer.poll(0.2)) is not None:
            if not message.error():
                assert message.key().decode() == orjson.loads(message.value())["product_id"]
                records.append(orjson.loads(message.value()))
        return any(r["caused_by"] == product["event_id"] for r in records)

    worker = Worker(kafka.bootstrap, f"it-copy-{run}", tmp_path / "worker", extra_env={
        "SHOPSTREAM_COPY_ENABLED": "true", "SHOPSTREAM_COPY_MAX_NEW_TOKENS": "80",
        "SHOPSTREAM_INFERENCE_DEVICE": "cpu"}).start(timeout=240)
    try:
        asyncio.run(produce(kafka.bootstrap, [(CATALOG, p["product_id"].encode(), orjson.dumps(p))
                                              for p in (described, product)]))
        asyncio.run(eventually(copied, timeout=240))
        status, served = asyncio.run(http_get(f"{worker.url}/products/{product['product_id']}/copy"))
        missing, _ = asyncio.run(http_get(f"{worker.url}/products/{described['product_id']}/copy"))
        asyncio.run(asyncio.sleep(2))
        asyncio.run(copied())
    finally:
        consumer.close()
        assert worker.stop() == 0, worker.log_tail()

    mine = [r for r in records if r["product_id"] in (product["product_id"], described["product_id"])]
    assert len(mine) == 1, mine  # one record, and none for the product that has a description
    record = mine[0]
    ProductCopyGenerated.model_validate(record)
    jsonschema.validate(record, SCHEMA)
    assert record["event_id"] == f"copy:{product['event_id']}" and record["language"] == "en"
    assert record["grounding"] == {"title": "Nova 5 smartphone", "category": "Phones", "brand": "Nova",
                                   "price": "299 EUR", **product["attributes"]}
    assert record["model_version"].startswith("smollm2-135m-instruct")
    assert record["generation"]["max_new_tokens"] == 80 and record["generation"]["seed"] == 7
    assert {c["name"] for c in record["checks"]} == {"length", "mentions_product", "no_pii", "grounded_numbers",
                                                      "grounded_brands", "no_profanity"}, record["checks"]
    assert record["published"] == all(c["passed"] for c in record["checks"])
    assert len(record["description"]) >= 20
    assert (status, served) == (200, record) and missing == 404
