import asyncio

import pytest
from mode import Service
from mode.utils.locks import Event

from streams.drain_loop import Resumed, hand_over, step_once


async def wait_for(future: asyncio.Future, log: list):
    try:
        return await future
    except asyncio.CancelledError:
        log.append("cancelled")
        raise
    except ValueError as exc:
        log.append(f"raised {exc}")
        return "handled"


@pytest.mark.asyncio
async def test_a_coroutine_that_never_waits_finishes_in_its_first_step():
    done = []

    async def put(value):
        done.append(value)

    assert step_once(put(1)) == (True, None) and done == [1]


async def suspended_rest() -> tuple[asyncio.Future, list, asyncio.Future]:
    """(the future waited for, the coroutine's log, a task running the rest of the coroutine): stepped once
    by hand, suspended on the future, its rest started in a task."""
    future, log = asyncio.get_running_loop().create_future(), []
    coro = wait_for(future, log)
    finished, waiting = step_once(coro)
    assert not finished and waiting is future
    rest = asyncio.ensure_future(Resumed(coro, waiting))
    await asyncio.sleep(0)
    return future, log, rest


@pytest.mark.asyncio
async def test_the_rest_of_a_suspended_coroutine_gets_the_result_it_waited_for():
    future, log, rest = await suspended_rest()
    future.set_result("answer")
    assert await asyncio.wait_for(rest, 5) == "answer" and log == []


@pytest.mark.asyncio
async def test_the_rest_of_a_suspended_coroutine_gets_the_error_it_waited_for():
    future, log, rest = await suspended_rest()
    future.set_exception(ValueError("bad"))
    assert await asyncio.wait_for(rest, 5) == "handled" and log == ["raised bad"]


@pytest.mark.asyncio
async def test_cancelling_the_rest_cancels_the_coroutine_inside():
    future, log, rest = await suspended_rest()
    rest.cancel()
    with pytest.raises(asyncio.CancelledError):
        await rest
    assert log == ["cancelled"]


class Buffer:
    def __init__(self, size: int, max_messages: int) -> None:
        self.size, self.max_messages = size, max_messages


TP = ("shop.clicks", 0)


class Message:
    def __init__(self, value) -> None:
        self.value, self.tp, self.topic = value, TP, TP[0]


class Consumer(Service):
    """The parts of Faust's consumer ``hand_over`` uses, with mode's real ``wait_first``; the callback puts
    each message on its partition's queue as Faust's conductor does: into a full queue, by a put in a task
    of its own."""

    holds_streams = False

    def __init__(self, queue: asyncio.Queue, buffered: int = 0) -> None:
        super().__init__()
        self.queue, self.suspend_flow = queue, Event()
        self.app = type("App", (), {})()
        self.app.producer = type("Producer", (), {"buffer": Buffer(buffered, 100)})()
        channel = type("Channel", (), {"queue": queue})()
        self.app.topics = type("Conductor", (), {"_tp_index": {TP: {channel}},
                                                  "acks_enabled_for": staticmethod(lambda topic: True)})()

    async def callback(self, message) -> None:
        if self.queue.full():
            await asyncio.wait([asyncio.ensure_future(self.queue.put(message.value))])
        else:
            self.queue.put_nowait(message.value)


def counting_tasks() -> list:
    """Record every task the running loop creates from now on."""
    created, loop = [], asyncio.get_running_loop()

    def factory(loop, coro, **kwargs):
        task = asyncio.Task(coro, loop=loop, **kwargs)
        created.append(task)
        return task

    loop.set_task_factory(factory)
    return created


@pytest.mark.asyncio
async def test_a_hand_over_that_does_not_wait_creates_no_task():
    consumer = Consumer(asyncio.Queue())
    created = counting_tasks()
    try:
        for value in range(50):
            await hand_over(consumer, Message(value))
    finally:
        asyncio.get_running_loop().set_task_factory(None)
    assert consumer.queue.qsize() == 50 and created == []


@pytest.mark.asyncio
async def test_a_hand_over_that_waits_for_a_full_queue_finishes_once_there_is_room():
    consumer = Consumer(asyncio.Queue(maxsize=1))
    await hand_over(consumer, Message("first"))
    second = asyncio.ensure_future(hand_over(consumer, Message("second")))
    await asyncio.sleep(0.05)
    assert not second.done()
    assert consumer.queue.get_nowait() == "first"
    await asyncio.wait_for(second, 5)
    assert consumer.queue.get_nowait() == "second"


@pytest.mark.asyncio
async def test_a_record_cut_short_by_a_rebalance_never_reaches_its_agent_later():
    consumer = Consumer(asyncio.Queue(maxsize=1))
    await hand_over(consumer, Message("first"))
    second = asyncio.ensure_future(hand_over(consumer, Message("second")))
    await asyncio.sleep(0.05)
    consumer.suspend_flow.set()
    await asyncio.wait_for(second, 5)
    assert consumer.queue.get_nowait() == "first"
    await asyncio.sleep(0.05)  # a put left behind in a task of its own would deliver "second" now
    assert consumer.queue.empty()  # the seek reads "second" again, in order


@pytest.mark.asyncio
@pytest.mark.parametrize("suspended, buffered", [(True, 0), (False, 101)])
async def test_a_stopped_flow_or_a_full_producer_buffer_takes_fausts_path(suspended, buffered):
    consumer = Consumer(asyncio.Queue(), buffered=buffered)
    if suspended:
        consumer.suspend_flow.set()
    created = counting_tasks()
    try:
        await hand_over(consumer, Message("message"))
    finally:
        asyncio.get_running_loop().set_task_factory(None)
    assert created  # wait_first's tasks


@pytest.mark.asyncio
async def test_an_input_record_held_back_after_the_seek_is_handed_over_once_the_flow_resumes():
    consumer = Consumer(asyncio.Queue())
    consumer.holds_streams = True  # sought to the committed offsets; Faust empties the queues before it resumes
    held = asyncio.ensure_future(hand_over(consumer, Message("first after the seek")))
    await asyncio.sleep(0.05)
    assert consumer.queue.empty() and not held.done()
    consumer.holds_streams = False  # resume_flow
    await asyncio.wait_for(held, 5)
    assert consumer.queue.get_nowait() == "first after the seek"


@pytest.mark.asyncio
async def test_an_input_record_held_back_is_dropped_when_a_rebalance_starts_meanwhile():
    consumer = Consumer(asyncio.Queue())
    consumer.holds_streams = True
    held = asyncio.ensure_future(hand_over(consumer, Message("record")))
    await asyncio.sleep(0.05)
    consumer.suspend_flow.set()
    await asyncio.wait_for(held, 5)
    assert consumer.queue.empty()
