"""Heartbeats while a worker sets up a new assignment, so the group does not evict it for the setup.

aiokafka stops its heartbeat task for a rebalance and starts it again only once the
``on_partitions_assigned`` callback has returned, and the first heartbeat then waits one more
interval. Faust's callback opens every table's store for every assigned partition: with RocksDB,
8 tables on 4 partitions took 4.6 s on a busy 2-core machine. A callback longer than the session
timeout less one heartbeat interval (6 s - 2 s by default) got the worker evicted just after it had
joined. Its first commit then failed with ``UnknownMemberIdError``, the group rebalanced once more,
and everything since the last commit was delivered again: an erasure was confirmed twice in
``tests/integration/test_erasure.py``. Java's consumer keeps heartbeating from its own thread during
that callback; ``heartbeating`` does the same here (``streams/kafka_transport.py`` wraps Faust's
callback in it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def heartbeating(coordinator) -> AsyncIterator[None]:
    """Send the group heartbeats of ``coordinator`` (an aiokafka ``GroupCoordinator``) every heartbeat
    interval while the body runs."""
    task = asyncio.ensure_future(_beat(coordinator))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _beat(coordinator) -> None:
    interval = coordinator._heartbeat_interval_ms / 1000
    while True:
        await asyncio.sleep(interval)
        try:
            if not await coordinator._do_heartbeat():
                return  # member unknown or generation stale: aiokafka rejoins once the callback is done
        except Exception as exc:  # noqa: BLE001  aiokafka's own heartbeat task reports it after the callback
            log.warning("Heartbeat during the assignment failed: %r", exc)
            return
