"""Settings of the worker process: its role, local state, logs, dashboard and input handling."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field

from streams.settings.base import Section


def _default_cache_dir() -> Path:
    return Path.home() / ".cache" / "shopstream"


class WorkerSettings(Section):
    """What a worker runs, where it keeps its files, what it logs, and how it reads input."""

    title: ClassVar[str] = "Worker"

    role: Literal["all", "state", "inference"] = Field(
        "all", description="What this worker runs: `state` (validation, tables, state over HTTP), `inference` (the "
        "model agent, in its own consumer group `<app_id>-inference`, no tables), or `all` (both, "
        "the embedded default).",
    )
    event_loop: Literal["uvloop", "asyncio"] = Field(
        "asyncio", description="The worker's event loop: `asyncio` (the standard library's) or `uvloop` (libuv). "
        "Since the drain loop stopped making tasks per record, uvloop no longer lowers the state worker's CPU per "
        "event (docs/benchmarks.md), so asyncio stays the default. Chosen when `streams.app` is imported, before "
        "Faust makes its loop."
    )
    store: Literal["memory://", "rocksdb://"] = Field(
        "rocksdb://", description="Table store: `rocksdb://` (local RocksDB via rocksdict) or `memory://` (rebuilt from the "
        "changelogs at every start)."
    )
    data_dir: Path = Field(
        Path(".shopstream/worker"), description="Worker data directory (RocksDB tables), relative to the working directory."
    )
    cache_dir: Path = Field(
        default_factory=_default_cache_dir,
        description="Cache for the Kafka jars, the datasets and converted models.",
    )
    log_level: str = Field("info", description="Log level of `shopstream` commands (the worker's is its `-l` option).")
    library_log_level: str = Field(
        "info", description="Floor for the `faust`, `mode` and `aiokafka` loggers. Their per-record debug calls cost "
        "about a quarter of a worker's throughput when enabled; set `debug` only to debug them.",
    )
    report_interval_s: float = Field(
        10.0, gt=0, description="Seconds between the worker's progress lines (events/s, state sizes, dead letters)."
    )
    max_event_bytes: int = Field(
        65_536, ge=1024, description="Input messages larger than this go to the dead-letter topic as `oversized`."
    )
    shutdown_timeout_s: float = Field(
        10.0, gt=0, description="Longest a worker takes to stop after SIGTERM or Ctrl-C, seconds. Faust commits what "
        "was done first; if it is still stopping then (a stream waiting on a batch), the process exits anyway and logs "
        "it: what was not committed is read again at the next start and applied once (see docs/reliability.md)."
    )
    dead_letter_lookback: int = Field(
        10_000, ge=1, description="Newest records per partition of the dead-letter topic a worker reads after a "
        "partition assignment, to know which refused records were dead-lettered before (one dead letter per record, "
        "even when Kafka delivers it again). Must cover the dead letters of one commit interval."
    )
    batch_max: int = Field(
        2000, ge=1, description="Most click events an agent takes in one micro-batch; a batch writes each user's profile "
        "and each product's stats once."
    )
    batch_within_s: float = Field(
        0.1, gt=0, description="Longest an agent waits to fill a micro-batch, seconds: it adds at most this much latency "
        "to a click, and larger values raise throughput."
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
