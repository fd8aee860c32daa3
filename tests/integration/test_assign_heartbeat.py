"""A consumer whose assignment setup outlasts the session timeout stays in its group when it heartbeats
during the setup (``streams/assign_heartbeat.py``), and is evicted when it does not (aiokafka alone)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener
from aiokafka.errors import CommitFailedError

from schemas.topics import ERASURES
from streams.assign_heartbeat import heartbeating

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SESSION_S = 6.0  # the worker's default, and the broker's smallest allowed
SETUP_S = 9.0  # longer than the session: without heartbeats the broker forgets the member meanwhile


async def commit_after_a_slow_setup(bootstrap: str, keep_alive: bool) -> Exception | None:
    """Join a new group on ERASURES, take SETUP_S in the assignment callback, then commit; the commit's error."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=f"slow-setup-{uuid.uuid4().hex[:8]}",
                                enable_auto_commit=False, session_timeout_ms=int(SESSION_S * 1000),
                                heartbeat_interval_ms=2000)
    set_up = asyncio.Event()

    class SlowSetup(ConsumerRebalanceListener):
        async def on_partitions_revoked(self, revoked):
            pass

        async def on_partitions_assigned(self, assigned):
            if keep_alive:
                async with heartbeating(consumer._coordinator):
                    await asyncio.sleep(SETUP_S)
            else:
                await asyncio.sleep(SETUP_S)
            set_up.set()

    consumer.subscribe([ERASURES], listener=SlowSetup())
    await consumer.start()
    try:
        await asyncio.wait_for(set_up.wait(), timeout=120)
        try:
            await consumer.commit({tp: 0 for tp in consumer.assignment()})
        except CommitFailedError as exc:
            return exc
        return None
    finally:
        await consumer.stop()


def test_heartbeats_during_a_slow_assignment_keep_the_member_in_its_group(kafka):
    async def both():
        return await asyncio.gather(commit_after_a_slow_setup(kafka.bootstrap, keep_alive=True),
                                    commit_after_a_slow_setup(kafka.bootstrap, keep_alive=False))
    kept, evicted = asyncio.run(both())
    assert kept is None
    assert isinstance(evicted, CommitFailedError), "aiokafka heartbeats during the callback now: drop the workaround"
