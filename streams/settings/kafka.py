"""Settings of the connection to Kafka and of the Faust app's clients."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from streams.settings.base import Section


class KafkaSettings(Section):
    """Where Kafka is, how ShopStream names and sizes its topics, how its clients batch and commit."""

    title: ClassVar[str] = "Kafka"

    broker: str = Field(
        "kafka://localhost:9092",
        description="Kafka bootstrap servers as Faust URLs; several are separated by `;`.",
    )
    app_id: str = Field("shopstream", description="Faust app id: the consumer group (inference-only workers use `<app_id>-inference`), and "
        "the prefix of the changelog topics and of the internal `<app_id>-product-interactions` and "
        "`<app_id>-inference-requests` topics."
    )
    partitions: int = Field(4, ge=1, description="Partitions of every topic ShopStream creates (inputs, outputs, changelogs, internal).")
    replication_factor: int = Field(1, ge=1, description="Replication factor of every topic ShopStream creates.")
    producer_linger_s: float = Field(
        0.02, ge=0, description="Seconds the producer waits to batch changelog and output records."
    )
    producer_max_batch_bytes: int = Field(
        1_048_576, ge=16_384,
        description="Largest producer batch per partition, in bytes (at least 16384; the client default of 16 "
        "KiB would send a changelog batch every few table values).",
    )
    commit_interval_s: float = Field(
        2.8, gt=0, description="Seconds between offset commits; after a crash, roughly the last this-many seconds of "
        "events are delivered again."
    )
    instance_id: str | None = Field(
        None, description="Static group membership (Kafka's `group.instance.id`), one distinct id per worker (e.g. the "
        "pod or host name): a worker restarted with the same id, even after kill -9, takes its partitions back at "
        "once instead of waiting `SHOPSTREAM_SESSION_TIMEOUT_S` for the group to give up on its old session. The "
        "trade-off: a static worker that is gone for good keeps its partitions idle for that long. Experimental: before a fix of "
        "2026-12-06, static members left records unapplied after kill -9 in some chaos runs; exact in one run since "
        "(see docs/reliability.md). Empty: dynamic membership."
    )
    session_timeout_s: float = Field(
        6.0, gt=0, description="Seconds without a heartbeat before the group reassigns a worker's partitions (after "
        "a crash, or a static worker that does not come back): a worker restarted after kill -9 waits this long "
        "for its old session to expire before it gets work again. Heartbeats come from the consumer's own thread, "
        "so a busy event loop does not miss them; raise it where the network to Kafka pauses for seconds (a "
        "worker evicted by a pause rejoins, and its partitions move twice)."
    )
    fetch_max_wait_s: float = Field(
        0.1, gt=0, le=5, description="Longest wait of one consumer fetch for new records (Kafka's "
        "`fetch.max.wait.ms`; Faust hard-codes 1.5 s). Each step of a table recovery after a restart waited that "
        "long; shorter gets a restarted worker back to work sooner, at the cost of a few more empty fetches."
    )
    metadata_max_age_s: float = Field(
        15.0, gt=0, description="Seconds between the consumer's metadata refreshes. Faust creates internal topics just "
        "before it subscribes; a topic the broker's metadata does not show yet is assigned only after the next refresh "
        "(5 minutes with the client's default), so a short refresh bounds that stall.",
    )

    @property
    def bootstrap_servers(self) -> str:
        """The broker list as plain ``host:port,host:port`` for non-Faust clients."""
        hosts = [url.split("://", 1)[-1] for url in self.broker.split(";")]
        return ",".join(host.strip().rstrip("/") for host in hosts if host.strip())
