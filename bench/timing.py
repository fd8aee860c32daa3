"""Timing helpers shared by the benchmarks, with no Kafka or Faust imports (they run on a GPU machine too).

* ``cpu_seconds`` / ``busy_seconds`` / ``cores_between`` / ``shares``: cores each process (and
  everything else on the machine) used over a span, from /proc, so a figure says whether it was
  measured alone;
* ``passes`` / ``median_rate`` / ``spread``: a rate as the median of several timed passes;
* ``percentile``, ``chunks``, and ``progress`` lines on stderr.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

PASSES = 3  # in-process figures are the median of this many passes (single passes vary by ~30% here)
_STARTED = time.monotonic()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def busy_seconds(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds used so far by each named process, and by the whole machine ("machine")."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    machine = sum(fields[i] for i in (0, 1, 2, 5, 6, 7)) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait
    return {"machine": machine, **{name: cpu_seconds(pid) for name, pid in pids.items()}}


def cores_between(before: dict[str, float], after: dict[str, float], elapsed: float) -> dict[str, float]:
    """Mean cores each process used between two ``busy_seconds``, and "others": everything else."""
    cores = {name: (after[name] - before[name]) / max(elapsed, 1e-9) for name in before}
    machine = cores.pop("machine")
    return {**cores, "others": max(0.0, machine - sum(cores.values()))}


def shares(cores: dict[str, float]) -> str:
    """Cores used per process, in words; other processes' share says whether the figure was measured alone."""
    return f"cores used of {os.cpu_count()}: " + ", ".join(f"{name} {used:.2f}" for name, used in cores.items())


def percentile(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted values."""
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def passes(call, count: int = PASSES) -> list[float]:
    """Wall seconds of ``count`` calls of ``call()``, fastest first."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return sorted(times)


def median_rate(items: int, times: list[float]) -> tuple[float, float, float]:
    """Items/s of the median pass, the slowest and the fastest."""
    return items / times[len(times) // 2], items / times[-1], items / times[0]


def spread(rates: tuple[float, float, float], digits: int = 0) -> str:
    """A median rate and its passes' range, in words, with ``digits`` decimals."""
    median, slowest, fastest = (f"{rate:,.{digits}f}" for rate in rates)
    return f"{median} (median of {PASSES} passes; {slowest}-{fastest})"


def chunks(items: list, size: int) -> list[list]:
    """``items`` cut into consecutive lists of at most ``size``."""
    return [items[start:start + size] for start in range(0, len(items), size)]


def progress(message: str) -> None:
    """One progress line on stderr, with the seconds since the benchmark started."""
    print(f"[{time.monotonic() - _STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)
