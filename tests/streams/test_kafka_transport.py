import asyncio

import pytest

from streams.kafka_transport import DrainingBuffer


class SlowChannel:
    """A channel whose hand-over to the client takes a while, as on a busy event loop."""

    def __init__(self, delay: float) -> None:
        self.delay, self.published = delay, []

    async def publish_message(self, fut, wait: bool = False) -> None:
        await asyncio.sleep(self.delay)
        self.published.append(fut)


class Message:
    def __init__(self, channel) -> None:
        self.channel = channel


class Future:
    def __init__(self, channel) -> None:
        self.message = Message(channel)


@pytest.mark.asyncio
async def test_flush_waits_for_every_buffered_record_even_when_each_takes_longer_than_fausts_patience():
    buffer = DrainingBuffer()
    buffer.app = type("App", (), {"conf": type("Conf", (), {"producer_threaded": False})()})()
    await buffer.start()
    try:
        channel = SlowChannel(delay=0.15)  # Faust's own flush gives up after 0.1 s without a hand-over
        for _ in range(4):
            buffer.put(Future(channel))
        await buffer.flush()
        assert len(channel.published) == 4 and buffer.size == 0
    finally:
        await buffer.stop()
