"""The dashboard's time series: samples of this process's metrics in a ring buffer, and the series drawn from them.

A sampler (``streams/monitoring/dashboard/views.py``) adds one ``Sample`` every few seconds, so the page has
minutes of history the moment it opens. Counters are kept as totals; rates come from consecutive
totals (``rates``), so a missed or late sample widens one step instead of losing events.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from streams.monitoring.dashboard.data import percentile


@dataclass(frozen=True)
class Sample:
    """This process's metrics at Unix time ``at``."""

    at: float
    received: Mapping[str, float]  # input topic -> messages read since the process started
    lag: Mapping[str, float]  # topic label (see ``lag_label``) -> messages not yet read, on this worker
    dead_letters: Mapping[str, float]  # reason -> messages dead-lettered since the process started
    p50_ms: float | None  # recommendation latency percentiles over the recent lists; None before any
    p99_ms: float | None


class History:
    """The newest ``size`` samples, oldest first."""

    def __init__(self, size: int) -> None:
        if size < 2:
            raise ValueError(f"a history of {size} sample(s) has no rate; keep at least 2")
        self._samples: deque[Sample] = deque(maxlen=size)

    def add(self, sample: Sample) -> None:
        """Keep ``sample``, dropping the oldest once full."""
        self._samples.append(sample)

    def samples(self) -> list[Sample]:
        """The kept samples, oldest first."""
        return list(self._samples)


def lag_label(topic: str, app_id: str) -> str | None:
    """The lag chart's name for ``topic``: the app's own topics without the ``<app_id>-`` prefix; None
    for a table changelog, which the worker writes itself and reads only to recover, so the gap
    between its end and the last record read after recovery is not work waiting."""
    if topic.endswith("-changelog"):
        return None
    return topic.removeprefix(f"{app_id}-")


def take_sample(at: float, received: Mapping[str, float], partition_lag: Mapping[tuple[str, str], float],
                dead_letters: Mapping[str, float], latencies_s: list[float], inputs: Collection[str],
                app_id: str) -> Sample:
    """One sample from metric readings: messages read from the ``inputs`` topics, lag summed per
    ``lag_label`` (changelogs left out), dead letters per reason, and latency percentiles in milliseconds."""
    lag: dict[str, float] = {}
    for (topic, _partition), behind in partition_lag.items():
        label = lag_label(topic, app_id)
        if label is not None:
            lag[label] = lag.get(label, 0.0) + behind
    p50, p99 = percentile(latencies_s, 50), percentile(latencies_s, 99)
    return Sample(at=at, received={topic: total for topic, total in received.items() if topic in inputs},
                  lag=lag, dead_letters=dict(dead_letters),
                  p50_ms=None if p50 is None else round(p50 * 1000, 3),
                  p99_ms=None if p99 is None else round(p99 * 1000, 3))


def rates(times: list[float], totals: list[Mapping[str, float]]) -> dict[str, list[float | None]]:
    """Per key, the rate between each total and the one before (per second); None for the first point.

    A key missing from a total counts as 0 (a labelled counter appears at its first increment); a
    step whose time does not advance, or whose total went down, has no rate (None).
    """
    keys = sorted({key for total in totals for key in total})
    series: dict[str, list[float | None]] = {key: [None] if totals else [] for key in keys}
    for before, after, t0, t1 in zip(totals, totals[1:], times, times[1:]):
        for key in keys:
            grown = after.get(key, 0.0) - before.get(key, 0.0)
            series[key].append(round(grown / (t1 - t0), 3) if t1 > t0 and grown >= 0 else None)
    return series


def by_key(readings: Iterable[Mapping[str, float]], missing: float | None) -> dict[str, list[float | None]]:
    """Per key, its value in each reading, ``missing`` where a reading lacks the key."""
    readings = list(readings)
    keys = sorted({key for reading in readings for key in reading})
    return {key: [reading.get(key, missing) for reading in readings] for key in keys}


def series(samples: list[Sample]) -> dict[str, Any]:
    """Every chart's series on one time axis (Unix seconds): events/s per input topic, lag per topic
    (only topics that lagged at some point: a dozen flat lines at 0 would hide the one that matters),
    dead letters so far per reason, and recommendation latency p50/p99 in milliseconds."""
    times = [sample.at for sample in samples]
    lag = by_key((sample.lag for sample in samples), missing=None)
    return {"time": times,
            "events_per_s": rates(times, [sample.received for sample in samples]),
            "lag": {label: values for label, values in lag.items() if any(values)},
            "dead_letters": by_key((sample.dead_letters for sample in samples), missing=0.0),
            "latency_ms": {"p50": [sample.p50_ms for sample in samples],
                           "p99": [sample.p99_ms for sample in samples]}}
