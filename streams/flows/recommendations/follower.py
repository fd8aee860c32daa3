"""Follow ``shop.catalog``, the product-stats changelog and the alerts into views, like a GlobalKTable.

The catalog and the changelog go into a ``CatalogView``; ``shop.sentiment-alerts``, when given,
into a ``ComplaintView`` (which products ranking demotes); the erasure-guards changelog, when
given, into ``guards`` (digests of erased users: their queued requests are dropped).

Every inference worker reads all partitions of both topics from the beginning, with no consumer
group and no commits: the view is rebuilt from Kafka on each start and kept current after that.
A topic that does not exist yet (the changelog before the stateful worker first ran) is looked
for again every few seconds and followed from its beginning once it appears.
"""

from __future__ import annotations

import asyncio
import logging
import time

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from mode import Service

from schemas.alerts import AlertStatus
from streams.flows.profiles.erasure import apply_guard_record
from streams.flows.recommendations.catalog_view import CatalogView
from streams.flows.reviews.complaints import ComplaintView
from streams.kafka_clients import client_kwargs
from streams.settings import get_settings

log = logging.getLogger("shopstream.catalog")


#: Records applied per poll: a long catch-up is applied in slices, so the event loop stays responsive.
RECORDS_PER_POLL = 1000


class CatalogFollower(Service):
    """Applies every catalog and product-stats record to ``view`` (and alert to ``complaints``);
    ``ready`` once caught up."""

    def __init__(self, view: CatalogView, bootstrap: str, catalog_topic: str, stats_topic: str,
                 alerts_topic: str | None = None, complaints: ComplaintView | None = None,
                 poll_timeout_ms: int = 500, discover_interval_s: float = 3.0, guards_topic: str | None = None,
                 guards: dict | None = None, **kwargs) -> None:
        """``bootstrap``: ``host:port[,host:port]`` (no ``kafka://``); ``alerts_topic`` and
        ``complaints``: follow the sentiment alerts too (both or neither); ``guards_topic`` and
        ``guards``: follow the erasure guards' changelog into ``guards`` (both or neither); ``poll_timeout_ms``:
        longest wait for new records per poll; ``discover_interval_s``: seconds between looks for a
        missing topic."""
        super().__init__(**kwargs)
        if (alerts_topic is None) != (complaints is None):
            raise ValueError("give both alerts_topic and complaints, or neither")
        if (guards_topic is None) != (guards is None):
            raise ValueError("give both guards_topic and guards, or neither")
        self.guards_topic, self.guards = guards_topic, guards
        self.view = view
        self.complaints = complaints
        self.bootstrap = bootstrap
        self.catalog_topic, self.stats_topic, self.alerts_topic = catalog_topic, stats_topic, alerts_topic
        self.poll_timeout_ms = poll_timeout_ms
        self.discover_interval_s = discover_interval_s
        #: Set once every partition has reached the end offset it had when following started.
        self.ready = asyncio.Event()
        self._missing = ({catalog_topic, stats_topic} | ({alerts_topic} if alerts_topic else set())
                         | ({guards_topic} if guards_topic else set()))
        self._catch_up: dict[TopicPartition, int] = {}  # partition -> end offset still to reach
        self._unapplied_catalog = 0
        self._consumer: AIOKafkaConsumer | None = None
        self._admin: AIOKafkaAdminClient | None = None

    async def on_start(self) -> None:
        """Connect to the broker (the follow task then assigns and reads)."""
        access = client_kwargs(get_settings(), self.bootstrap)
        self._consumer = AIOKafkaConsumer(**access, group_id=None, enable_auto_commit=False,
                                          auto_offset_reset="earliest")
        self._admin = AIOKafkaAdminClient(**access)
        await self._consumer.start()
        await self._admin.start()
        log.info("Following %s from the beginning at %s.", ", ".join(sorted(self._missing)), self.bootstrap)

    async def on_shutdown(self) -> None:
        """Close the clients once the follow task has stopped."""
        if self._consumer is not None:
            await self._consumer.stop()
        if self._admin is not None:
            await self._admin.close()

    async def wait_ready(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for ``ready``; returns whether it is set."""
        try:
            await asyncio.wait_for(self.ready.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True

    @Service.task
    async def _follow(self) -> None:
        while not await self._discover():
            await self.sleep(self.discover_interval_s)
        if self._missing:
            log.info("No topic %s yet: ready without it; looking for it every %ss.", ", ".join(sorted(self._missing)),
                     self.discover_interval_s)
        self._catch_up = await self._consumer.end_offsets(list(self._consumer.assignment()))
        await self._check_caught_up()
        next_look = time.monotonic() + self.discover_interval_s
        while not self.should_stop:
            if self._missing and time.monotonic() >= next_look:
                await self._discover()
                next_look = time.monotonic() + self.discover_interval_s
            if not self._consumer.assignment():
                await self.sleep(self.discover_interval_s)
                continue
            batches = await self._consumer.getmany(timeout_ms=self.poll_timeout_ms, max_records=RECORDS_PER_POLL)
            for records in batches.values():
                for record in records:
                    self._apply(record)
            if not self.ready.is_set():
                await self._check_caught_up()

    async def _discover(self) -> bool:
        """Assign every partition of the followed topics that exist now; new ones start at the beginning.

        Returns False when the topics could not be listed (it is logged; try again later).

        Existence is read from the metadata of all topics: naming a missing topic in a metadata
        request would let a broker with ``auto.create.topics.enable`` create it wrongly sized.
        """
        try:
            found = {topic["topic"]: [TopicPartition(topic["topic"], p["partition"]) for p in topic["partitions"]]
                     for topic in await self._admin.describe_topics()
                     if topic["topic"] in self._missing and topic["partitions"]}
        except KafkaError as exc:
            log.warning("Could not list topics (%r); will look again in %ss.", exc, self.discover_interval_s)
            return False
        if not found:
            return True
        current = self._consumer.assignment()
        positions = {tp: await self._consumer.position(tp) for tp in current}
        new = [tp for partitions in found.values() for tp in partitions]
        self._consumer.assign([*current, *new])  # replaces the assignment: restore where we were
        for tp, offset in positions.items():
            self._consumer.seek(tp, offset)
        await self._consumer.seek_to_beginning(*new)
        self._missing -= found.keys()
        log.info("Following %s (%d partitions).", ", ".join(sorted(found)), len(new))
        return True

    def _apply(self, record: ConsumerRecord) -> None:
        if record.topic == self.guards_topic:
            try:
                apply_guard_record(self.guards, record.key, record.value)
            except ValueError as exc:  # orjson's decode error is a ValueError
                log.warning("Skipped erasure-guard record %s[%d]@%d: %s", record.topic, record.partition,
                            record.offset, exc)
            return
        if record.topic == self.alerts_topic:
            alert = self.complaints.apply_alert(record.value)
            if alert is None:
                log.warning("Skipped an invalid alert at %s[%d]@%d.", record.topic, record.partition, record.offset)
            elif alert.status is not AlertStatus.UPDATED:
                log.info("%s recommendations of %s: alert %s on %s %s.", "Demoting" if alert.status is
                         AlertStatus.RAISED else "No longer demoting", alert.product_id, alert.alert_id,
                         alert.aspect, alert.status.value)
            return
        if record.topic == self.catalog_topic:
            if not self.view.apply_catalog(record.key, record.value):
                self._unapplied_catalog += 1  # invalid (dead-lettered by the stateful worker) or stale
            return
        try:
            self.view.apply_stats(record.key, record.value)
        except ValueError as exc:
            log.warning("Skipped product-stats record %s[%d]@%d: %s", record.topic, record.partition,
                        record.offset, exc)

    async def _check_caught_up(self) -> None:
        for tp, end in list(self._catch_up.items()):
            if await self._consumer.position(tp) >= end:
                del self._catch_up[tp]
        if not self._catch_up:
            self.ready.set()
            log.info("Caught up: %d catalog products, %d with stats (%d catalog records invalid or stale)%s.",
                     len(self.view), self.view.stats_count, self._unapplied_catalog,
                     f", {len(self.complaints)} with active alerts" if self.complaints is not None else "")
