"""A real worker with SHOPSTREAM_API_TOKEN: user data only with the bearer token, probes open.

On a broker of its own (``own_kafka``): on the shared one its click would change test_ingest.py's
exact product stats."""

from __future__ import annotations

import asyncio
import uuid

import aiohttp
import orjson
import pytest

from schemas.topics import CLICKS
from streams.tools.processes import Worker, http_get, produce
from tests.integration.harness import create_inference_topics, eventually

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TOKEN = "integration-t0ken"


async def status_of(url: str, token: str | None = None) -> int:
    """The HTTP status of a GET (the body may be anything)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as session:
        async with session.get(url, headers=headers, timeout=aiohttp.ClientTimeout(total=10)) as response:
            return response.status


def test_user_data_needs_the_token_and_probes_stay_open(own_kafka, tmp_path):
    app_id = f"it-token-{uuid.uuid4().hex[:8]}"
    asyncio.run(create_inference_topics(own_kafka.bootstrap, app_id))
    worker = Worker(own_kafka.bootstrap, app_id, tmp_path / "worker",
                    extra_env={"SHOPSTREAM_ROLE": "state", "SHOPSTREAM_API_TOKEN": TOKEN}).start()
    click = {"event_id": f"tok-{uuid.uuid4().hex[:6]}", "occurred_at": "1998-01-01T00:00:00Z", "user_id": "tok-u1",
             "product_id": "ml-1", "kind": "view", "category": "Animation"}
    try:
        asyncio.run(produce(own_kafka.bootstrap, [(CLICKS, b"tok-u1", orjson.dumps(click))]))

        async def profile_with_token():
            try:
                status, body = await http_get(f"{worker.url}/users/tok-u1/profile", token=TOKEN)
            except ValueError:  # a table route answers 500 (not JSON) until its producer knows the changelog
                return False
            return status == 200 and body

        assert asyncio.run(eventually(profile_with_token, timeout=120))["user_id"] == "tok-u1"
        guarded = ["/users/tok-u1/profile", "/users/tok-u1/recommendations", "/products/ml-1/stats",
                   "/products/ml-1", "/dashboard/data", "/table/user-profiles/tok-u1"]
        for path in guarded:
            assert asyncio.run(status_of(worker.url + path)) == 401, path
            assert asyncio.run(status_of(worker.url + path, "wrong")) == 401, path
        for path in ("/health", "/metrics", "/dashboard", "/dashboard/static/dashboard.js"):
            assert asyncio.run(status_of(worker.url + path)) == 200, path
        assert asyncio.run(http_get(f"{worker.url}/dashboard/auth")) == (200, {"token_required": True})
    finally:
        assert worker.stop() == 0, worker.log_tail()
    assert TOKEN not in worker.log_path.read_text(errors="replace")
