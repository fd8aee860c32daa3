"""In-process counters of what the ingest agents did, for the worker's progress lines."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from streams.monitoring.dashboard.data import percentile


@dataclass
class IngestCounters:
    """Accepted, duplicate and dead-lettered events since start, and rates between reports."""

    accepted: Counter = field(default_factory=Counter)
    duplicates: Counter = field(default_factory=Counter)
    dead_letters: Counter = field(default_factory=Counter)
    _last_total: int = 0
    _last_time: float = field(default_factory=time.monotonic)

    def total(self) -> int:
        """Every input event seen: accepted, duplicate or dead-lettered."""
        return sum(self.accepted.values()) + sum(self.duplicates.values()) + sum(self.dead_letters.values())

    def rate_since_last_call(self) -> float:
        """Events per second since the previous call (or since start)."""
        now, total = time.monotonic(), self.total()
        elapsed = max(now - self._last_time, 1e-9)
        rate = (total - self._last_total) / elapsed
        self._last_total, self._last_time = total, now
        return rate


@dataclass
class InferenceCounters:
    """Requests and batches the inference agent served, for its progress lines."""

    requests: int = 0
    batches: int = 0
    model_version: str = "-"
    reviews: int = 0
    sentiment_version: str | None = None
    unscored: dict = field(default_factory=dict)
    dropped_for_erasure: int = 0  # recommendation requests dropped: caused before their user's erasure
    _last: tuple[int, int, float] = field(default_factory=lambda: (0, 0, time.monotonic()))

    def batch_done(self, size: int, model_version: str) -> None:
        """Count one served batch of ``size`` requests."""
        self.requests += size
        self.batches += 1
        self.model_version = model_version

    def reviews_done(self, size: int, sentiment_version: str | None, unscored: dict[str, int]) -> None:
        """Count ``size`` review-scoring requests handled, and the running counts of reviews left unscored."""
        self.reviews += size
        self.sentiment_version = sentiment_version
        self.unscored = dict(unscored)

    def report(self, latencies: list[float] | None = None) -> str:
        """One progress line: requests/s and mean batch size since the last report, totals, the models, and
        the p50/p99 of ``latencies`` (seconds from request to list, of the newest lists) when given."""
        now = time.monotonic()
        last_requests, last_batches, last_time = self._last
        requests, batches = self.requests - last_requests, self.batches - last_batches
        self._last = (self.requests, self.batches, now)
        rate = requests / max(now - last_time, 1e-9)
        mean = requests / batches if batches else 0.0
        unscored = ", ".join(f"{count} {why}" for why, count in sorted(self.unscored.items()))
        latency = (f" | list latency p50 {percentile(latencies, 50) * 1e3:,.0f} ms p99 "
                   f"{percentile(latencies, 99) * 1e3:,.0f} ms (newest {len(latencies):,})" if latencies else "")
        return (f"inference: {rate:,.0f} requests/s | mean batch {mean:.1f} | {self.requests} requests in "
                f"{self.batches} batches since start{latency} | model {self.model_version} | reviews {self.reviews} "
                f"(sentiment {self.sentiment_version or 'none'}{'; not scored: ' + unscored if unscored else ''})")
