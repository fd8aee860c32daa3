"""bench/peers.py runs end to end on a few real clicks: its own broker, a timed system, its table."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| (\w+) \| ([\d,]+) \| ([\d.,]+) µs \| ([\d.]+) \| ", re.M)


def run_peers(systems: str) -> dict[str, float]:
    """Run the benchmark on 10,000 clicks (commits every 0.1 s, so each group commits several times) and
    return {system: events/s} from its table."""
    done = subprocess.run([sys.executable, "-m", "bench.peers", "--events", "10000", "--systems", systems,
                           "--commit-interval", "0.1"], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {name: float(rate.replace(",", "")) for name, rate, _cpu, _to_raw in ROW.findall(done.stdout)}
    assert set(rows) == set(systems.split(",")), done.stdout
    return rows


def test_peers_times_raw_consume_and_a_noop_faust_agent():
    rates = run_peers("raw,faust")
    assert all(rate > 0 for rate in rates.values())


def test_peers_times_quix_streams():
    pytest.importorskip("quixstreams", reason="Quix Streams is a bench-only dependency: `make bench-setup` installs it")
    assert run_peers("raw,quix")["quix"] > 0
