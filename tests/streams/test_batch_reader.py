"""``take_batches`` on a real Faust app, channel, stream and consumer (no broker: records are handed to the
stream's channel as the conductor hands them)."""

import asyncio

import faust
import pytest
from faust.types.tuples import TP, ConsumerMessage, Message

from streams.batch_reader import take_batches

TOPIC = "shop.test-batches"


@pytest.fixture
def app():
    app = faust.App("batch-reader-test", broker="kafka://localhost:1")  # never connected
    app.flow_control.resume()  # the worker resumes it once partitions are assigned
    return app


def message(app, offset: int, *, cls=Message, generation: int | None = None):
    generation = app.consumer_generation_id if generation is None else generation
    return cls(TOPIC, 0, offset, 0.0, 0, None, b"key", b"value", 0, generation_id=generation)


async def hand_over(stream, *messages) -> None:
    for record in messages:
        await asyncio.wait_for(stream.channel.deliver(record), 5)


async def taken_all(stream) -> None:
    while not stream.channel.queue.empty():
        await asyncio.sleep(0)


def offsets(events) -> list[int]:
    return [event.message.offset for event in events]


@pytest.mark.asyncio
async def test_batches_hold_at_most_max_records_in_order_and_are_acked_when_the_next_is_asked_for(app):
    stream = app.channel(maxsize=100).stream()
    await hand_over(stream, *(message(app, offset) for offset in range(5)))
    batches = take_batches(stream, 3, 0.05)

    first = await asyncio.wait_for(anext(batches), 5)
    assert offsets(first) == [0, 1, 2] and not any(event.message.acked for event in first)
    second = await asyncio.wait_for(anext(batches), 5)  # a partial batch: yielded once `within` has passed
    assert offsets(second) == [3, 4]
    assert all(event.message.acked for event in first) and not any(event.message.acked for event in second)
    await batches.aclose()  # an agent that stops acks what it was handed
    assert all(event.message.acked for event in second)


@pytest.mark.asyncio
async def test_records_handed_over_before_a_rebalance_are_skipped_and_not_acked(app):
    stream = app.channel(maxsize=100).stream()
    stale = message(app, 0, generation=app.consumer_generation_id - 1)
    await hand_over(stream, stale, message(app, 1))
    batches = take_batches(stream, 10, 0.05)

    assert offsets(await asyncio.wait_for(anext(batches), 5)) == [1]
    assert not stale.acked
    await batches.aclose()


@pytest.mark.asyncio
async def test_records_taken_while_the_flow_is_stopped_are_skipped(app):
    stream = app.channel(maxsize=100).stream()
    await hand_over(stream, message(app, 0), message(app, 1))
    app.flow_control.suspend()  # a rebalance started: what was queued is read again after the seek
    batches = take_batches(stream, 10, 0.05)
    waiting = asyncio.ensure_future(anext(batches))
    await asyncio.sleep(0.2)
    assert not waiting.done()  # both skipped: nothing to yield
    app.flow_control.resume()
    await hand_over(stream, message(app, 2))
    assert offsets(await asyncio.wait_for(waiting, 5)) == [2]
    await batches.aclose()


@pytest.mark.asyncio
async def test_records_of_acked_topics_are_tracked_until_acked_and_their_offsets_recorded(app):
    stream = app.topic(TOPIC, value_serializer="raw").stream()
    await app.topics._update_indices()  # what the conductor does when the worker subscribes
    assert app.topics.acks_enabled_for(TOPIC)
    records = [message(app, offset, cls=ConsumerMessage) for offset in (7, 8)]
    await hand_over(stream, *records)
    batches = take_batches(stream, 2, 0.05)

    await asyncio.wait_for(anext(batches), 5)
    assert set(records) <= app.consumer._unacked_messages  # rebalances wait for these
    await batches.aclose()
    assert not any(record in app.consumer._unacked_messages for record in records)
    assert list(app.consumer._acked[TP(TOPIC, 0)]) == [7, 8]  # what the next commit is computed from


@pytest.mark.asyncio
async def test_an_error_thrown_into_the_channel_reaches_the_agent(app):
    stream = app.channel(maxsize=100).stream()
    await stream.channel.throw(ValueError("bad record"))
    with pytest.raises(ValueError, match="bad record"):
        await asyncio.wait_for(anext(take_batches(stream, 10, 0.05)), 5)


@pytest.mark.asyncio
async def test_a_stopping_stream_ends_the_batches_after_yielding_and_acking_what_was_taken(app):
    stream = app.channel(maxsize=100).stream()
    await hand_over(stream, message(app, 0), message(app, 1))
    batches = take_batches(stream, 10, 30)  # a long window: only the stop ends this batch
    waiting = asyncio.ensure_future(anext(batches))
    await asyncio.wait_for(taken_all(stream), 5)  # both records taken: the reader waits for a third
    await stream.channel.throw(StopAsyncIteration())  # what Faust does when the stream stops
    taken = await asyncio.wait_for(waiting, 5)
    assert offsets(taken) == [0, 1]
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(anext(batches), 5)
    assert all(event.message.acked for event in taken)
