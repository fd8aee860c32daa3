"""The Faust worker's Kafka consumer, with a fetch long-poll that ShopStream sets.

Faust's aiokafka driver builds its consumer with ``fetch_max_wait_ms=1500`` hard-coded: a fetch
that finds less than the minimum bytes waits up to 1.5 s for more. While a worker restores a
table it reads the changelog to its end and asks again, so each step of a recovery or a small
catch-up waited up to 1.5 s: after a kill -9, the restart took seconds longer than the session
timeout alone. ``SHOPSTREAM_FETCH_MAX_WAIT_S`` (default 0.1 s) bounds that wait; an idle worker
then sends a few more empty fetches, each a few bytes.
"""

from __future__ import annotations

from faust.transport.drivers import aiokafka as faust_aiokafka


def consumer_transport(fetch_max_wait_s: float) -> type[faust_aiokafka.Transport]:
    """Faust's aiokafka transport whose worker consumer long-polls at most ``fetch_max_wait_s`` per fetch."""

    class ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport):
            consumer = super()._create_worker_consumer(transport)
            consumer._fetch_max_wait_ms = int(fetch_max_wait_s * 1000)  # read by its fetcher at start()
            return consumer

    class Consumer(faust_aiokafka.Consumer):
        def _new_consumer_thread(self):
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    class Transport(faust_aiokafka.Transport):
        pass

    Transport.Consumer = Consumer
    return Transport
