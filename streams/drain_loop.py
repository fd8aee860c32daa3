"""The consumer's drain loop: each fetched record handed to the agents' queues without a task per record.

Faust's loop hands each record over with ``wait_first(callback(record), suspend_flow.wait())``: four
tasks and an ``asyncio.wait`` per record, so that a rebalance can interrupt a hand-over that is
stuck (a full queue, a full producer buffer, stopped flow control). Almost no hand-over waits for
anything: the conductor decodes the record and puts it on the queues of the streams that read its
topic. ``drain_messages`` therefore runs the hand-over inline up to its first suspension, and only a
hand-over that does suspend finishes the way Faust's does, raced against ``suspend_flow``.

A hand-over is run inline only while the flow runs and the producer buffer is below its limit: in
those cases the conductor's own code can wait, some of it under ``asyncio.wait_for``, whose timeout
belongs to the task that enters it; they take Faust's path from the start.

No record is handed over while a queue that takes it is full: the loop waits for room first. The
conductor's own answer to a full queue is a put in a task of its own, which a rebalance does not
cancel: the record then reached its agent after the seek back to the committed offsets, ahead of
the records before it (a chaos run lost 9 updates that way once hand-overs outpaced the agents).
If the flow stops while the loop waits for room, the record is dropped, as Faust drops a hand-over
a rebalance cut short; the seek reads it again.

Nor is a record of an input topic handed over while the consumer holds them back
(``consumer.holds_streams``: from its seek to the committed offsets until the flow resumes). When a
recovery ends, Faust seeks, then resumes its flow control, which empties the agents' queues: the
records handed over in between were lost, and the fetch went on after them (with hand-overs no
longer taking turns with the recovery, a chaos run lost a restarted worker's first ten reviews).

The rest of the loop keeps Faust's behaviour (``faust.transport.consumer.Consumer._drain_messages``):
the read offset, the gaps it records for acked topics, commits every ``broker_commit_every`` acks, a
turn for the event loop every 100 records, and how a stopped consumer ends it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Generator
from typing import Any

from faust.transport.consumer import CONSUMER_FETCHING

#: Records handed over between two turns given to the rest of the event loop (Faust's value).
YIELD_EVERY = 100
#: How often a hand-over that waits (a full queue, records held back) looks again, seconds.
POLL_S = 0.005


class Resumed:
    """The rest of ``coro``, which was stepped once by hand and suspended on ``waiting`` (what it yielded).

    Awaiting it (in a task) passes what the coroutine yields up to the task, and sends or throws what
    the task passes back, until the coroutine returns."""

    def __init__(self, coro: Coroutine, waiting: Any) -> None:
        self.coro, self.waiting = coro, waiting

    def __await__(self) -> Generator[Any, Any, Any]:
        yielded = self.waiting
        while True:
            try:
                sent = yield yielded
            except GeneratorExit:
                self.coro.close()
                raise
            except BaseException as exc:  # noqa: BLE001  cancellation included: the coroutine handles it
                step = self.coro.throw, exc
            else:
                step = self.coro.send, sent
            try:
                yielded = step[0](step[1])
            except StopIteration as stop:
                return stop.value


def step_once(coro: Coroutine) -> tuple[bool, Any]:
    """Run ``coro`` up to its first suspension: (True, None) when it finished, else (False, what it yielded)."""
    try:
        return False, coro.send(None)
    except StopIteration:
        return True, None


def may_run_inline(consumer) -> bool:
    """Whether a hand-over may run inline now: the flow runs and the producer buffer is below its limit."""
    buffer = consumer.app.producer.buffer
    return not consumer.suspend_flow.is_set() and buffer.size <= buffer.max_messages


def queues_for(consumer, tp) -> list:
    """The queues of the streams that read partition ``tp`` (the conductor's index)."""
    return [channel.queue for channel in consumer.app.topics._tp_index.get(tp, ())]


def must_wait(consumer, message, queues: list) -> bool:
    """Whether ``message`` must wait: a queue that takes it is full, or it is an input record (an acked topic)
    while the consumer holds those back."""
    held = consumer.holds_streams and consumer.app.topics.acks_enabled_for(message.topic)
    return held or any(queue.full() for queue in queues)


async def ready_for(consumer, message) -> bool:
    """Wait until ``message`` may be handed over: True, or False once the flow stops (a rebalance)."""
    queues = queues_for(consumer, message.tp)
    while must_wait(consumer, message, queues):
        if consumer.suspend_flow.is_set():
            return False
        await asyncio.sleep(POLL_S)
    return True


async def hand_over(consumer, message) -> None:
    """Hand ``message`` to its agents' queues (``consumer.callback``) once it may (``ready_for``); a rebalance
    may cut a wait short, and the record is then read again after the seek."""
    if not await ready_for(consumer, message):
        return
    if may_run_inline(consumer):
        coro = consumer.callback(message)
        finished, waiting = step_once(coro)
        if finished:
            return
        await consumer.wait_first(Resumed(coro, waiting), consumer.suspend_flow.wait())
    else:
        await consumer.wait_first(consumer.callback(message), consumer.suspend_flow.wait())


async def drain_messages(consumer, fetcher) -> None:
    """Read records with ``consumer.getmany`` and hand them over in order, until the consumer or the
    fetcher stops (the loop of ``Consumer._drain_messages``, each hand-over by ``hand_over``)."""
    stopping = (consumer._stopped.is_set, fetcher._stopped.is_set)
    read_offset = consumer._read_offset
    acked = consumer.app.topics.acks_enabled_for
    since_yield = 0
    try:
        while not any(stopped() for stopped in stopping):
            consumer.diag.set_flag(CONSUMER_FETCHING)
            records = consumer.getmany(timeout=1.0)
            await consumer.sleep(0)
            if consumer.should_stop:
                continue
            async for tp, message in records:
                since_yield += 1
                if since_yield > YIELD_EVERY:
                    await asyncio.sleep(0)
                    since_yield = 0
                offset, previous = message.offset, read_offset[tp]
                if previous is not None and offset < previous:
                    continue  # read before: a replay after a seek back is dropped, as Faust does
                if previous and offset - previous > 1 and acked(message.topic):
                    await consumer._add_gap(tp, previous + 1, offset)
                every = consumer._commit_every
                if every is not None and consumer._n_acked >= every:
                    consumer._n_acked = 0
                    await consumer.commit()
                await hand_over(consumer, message)
                read_offset[tp] = offset
            consumer.diag.unset_flag(CONSUMER_FETCHING)
    except consumer.consumer_stopped_errors:
        if consumer.transport.app.should_stop:
            consumer.log.info("Broker stopped consumer, shutting down...")
            return
        raise
    except asyncio.CancelledError:
        if consumer.transport.app.should_stop:
            consumer.log.info("Consumer shutting down for user cancel.")
            return
        raise
    except Exception as exc:
        consumer.log.exception("Drain messages raised: %r", exc)
        raise
    finally:
        consumer.diag.unset_flag(CONSUMER_FETCHING)
