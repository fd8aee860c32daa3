"""Micro-batches read straight from a stream's channel queue: Faust's tracking and acks, not its per-record path.

Faust's ``Stream.take_events`` fills its buffer from a background task that iterates the stream one
record at a time: a turn of the event loop (``sleep(0)``), the stream's processors (the buffer's
``add_to_buffer`` among them), the sensors, and signalling between that task and the agent, for
every record. ``take_batches`` yields the same batches, with the same bookkeeping, from the agent's
own task: it takes every record already in the channel's queue at once and waits only when the
queue is empty.

What it keeps from Faust's stream iterator (``faust/_cython/streams.pyx``, the path Faust takes when
its Cython extension is there, as it is here):

- A record handed over before a rebalance (flow control stopped, or another consumer generation)
  is skipped and not acked: the seek back to the committed offsets reads it again.
- Each record of an acked topic is tracked as unacked when it is taken (``consumer.wait_empty``
  waits for it on a rebalance), and the sensors see the message come in and, once acked, go out.
- The records of a batch are acked when the agent asks for the next batch (or stops), as
  ``take_events`` acks them: an offset is committed only after the agent has handled its record.
- A batch is yielded once it holds ``max_`` records, or when ``within`` seconds have passed since
  the agent asked for it and it holds at least one.
- When the stream stops (Faust throws ``StopAsyncIteration`` into the channel), the batches end,
  after the records already taken are yielded and acked: a stopping worker waits for them
  (``consumer.wait_empty``).

What it leaves out: the sensors' per-stream event hooks (``on_stream_event_in``/``_out``), which
feed only Faust's own ``Monitor`` tables of events per stream and their run times (ShopStream's
metrics are its own, ``streams/monitoring/``). They cost 8% of a state worker's CPU in a profile
of ``bench.peers``: a dict of sensor states built per record.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from faust import StreamT
from faust.types import EventT


async def take_batches(stream: StreamT, max_: int, within: float) -> AsyncIterator[list[EventT]]:
    """Batches of at most ``max_`` events of ``stream``, each yielded ``within`` seconds after it was asked
    for (sooner when full); the events of a batch are acked when the next one is asked for."""
    queue = stream.channel.queue
    loop = asyncio.get_running_loop()
    stream._finalized = True  # as Faust's iterator does: no processors may be added any more
    started_here = await stream.maybe_start()
    try:
        ended = False
        while not ended and not stream.should_stop:
            events: list[EventT] = []
            deadline = loop.time() + within
            try:
                while len(events) < max_:
                    if queue.empty():  # not empty when the channel holds an error: get_nowait raises it
                        remaining = deadline - loop.time()
                        if remaining <= 0:
                            break
                        try:
                            item = await asyncio.wait_for(queue.get(), remaining)
                        except TimeoutError:
                            break
                    else:
                        item = queue.get_nowait()
                    if _take(stream, item):
                        events.append(item)
            except StopAsyncIteration:  # the stream is stopping (Faust throws it into the channel)
                ended = True
            if not events:
                continue
            try:
                yield events  # taken and tracked: handled and acked even when the stream ends, so a stop need not wait
            finally:
                for event in events:
                    _ack(stream, event)
    finally:
        stream._channel_stop_iteration(stream.channel)
        if started_here:
            await stream.stop()
            stream.service_reset()


def _take(stream: StreamT, event: EventT) -> bool:
    """Track ``event`` as Faust's stream iterator does; False for a record handed over before a rebalance (skipped)."""
    app, message = stream.app, event.message
    if not app.flow_control.is_active() or message.generation_id != app.consumer_generation_id:
        return False
    if message.topic in app.topics._acking_topics and not message.tracked:
        message.tracked = True
        app.consumer._unacked_messages.add(message)
        stream._on_message_in(message.tp, message.offset, message)
    return True


def _ack(stream: StreamT, event: EventT) -> None:
    """Ack ``event`` as the stream iterator does after its agent handled it (``Message.ack``, under Faust's ack
    lock); the sensors hear of the message once its last stream has acked it."""
    message = event.message
    if event.ack():
        stream._on_message_out(message.tp, message.offset, message)
