"""Settings of the connection to Kafka and of the Faust app's clients."""

from __future__ import annotations

from pydantic import Field

from streams.settings.base import Section


class KafkaSettings(Section):
    """Where Kafka is, how ShopStream names and sizes its topics, how its clients batch and commit."""

    broker: str = Field(
        "kafka://localhost:9092",
        description="Kafka bootstrap servers as Faust URLs; several are separated by ';'.",
    )
    app_id: str = Field("shopstream", description="Faust app id: consumer group and prefix of changelog topics.")
    partitions: int = Field(4, ge=1, description="Partitions of every topic ShopStream creates.")
    replication_factor: int = Field(1, ge=1, description="Replication factor of every topic ShopStream creates.")
    producer_linger_s: float = Field(
        0.02, ge=0, description="Seconds the producer waits to batch changelog and output records."
    )
    producer_max_batch_bytes: int = Field(
        1_048_576, ge=16_384,
        description="Largest producer batch per partition; table values are KBs, so the 16 KiB client "
                    "default would hold a changelog partition to a round trip every few records.",
    )
    commit_interval_s: float = Field(
        2.8, gt=0, description="Seconds between offset commits; after a crash, records since the last commit are redelivered."
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
