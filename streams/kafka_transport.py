"""Faust's aiokafka transport with six changes ShopStream relies on: a short fetch long-poll, input
partitions handed out in log order, a producer flush that really drains before offsets are
committed, a producer buffer large enough for a micro-batch's table writes, records handed
to the agents without a task per record, and heartbeats while a new assignment is set up.

- **Fetch long-poll.** Faust builds its consumer with ``fetch_max_wait_ms=1500`` hard-coded: a
  fetch that finds less than the minimum bytes waits up to 1.5 s for more. While a worker
  restores a table it reads the changelog to its end and asks again, so each step of a recovery
  or a small catch-up waited up to 1.5 s: after a kill -9, the restart took seconds longer than
  the session timeout alone. ``SHOPSTREAM_FETCH_MAX_WAIT_S`` (default 0.1 s) bounds that wait.
- **In log order.** Faust could hand out a batch fetched before its seek to the committed offsets,
  records fetched while its tables were restored (before any seek), or drop fetched records while
  the client's position moved past them; it then took the jump for a hole in the log and committed
  past it. ``streams/fetch_order.py`` decides, per record, to hand it out, drop it, or seek back
  (the consumer's ``getmany`` below applies it to acked topics); a partition is handed out only
  between the seek that positions it and its revocation.
- **Flush before commit.** Faust flushes its producer before it commits input offsets, but its
  buffer's flush gives up as soon as no record was handed to the client within 0.1 s, which
  happens whenever an agent holds the event loop that long (a batch on 2 busy cores). The commit
  then went ahead while table changelog records and re-keyed events were still in the buffer,
  and a kill -9 at that moment lost them for good: a product's counters came back short by a few
  clicks in about one crash run in three. ``DrainingBuffer.flush`` waits until the buffer is
  empty and its last record is with the client, whose own flush then waits for the broker.
- **Buffer size.** Faust's buffer holds 100 table writes before the consumer stops to drain it
  ("producer buffer full"), a few times a second when a batch writes hundreds of keys; this one
  holds ``DrainingBuffer.max_messages``.
- **No task per record.** Faust's drain loop raced every record's hand-over against a rebalance with
  four new tasks; ``streams/drain_loop.py`` runs the hand-over inline and races only one that waits.
- **Heartbeats during the assignment.** aiokafka sends none while Faust opens the tables' stores for
  new partitions, and a setup longer than the session timeout got the worker evicted as soon as it
  had joined (``streams/assign_heartbeat.py``).
"""

from __future__ import annotations

import asyncio

from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.transport.producer import ProducerBuffer
from faust.transport.consumer import ensure_TP

from streams.assign_heartbeat import heartbeating
from streams.drain_loop import drain_messages
from streams.fetch_order import FetchOrder, Verdict, known


class DrainingBuffer(ProducerBuffer):
    """Faust's producer buffer whose ``flush`` returns only when every record buffered before it was handed
    to the client (records are handed over in order, one at a time).

    It holds up to ``max_messages`` table writes before the consumer waits for it (Faust's 100 made a
    micro-batch that writes a few hundred keys stop the whole worker on "producer buffer full" several
    times a second); a commit still flushes all of it first, so no offset is committed ahead of its writes.
    """

    max_messages = 20_000
    in_flight: int = 0
    handed: int = 0

    async def _send_pending(self, fut) -> None:
        self.in_flight += 1
        try:
            await super()._send_pending(fut)
        finally:
            self.in_flight -= 1
            self.handed += 1

    async def flush(self) -> None:
        """Wait until the records buffered now are with the client (not only for 0.1 s of quiet); records
        added meanwhile do not prolong the wait."""
        target = self.handed + self.in_flight + self.size
        while self.handed < target:
            if self.state != "running":
                raise RuntimeError("Cannot flush: the producer buffer is not running")
            await asyncio.sleep(0.005)


def kafka_transport(fetch_max_wait_s: float) -> type[faust_aiokafka.Transport]:
    """Faust's aiokafka transport: its worker consumer long-polls at most ``fetch_max_wait_s`` per fetch,
    its producer drains its buffer completely on ``flush`` (before each commit)."""

    class ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport):
            consumer = super()._create_worker_consumer(transport)
            consumer._fetch_max_wait_ms = int(fetch_max_wait_s * 1000)  # read by its fetcher at start()
            return consumer

        async def on_partitions_assigned(self, assigned, generation_id: int = 0) -> None:
            async with heartbeating(self._ensure_consumer()._coordinator):
                await super().on_partitions_assigned(assigned, generation_id)

    class Consumer(faust_aiokafka.Consumer):
        _order: FetchOrder | None = None
        _batch: int = 0
        #: Input records wait in the drain loop (``streams/drain_loop.py``): from the seek to the committed
        #: offsets until the flow resumes, since Faust empties the agents' queues in between.
        holds_streams: bool = False

        def _new_consumer_thread(self):
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

        @property
        def fetch_order(self) -> FetchOrder:
            if self._order is None:
                self._order = FetchOrder()
            return self._order

        async def seek_to_committed(self):
            self.holds_streams = True
            reported = await super().seek_to_committed()
            committed = {ensure_TP(tp): known(offset) for tp, offset in reported.items()}
            acked = self.app.topics.acks_enabled_for
            # a partition nobody committed is read from its start (auto_offset_reset=earliest), whatever
            # the client fetched before this seek and Faust dropped while its flow was suspended
            never = [tp for tp, offset in committed.items() if offset is None and acked(tp.topic)]
            starts = await self.earliest_offsets(*never) if never else {}
            positions = {tp: starts.get(tp) if offset is None else offset for tp, offset in committed.items()}
            for tp, offset in positions.items():
                self.fetch_order.positioned(tp, offset)
            # the client sits where the order expects: what it fetched until now was dropped (not positioned)
            sought = {tp: offset for tp, offset in positions.items() if offset is not None and acked(tp.topic)}
            if sought:
                await self._thread.seek_wait(sought)
            return reported

        def resume_flow(self) -> None:
            super().resume_flow()
            self.holds_streams = False

        async def _drain_messages(self, fetcher) -> None:
            await drain_messages(self, fetcher)

        async def on_partitions_revoked(self, revoked) -> None:
            self.fetch_order.revoked(revoked)
            await super().on_partitions_revoked(revoked)

        async def _wait_next_records(self, timeout):
            self._batch = self.fetch_order.fetch_started()
            return await super()._wait_next_records(timeout)

        async def getmany(self, timeout):
            order, acked = self.fetch_order, self.app.topics.acks_enabled_for
            async for tp, message in super().getmany(timeout):
                if not acked(tp.topic):
                    yield tp, message
                    continue
                verdict = order.verdict(tp, message.offset, self._batch)
                if verdict is Verdict.HAND_OUT:
                    yield tp, message
                elif verdict is Verdict.SEEK_BACK:
                    await self._seek_back(tp, order.expected(tp), message.offset)

        async def _seek_back(self, tp, expected: int, fetched: int) -> None:
            self.log.warning("%s[%d]: the fetch jumped from offset %d to %d; reading from %d again",
                             tp.topic, tp.partition, expected, fetched, expected)
            try:
                await self._thread.seek_wait({tp: expected})
            except Exception as exc:  # noqa: BLE001  revoked meanwhile: its new owner reads it from the commit
                self.log.warning("%s[%d]: seek back to %d failed (%r)", tp.topic, tp.partition, expected, exc)
            self.fetch_order.sought_back(tp)

    class Producer(faust_aiokafka.Producer):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            threaded = getattr(self.buffer, "threaded_producer", None)
            self.buffer = DrainingBuffer(loop=self.loop, beacon=self.beacon)
            self.buffer.app = self.app
            if threaded is not None:
                self.buffer.threaded_producer = threaded

    class Transport(faust_aiokafka.Transport):
        pass

    Transport.Consumer = Consumer
    Transport.Producer = Producer
    return Transport
