"""ShopStream settings: the one place that reads the environment.

Every setting is read from a ``SHOPSTREAM_<NAME>`` environment variable (for
example ``SHOPSTREAM_BROKER=kafka://kafka:9092``) and is frozen once loaded.
``get_settings()`` returns the process-wide instance.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_cache_dir() -> Path:
    return Path.home() / ".cache" / "shopstream"


class Settings(BaseSettings):
    """All knobs of a ShopStream worker and its command line, with their defaults."""

    model_config = SettingsConfigDict(env_prefix="SHOPSTREAM_", frozen=True, extra="ignore")

    # --- Kafka and the Faust app -------------------------------------------------
    broker: str = Field(
        "kafka://localhost:9092",
        description="Kafka bootstrap servers as Faust URLs; several are separated by ';'.",
    )
    app_id: str = Field("shopstream", description="Faust app id: consumer group and prefix of changelog topics.")
    partitions: int = Field(4, ge=1, description="Partitions of every topic ShopStream creates.")
    replication_factor: int = Field(1, ge=1, description="Replication factor of every topic ShopStream creates.")
    store: Literal["memory://", "rocksdb://"] = Field(
        "rocksdb://", description="Table store: 'rocksdb://' (local RocksDB via rocksdict) or 'memory://'."
    )
    data_dir: Path = Field(Path(".shopstream/worker"), description="Worker data directory (RocksDB tables).")
    web_host: str = Field("0.0.0.0", description="Interface the worker's HTTP server binds to.")
    web_port: int = Field(6066, ge=1, le=65535, description="Port of the worker's HTTP server.")
    log_level: str = Field("info", description="Log level of `shopstream` commands.")
    library_log_level: str = Field(
        "info", description="Floor for the faust, mode and aiokafka loggers; their per-record debug "
                            "calls cost about a quarter of a worker's throughput when left enabled.",
    )
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

    # --- ingest -------------------------------------------------------------------
    max_event_bytes: int = Field(
        65_536, ge=1024, description="Input messages larger than this go to the dead-letter topic as 'oversized'."
    )
    report_interval_s: float = Field(
        10.0, gt=0, description="Seconds between the worker's progress lines (events/s, state sizes, dead letters)."
    )

    batch_max: int = Field(
        2000, ge=1, description="Most click events an agent takes in one micro-batch (one table write per key)."
    )
    batch_within_s: float = Field(
        0.1, gt=0, description="Longest an agent waits to fill a micro-batch, seconds (adds at most this latency)."
    )

    # --- state bounds ---------------------------------------------------------------
    profile_recent_items: int = Field(50, ge=1, description="Interactions kept per user profile (newest last).")
    profile_recent_queries: int = Field(10, ge=1, description="Search queries kept per user profile.")
    profile_purchased: int = Field(200, ge=1, description="Purchased product ids kept per user profile.")
    profile_categories: int = Field(20, ge=1, description="Categories kept in a user's affinity map.")
    seen_event_ids: int = Field(
        64, ge=1, description="Event ids remembered per table key to drop redelivered events."
    )
    trending_window_s: int = Field(3600, ge=1, description="Size of the hopping trending window (event time), s.")
    trending_step_s: int = Field(300, ge=1, description="Step of the hopping trending window, seconds.")

    # --- roles and inference ---------------------------------------------------------
    role: Literal["all", "state", "inference"] = Field(
        "all", description="What this worker runs: 'state' (validation, tables, HTTP state), 'inference' "
                           "(the model agent, its own consumer group '<app_id>-inference'), or 'all' (both).",
    )
    model_registry: Path = Field(
        Path("models"), description="Model registry directory; the newest recommender version in it is served."
    )
    model_poll_s: float = Field(
        5.0, gt=0, description="Seconds between checks of the registry for a newer model (switched between batches)."
    )
    inference_device: str = Field(
        "auto", description="Torch device of the models: 'auto' (CUDA in bf16 when there is one, else CPU), "
                            "'cpu', 'cuda', 'cuda:1'...",
    )
    inference_batch_max: int = Field(256, ge=1, description="Most inference requests in one model batch.")
    inference_batch_within_s: float = Field(
        0.05, gt=0, description="Longest the inference agent waits to fill a batch, seconds."
    )
    recommendations_k: int = Field(10, ge=1, le=100, description="Products per recommendation list.")
    search_intent: bool = Field(
        True, description="Blend products matching a fresh search into recommendations (loads MiniLM)."
    )
    search_weight: float = Field(
        0.5, ge=0, le=1, description="Weight of the search match in the blend: 0 ignores it, 1 ranks by it alone."
    )

    # --- review intelligence -----------------------------------------------------------
    alert_window_s: int = Field(3600, ge=60, description="Window of the sentiment-alert rule (event time), seconds.")
    alert_min_negative: int = Field(
        5, ge=1, description="Fewest negative mentions of one aspect of one product in the window to alert."
    )
    alert_share_threshold: float = Field(
        0.4, gt=0, le=1, description="Least negative share of those mentions in the window to alert."
    )
    alert_ratio_to_baseline: float = Field(
        2.0, ge=1, description="Least ratio of that share to the product's own (smoothed) 7-day baseline."
    )
    alert_cooldown_s: int = Field(
        21_600, ge=1, description="After an alert resolves, no new one for the same product and aspect this long."
    )
    alert_demotion: float = Field(
        0.5, ge=0, le=1, description="While a product has an active complaint alert, its recommendation score is "
        "multiplied by 1 minus this: 0 turns demotion off, 1 ranks it below every product without one."
    )
    slots_report_s: float = Field(
        30.0, gt=0, description="How often an inference worker reports recommendation slots lost to demotion "
        "(each report updates the alert), seconds."
    )

    # --- marketing copy ----------------------------------------------------------------
    copy_enabled: bool = Field(
        True, description="Write copy for catalog products without a description, or that request it (loads SmolLM2)."
    )
    copy_batch_max: int = Field(8, ge=1, le=64, description="Most products whose copy is generated in one batch.")
    copy_batch_within_s: float = Field(
        1.0, gt=0, description="Longest the copy agent waits to fill a batch, seconds (small next to generation)."
    )
    copy_max_new_tokens: int = Field(120, ge=16, le=512, description="Longest copy, in generated tokens.")
    copy_temperature: float = Field(
        0.3, ge=0, le=2, description="Sampling temperature of the copy (0: greedy; a 135M model drifts off the facts above ~0.5)."
    )
    copy_top_p: float = Field(0.9, gt=0, le=1, description="Nucleus sampling: the smallest set of tokens this likely.")
    copy_seed: int = Field(7, ge=0, description="Sampling seed: the same facts and seed give the same copy.")

    # --- embedded broker and data ----------------------------------------------------
    cache_dir: Path = Field(
        default_factory=_default_cache_dir,
        description="Cache for Kafka jars and datasets (default ~/.cache/shopstream).",
    )

    @field_validator("trending_step_s")
    @classmethod
    def _step_fits_window(cls, step: int, info) -> int:
        window = info.data.get("trending_window_s")
        if window is not None and step > window:
            raise ValueError(f"trending_step_s ({step}) must not exceed trending_window_s ({window})")
        return step

    @property
    def consumer_group(self) -> str:
        """The Faust app id (consumer group) of this worker: inference-only workers get their own."""
        return f"{self.app_id}-inference" if self.role == "inference" else self.app_id

    @property
    def bootstrap_servers(self) -> str:
        """The broker list as plain ``host:port,host:port`` for non-Faust clients."""
        hosts = [url.split("://", 1)[-1] for url in self.broker.split(";")]
        return ",".join(host.strip().rstrip("/") for host in hosts if host.strip())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Load the settings from the environment once per process."""
    return Settings()
