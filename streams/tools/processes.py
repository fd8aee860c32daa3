"""Launch and drive ShopStream's processes: the one helper the demo, the tests and the benchmarks share.

* ``WORKER_COMMAND`` and ``Worker``: ``faust -A streams.app worker`` in a process of its own,
  configured through ``SHOPSTREAM_*`` variables, started and stopped cleanly, ready once it owns
  its partitions;
* ``stop_process`` and ``stop_processes``: SIGTERM process groups, SIGKILL them after a timeout;
* ``http_get`` and ``produce``: talk to a running worker and to its broker.

The embedded broker itself is ``streams.tools.broker.EmbeddedKafka``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import orjson
from aiokafka import AIOKafkaProducer

from streams.kafka_clients import client_kwargs
from streams.settings import get_settings

#: How the demo, the tests and the benchmarks start a worker: exactly what users run.
WORKER_COMMAND = [sys.executable, "-m", "faust", "-A", "streams.app", "worker", "-l", "info"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen, timeout: float = 30.0) -> int:
    """SIGTERM a process group started with ``start_new_session=True``, SIGKILL it after ``timeout``
    seconds; returns its exit code."""
    return stop_processes([process], timeout)[0]


def stop_processes(processes: list[subprocess.Popen], timeout: float = 30.0) -> list[int]:
    """SIGTERM the process groups of ``processes`` all at once, SIGKILL those still running ``timeout``
    seconds later (one deadline for all, so stopping several takes no longer than the slowest); returns
    their exit codes."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in processes:
        try:
            process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return [process.returncode for process in processes]


@dataclass
class Worker:
    """``faust -A streams.app worker`` in its own process, configured through SHOPSTREAM_* variables.

    ``extra_env`` adds or overrides variables (e.g. ``{"SHOPSTREAM_ROLE": "state"}``); its log
    (stdout and stderr) goes to ``data_dir/worker.log``, its state to ``data_dir/state``.
    """

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

    def environment(self) -> dict[str, str]:
        """The process environment the worker runs with."""
        return {**os.environ, "SHOPSTREAM_BROKER": f"kafka://{self.bootstrap}", "SHOPSTREAM_APP_ID": self.app_id,
                "SHOPSTREAM_WEB_PORT": str(self.web_port), "SHOPSTREAM_WEB_HOST": "127.0.0.1",
                "SHOPSTREAM_DATA_DIR": str(self.data_dir / "state"), "SHOPSTREAM_STORE": self.store,
                "SHOPSTREAM_REPORT_INTERVAL_S": "2", **self.extra_env}

    def start(self, timeout: float = 120.0) -> Worker:
        """Start the worker and wait until it owns its partitions."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(WORKER_COMMAND, env=self.environment(), stdout=self.log_path.open("ab"),
                                        stderr=subprocess.STDOUT, start_new_session=True)
        asyncio.run(self._wait_ready(timeout))
        return self

    async def _wait_ready(self, timeout: float) -> None:
        try:
            await wait_serving(self.process, self.url, timeout)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}:\n{self.log_tail()}") from None
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}:\n{self.log_tail()}") from None

    async def logged(self, text: str) -> bool:
        """Whether the worker's log holds ``text`` yet."""
        return self.log_path.exists() and text in self.log_path.read_text(errors="replace")

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the worker's log, for failure messages."""
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else "(no log)"

    def stop(self, timeout: float = 60.0) -> int:
        """SIGTERM the worker (like an orchestrator would) and return its exit code."""
        return stop_process(self.process, timeout)


async def wait_serving(process: subprocess.Popen, url: str, timeout: float, token: str | None = None) -> None:
    """Return once the worker at ``url`` owns partitions and is not rebalancing (its services, models included,
    have started by then); RuntimeError if ``process`` exits first, TimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"worker exited with {process.returncode}")
        try:
            status, body = await http_get(f"{url}/health", token)
            if status == 200 and body["assigned_partitions"] > 0 and not body["rebalancing"]:
                return
        except (aiohttp.ClientError, orjson.JSONDecodeError, OSError):
            pass  # not listening yet, or listening before /health is routed (a "404: Not Found" text body)
        await asyncio.sleep(0.5)
    raise TimeoutError(f"worker not ready after {timeout}s")


async def http_get(url: str, token: str | None = None) -> tuple[int, dict]:
    """GET a JSON document, with ``token`` as its bearer token when given; returns (status, body)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as session:
        async with session.get(url, headers=headers, timeout=aiohttp.ClientTimeout(total=10)) as response:
            return response.status, orjson.loads(await response.read())


async def produce(bootstrap: str, messages: list[tuple[str, bytes | None, bytes | None]]) -> None:
    """Send ``(topic, key, value)`` messages in order and wait until all are acknowledged."""
    producer = AIOKafkaProducer(**client_kwargs(get_settings(), bootstrap), acks="all", linger_ms=5,
                                max_request_size=4 * 1024 * 1024)
    await producer.start()
    try:
        batch = [await producer.send(topic, key=key, value=value) for topic, key, value in messages]
        await asyncio.gather(*batch)
    finally:
        await producer.stop()
