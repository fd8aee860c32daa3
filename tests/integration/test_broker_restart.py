"""The embedded broker restarted on its own data dir (``make demo`` run a second time) serves before
``start`` returns: its log is appended to, and the previous run's ready line must not count."""

from __future__ import annotations

import asyncio

import pytest

from streams.settings import get_settings
from streams.tools.broker import EmbeddedKafka
from streams.tools.processes import free_port, produce

pytestmark = pytest.mark.integration


def test_a_restarted_broker_serves_when_start_returns(tmp_path):
    broker = EmbeddedKafka(data_dir=tmp_path / "kafka", port=free_port(), partitions=1,
                           cache_dir=get_settings().cache_dir)
    with broker:
        asyncio.run(produce(broker.bootstrap, [("restart-check", b"k", b"first run")]))
    with broker:  # same data dir, same log file
        asyncio.run(asyncio.wait_for(produce(broker.bootstrap, [("restart-check", b"k", b"second run")]), 60))
