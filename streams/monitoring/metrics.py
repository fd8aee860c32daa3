"""Every Prometheus metric of a worker, declared once, and ``GET /metrics`` renders them.

Names follow Prometheus conventions (``shopstream_`` prefix, ``_total`` counters, base units).
What each worker exports depends on its role: a state worker counts input events, dead letters
and table sizes; an inference worker times batches and models. Both export consumer lag and the
process's own CPU and memory (prometheus-client's default collectors).

The module holds no Faust app: the agents call ``record_*`` functions, and ``streams/monitoring/health.py``
serves the text. The dashboard reads the same values (``streams/monitoring/dashboard/``).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.registry import Collector

#: Latency buckets in seconds, from a fast batch (a few ms) to a slow CPU generation (minutes).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 180.0)
#: Batch-size buckets (events or requests per batch).
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
#: How many recent recommendation latencies the dashboard's p50/p99 are computed over.
RECENT_LATENCIES = 2000

EVENTS_RECEIVED = Counter(
    "shopstream_events_received", "Messages read from each input topic, valid or not.", ["topic"])
EVENTS_APPLIED = Counter(
    "shopstream_events_applied", "Events applied to state, by the source they came from.", ["source"])
DUPLICATES = Counter(
    "shopstream_duplicate_events", "Events skipped because their event_id was applied before.", ["source"])
DEAD_LETTERS = Counter(
    "shopstream_dead_letters", "Messages sent to shop.dead-letters, by input topic and reason.", ["topic", "reason"])
PROCESSING_SECONDS = Histogram(
    "shopstream_processing_seconds", "Time an agent spent handling one batch (or one event).", ["agent"],
    buckets=LATENCY_BUCKETS)
BATCH_SIZE = Histogram(
    "shopstream_batch_size", "Events or requests per batch an agent handled.", ["agent"], buckets=BATCH_BUCKETS)
INFERENCE_SECONDS = Histogram(
    "shopstream_inference_seconds", "Time one model call took, batch included, by model.", ["model"],
    buckets=LATENCY_BUCKETS)
RECOMMENDATION_LATENCY = Histogram(
    "shopstream_recommendation_latency_seconds",
    "From a recommendation request's Kafka timestamp to its list being handed to the producer.",
    buckets=LATENCY_BUCKETS)
RESULTS = Counter("shopstream_results", "Records written to each output topic.", ["topic"])
MODEL_INFO = Gauge("shopstream_model_info", "1 for each model version this worker serves.", ["model", "version"])

_recent_latencies: deque[float] = deque(maxlen=RECENT_LATENCIES)
_serving: dict[str, str] = {}  # model -> the version MODEL_INFO holds for it
# (metric, label values) -> its child. ``.labels(...)`` validates and locks on every call, which the
# agents paid several times per batch; the values are bounded (topics, sources, agents, reasons, models).
# MODEL_INFO is not cached: its children are removed when a version changes.
_children: dict[tuple[MetricWrapperBase, tuple[str, ...]], MetricWrapperBase] = {}


def child(metric: MetricWrapperBase, *values: str) -> MetricWrapperBase:
    """``metric.labels(*values)`` (values in the metric's label order), made once per label tuple."""
    found = _children.get((metric, values))
    if found is None:
        found = _children[(metric, values)] = metric.labels(*values)
    return found


def record_received(topic: str, count: int = 1) -> None:
    """Count ``count`` messages read from input ``topic``."""
    child(EVENTS_RECEIVED, topic).inc(count)


def record_applied(source: str, applied: int, duplicates: int) -> None:
    """Count events applied to state and duplicates skipped, from ``source``."""
    if applied:
        child(EVENTS_APPLIED, source).inc(applied)
    if duplicates:
        child(DUPLICATES, source).inc(duplicates)


def record_dead_letter(topic: str, reason: str) -> None:
    """Count one message of ``topic`` dead-lettered for ``reason`` (the rejection's error type)."""
    child(DEAD_LETTERS, topic, reason).inc()


def record_batch(agent: str, size: int, seconds: float) -> None:
    """Record one batch of ``size`` handled by ``agent`` in ``seconds``."""
    child(BATCH_SIZE, agent).observe(size)
    child(PROCESSING_SECONDS, agent).observe(seconds)


def record_inference(model: str, seconds: float) -> None:
    """Record one model call of ``model`` that took ``seconds``."""
    child(INFERENCE_SECONDS, model).observe(seconds)


def record_result(topic: str, count: int = 1) -> None:
    """Count ``count`` records written to output ``topic``."""
    if count:
        child(RESULTS, topic).inc(count)


def record_recommendation_latencies(seconds: Iterable[float]) -> None:
    """Record the request-to-list latency of each list of a batch."""
    for value in seconds:
        RECOMMENDATION_LATENCY.observe(value)
        _recent_latencies.append(value)


def recent_recommendation_latencies() -> list[float]:
    """The latest ``RECENT_LATENCIES`` request-to-list latencies, oldest first (seconds)."""
    return list(_recent_latencies)


def set_model_version(model: str, version: str | None) -> None:
    """Mark ``version`` as the one ``model`` serves now (and clear the version it served before).

    Called after every batch; only a change touches the gauge.
    """
    if _serving.get(model) == version:
        return
    previous = _serving.pop(model, None)
    if previous is not None:
        MODEL_INFO.remove(model, previous)
    if version:
        MODEL_INFO.labels(model=model, version=version).set(1)
        _serving[model] = version


def model_versions() -> dict[str, str]:
    """``{model: version}`` this worker serves now."""
    return dict(_serving)


def counter_totals(counter: Counter, label: str) -> dict[str, float]:
    """``{label value: total}`` of a labelled counter, summed over its other labels."""
    totals: dict[str, float] = {}
    for metric in counter.collect():
        for sample in metric.samples:
            if sample.name.endswith("_total"):
                key = sample.labels[label]
                totals[key] = totals.get(key, 0.0) + sample.value
    return totals


def since(started: float) -> float:
    """Seconds from a ``time.perf_counter()`` reading to now."""
    return time.perf_counter() - started


class GaugesAtScrape(Collector):
    """A gauge family whose values are read when Prometheus scrapes (table sizes, consumer lag)."""

    def __init__(self, name: str, documentation: str, labels: list[str],
                 read: Callable[[], Mapping[tuple[str, ...], float]]) -> None:
        self.name, self.documentation, self.labels, self.read = name, documentation, labels, read

    def describe(self):
        """The family without samples: registering must not read values that do not exist yet."""
        yield GaugeMetricFamily(self.name, self.documentation, labels=self.labels)

    def collect(self):
        """The family with the values ``read()`` returns now."""
        family = GaugeMetricFamily(self.name, self.documentation, labels=self.labels)
        for labels, value in self.read().items():
            family.add_metric(list(labels), value)
        yield family


def register_at_scrape(name: str, documentation: str, labels: list[str],
                       read: Callable[[], Mapping[tuple[str, ...], float]]) -> None:
    """Export gauge ``name`` whose values ``read()`` returns at each scrape (once per process)."""
    if name not in REGISTRY._names_to_collectors:  # a module re-imported in tests registers once
        REGISTRY.register(GaugesAtScrape(name, documentation, labels, read))


def exposition() -> tuple[bytes, str]:
    """The Prometheus text exposition of every metric, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
