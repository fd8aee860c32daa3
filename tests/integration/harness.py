"""Real processes for integration tests: a Faust worker subprocess and HTTP/Kafka helpers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from confluent_kafka import Consumer
import orjson
from aiokafka import AIOKafkaProducer

from schemas.topics import DEAD_LETTERS
from streams.tools.broker import free_port
from streams.tools.processes import WORKER_COMMAND, stop_process


@dataclass
class Worker:
    """``faust -A streams.app worker`` in its own process, configured through SHOPSTREAM_* variables."""

    bootstrap: str
    app_id: str
    data_dir: Path
    store: str = "memory://"
    extra_env: dict[str, str] = field(default_factory=dict)
    web_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """Base URL of the worker's HTTP server."""
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def log_path(self) -> Path:
        """The worker's combined stdout and stderr."""
        return self.data_dir / "worker.log"

    def start(self, timeout: float = 120.0) -> "Worker":
        """Start the worker and wait until it owns its partitions."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "SHOPSTREAM_BROKER": f"kafka://{self.bootstrap}", "SHOPSTREAM_APP_ID": self.app_id,
               "SHOPSTREAM_WEB_PORT": str(self.web_port), "SHOPSTREAM_WEB_HOST": "127.0.0.1",
               "SHOPSTREAM_DATA_DIR": str(self.data_dir / "state"), "SHOPSTREAM_STORE": self.store,
               "SHOPSTREAM_REPORT_INTERVAL_S": "2", **self.extra_env}
        self.process = subprocess.Popen(WORKER_COMMAND, env=env, stdout=self.log_path.open("ab"), stderr=subprocess.STDOUT,
                                        start_new_session=True)
        asyncio.run(self._wait_ready(timeout))
        return self

    async def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                status, body = await http_get(f"{self.url}/health")
                if status == 200 and body["assigned_partitions"] > 0 and not body["rebalancing"]:
                    return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.5)
        raise TimeoutError(f"worker not ready after {timeout}s:\n{self.log_tail()}")

    async def logged(self, text: str) -> bool:
        """Whether the worker's log holds ``text`` yet (for ``eventually``)."""
        return self.log_path.exists() and text in self.log_path.read_text(errors="replace")

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the worker's log, for failure messages."""
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else "(no log)"

    def stop(self, timeout: float = 60.0) -> int:
        """SIGTERM the worker (like an orchestrator would) and return its exit code."""
        return stop_process(self.process, timeout)


async def http_get(url: str) -> tuple[int, dict]:
    """GET a JSON document; returns (status, body)."""
    async with aiohttp.ClientSession() as session:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=10)) as response:
            return response.status, orjson.loads(await response.read())


async def produce(bootstrap: str, messages: list[tuple[str, bytes | None, bytes | None]]) -> None:
    """Send ``(topic, key, value)`` messages in order and wait until all are acknowledged."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5,
                                max_request_size=4 * 1024 * 1024)
    await producer.start()
    try:
        batch = [await producer.send(topic, key=key, value=value) for topic, key, value in messages]
        await asyncio.gather(*batch)
    finally:
        await producer.stop()


async def eventually(check, timeout: float = 90.0, interval: float = 1.0):
    """Await ``check()`` until it returns a truthy value; fail with its last result after ``timeout``."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s; last result: {last!r}")


def read_dead_letters(bootstrap: str, count_at_least: int, timeout: float = 60.0) -> list[dict]:
    """Every record of shop.dead-letters, read with an independent client (librdkafka)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"dlq-check-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([DEAD_LETTERS])
    records, idle = [], 0
    try:
        while idle < int(timeout) and (len(records) < count_at_least or idle < 3):
            message = consumer.poll(1.0)
            if message is None or message.error():
                idle += 1
                continue
            idle = 0
            records.append({"key": message.key(), **orjson.loads(message.value())})
    finally:
        consumer.close()
    return records
