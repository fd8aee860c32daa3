"""kill -9 in the middle of a hot product's backlog, a worker added and removed: every counter and
profile exact, one dead letter per bad record, no stale read.

State workers (RocksDB store) read the shop of ``bench/chaos_shop.py``: clicks and searches keyed
by user, reviews keyed by product, sent with librdkafka's default partitioner (CRC32, not the
murmur2 ShopStream's own producer uses, so about three in four users' events arrive outside the
user's home partition and reach the profile through ``<app_id>-moved-events``), 40% of the clicks
on one product and 2% of the events sent twice by the shop. One worker applies three chunks: in
the first it is killed with SIGKILL while it applies it, restarted with its local store deleted,
and killed again as soon as the restarted worker reads its first redelivered events (both
before any commit); in the second it is stopped with SIGTERM while it has a backlog (it must end
within 15 s, exit code 0, and leave its clean-stop mark) and restarted on the store it kept; in
the third it is killed, restarted and killed again during the catch-up (a killed worker's
restart rebuilds its tables from the changelogs). Then
two workers share the last chunk: one is killed in it, the other leaves at the end; HTTP reads
through either must give the current value or a 503, never an old one. All are dynamic group
members with the default session timeout (static membership is not covered: see
docs/reliability.md). Thousands of the hot product's clicks are delivered again after each kill,
far more than the event-id memory holds; the offset markers must still apply each event exactly
once, and each malformed record (one in 300) must reach the dead-letter topic once, though it is
delivered again after the kill. ``bench/chaos.py`` is the longer run.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import signal
import time
import uuid
from collections import Counter

import orjson
import pytest

from bench.chaos_shop import (Shop, applied_count, describe_differences, differences, expected_counters,
                              expected_profile_events, malformed_ids, read_progress, read_state, send_with_librdkafka,
                              shop_events)
from streams.tools.processes import Worker
from tests.integration.harness import eventually, read_dead_letters

pytestmark = pytest.mark.integration


def kill_9(worker: Worker) -> None:
    os.killpg(worker.process.pid, signal.SIGKILL)
    worker.process.wait(30)


async def state_through(worker: Worker, chunks, strict: bool = False):
    """The state read through ``worker`` against what ``chunks`` imply: (lost, doubled), or None while
    partitions move. ``strict``: a value must be exact or a 503 (a read through a worker that does not own
    the key is routed to the owner; an old value would be a stale read)."""
    products, users = expected_counters(chunks), expected_profile_events(chunks)
    found = await read_state(worker.url, products, users)
    if found is None:
        return None
    if strict:
        assert found == {"products": products, "users": users}, differences(found, products, users)
    return differences(found, products, users)


def wait_until_exact(worker: Worker, chunks) -> None:
    """Wait until every product's counters and every user's profile read through ``worker`` match ``chunks``."""
    async def exact():
        return await state_through(worker, chunks) == (0, 0)
    try:
        asyncio.run(eventually(exact, timeout=180))
    except AssertionError:
        products, users = expected_counters(chunks), expected_profile_events(chunks)
        found = asyncio.run(read_state(worker.url, products, users))
        assert found is not None and differences(found, products, users) == (0, 0), \
            (describe_differences(found, products, users) if found else "partitions still moving") + \
            f"\n--- the end of the worker's log ---\n{worker.log_tail(12000)}"


def wait_for(worker: Worker, check) -> None:
    """Await ``check()`` until it is truthy (120 s at most); fail with the end of ``worker``'s log."""
    try:
        asyncio.run(eventually(check, timeout=120, interval=0.05))
    except AssertionError as error:
        raise AssertionError(f"{error}\n--- the end of the worker's log ---\n{worker.log_tail(12000)}") from None


def applied_some(worker: Worker) -> None:
    """Wait until ``worker`` applied some of a chunk just sent (new events: none is a duplicate)."""
    wait_for(worker, lambda: applied_count(worker.url))


def redelivered_some(worker: Worker) -> None:
    """Wait until a restarted ``worker`` reads its first redelivered records, or finds it has none to read.

    Not until it *applies* some: the killed process may have applied (and written to the changelogs)
    every record it was given before the kill, and then each redelivered one is a duplicate, skipped.
    And if it had also committed them all (a loaded machine can be slower to notice the first applied
    event than the worker is to apply a chunk), nothing is redelivered and its lag reads 0 at once.
    """
    async def reading():
        received, lag = await read_progress(worker.url)
        return received > 0 or lag == 0
    wait_for(worker, reading)


def test_kills_and_a_worker_added_and_removed_apply_every_event_once(own_kafka, tmp_path):
    chunks = shop_events(Shop())
    assert expected_counters(chunks)[Shop().hot]["views"] > 2000  # far beyond the 64 ids a key remembers
    app_id = f"it-crash-{uuid.uuid4().hex[:8]}"
    common = {"SHOPSTREAM_ROLE": "state", "SHOPSTREAM_COMMIT_INTERVAL_S": "5"}
    single = Worker(own_kafka.bootstrap, app_id, tmp_path / "first", store="rocksdb://", extra_env=common)
    first = Worker(own_kafka.bootstrap, app_id, tmp_path / "first", store="rocksdb://", extra_env=common,
                   web_port=single.web_port)
    second = Worker(own_kafka.bootstrap, app_id, tmp_path / "second", store="rocksdb://", extra_env=common)
    single.start(timeout=240)
    try:
        for number, chunk in enumerate(chunks[:-1]):  # one worker: kill -9 (or a stop) in each chunk's backlog
            send_with_librdkafka(own_kafka.bootstrap, chunk)
            applied_some(single)
            if number == 1:  # SIGTERM with a backlog: it commits what it did, ends in time, and keeps its store
                stopping = time.monotonic()
                assert single.stop() == 0, single.log_tail()
                assert time.monotonic() - stopping < 15, f"stopped in {time.monotonic() - stopping:.1f} s"
                assert (single.data_dir / "state" / "clean-stop").exists()
            else:
                kill_9(single)  # mid-chunk: its offsets are not committed yet
            if number == 0:
                shutil.rmtree(single.data_dir / "state")  # a new machine: rebuilt from the changelogs
            single.start(timeout=240)
            if number != 1:  # and once more while the restarted worker catches up on the redelivered backlog
                redelivered_some(single)
                kill_9(single)
                single.start(timeout=240)
        wait_until_exact(single, chunks[:-1])
        assert single.stop() == 0, single.log_tail()

        first.start(timeout=240)  # two workers
        second.start(timeout=240)  # a worker added: the partitions are shared out again
        send_with_librdkafka(own_kafka.bootstrap, chunks[-1])
        applied_some(first)
        kill_9(first)  # and one more kill with two workers
        first.start(timeout=240)
        wait_until_exact(first, chunks)
        assert asyncio.run(state_through(second, chunks, strict=True)) in (None, (0, 0))  # never a stale value
        assert second.stop() == 0, second.log_tail()  # a worker removed: its partitions go back to the first
        wait_until_exact(first, chunks)

        bad = malformed_ids(chunks)
        letters = read_dead_letters(own_kafka.bootstrap, len(bad))
        found = Counter(orjson.loads(base64.b64decode(letter["original_b64"]))["event_id"] for letter in letters)
        assert found == Counter(bad), sorted((orjson.loads(base64.b64decode(letter["original_b64"]))["event_id"],
                                              letter["source_partition"], letter["source_offset"]) for letter in letters)
        assert first.stop() == 0, first.log_tail()
    finally:
        for worker in (single, first, second):
            if worker.process and worker.process.poll() is None:
                worker.stop()
