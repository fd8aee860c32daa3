"""Settings of the worker process: its role, local state, HTTP server, logs and input handling."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from streams.settings.base import Section


def _default_cache_dir() -> Path:
    return Path.home() / ".cache" / "shopstream"


class WorkerSettings(Section):
    """What a worker runs, where it keeps its files, what it serves and logs, and how it reads input."""

    role: Literal["all", "state", "inference"] = Field(
        "all", description="What this worker runs: 'state' (validation, tables, HTTP state), 'inference' "
                           "(the model agent, its own consumer group '<app_id>-inference'), or 'all' (both).",
    )
    store: Literal["memory://", "rocksdb://"] = Field(
        "rocksdb://", description="Table store: 'rocksdb://' (local RocksDB via rocksdict) or 'memory://'."
    )
    data_dir: Path = Field(Path(".shopstream/worker"), description="Worker data directory (RocksDB tables).")
    cache_dir: Path = Field(
        default_factory=_default_cache_dir,
        description="Cache for Kafka jars, datasets and converted models (default ~/.cache/shopstream).",
    )
    web_host: str = Field("0.0.0.0", description="Interface the worker's HTTP server binds to.")
    web_port: int = Field(6066, ge=1, le=65535, description="Port of the worker's HTTP server.")
    log_level: str = Field("info", description="Log level of `shopstream` commands.")
    library_log_level: str = Field(
        "info", description="Floor for the faust, mode and aiokafka loggers; their per-record debug "
                            "calls cost about a quarter of a worker's throughput when left enabled.",
    )
    report_interval_s: float = Field(
        10.0, gt=0, description="Seconds between the worker's progress lines (events/s, state sizes, dead letters)."
    )
    max_event_bytes: int = Field(
        65_536, ge=1024, description="Input messages larger than this go to the dead-letter topic as 'oversized'."
    )
    batch_max: int = Field(
        2000, ge=1, description="Most click events an agent takes in one micro-batch (one table write per key)."
    )
    batch_within_s: float = Field(
        0.1, gt=0, description="Longest an agent waits to fill a micro-batch, seconds (adds at most this latency)."
    )
    dashboard_sample_s: float = Field(
        2.0, gt=0, description="Seconds between the dashboard's samples of this worker's metrics (what its page polls)."
    )
    dashboard_samples: int = Field(
        150, ge=2, description="Samples the dashboard's charts keep (150 at 2 s: the last 5 minutes)."
    )
    dashboard_scan_limit: int = Field(
        20_000, ge=1, description="Most keys of one table the dashboard reads per sample (trending, alerts, coverage)."
    )
