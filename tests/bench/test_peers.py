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


def run_peers(systems: str, rounds: int = 1) -> tuple[dict[str, float], str]:
    """Run the benchmark on 10,000 clicks (commits every 0.1 s, so each group commits several times) and
    return {system: events/s} from its table, and its whole output."""
    done = subprocess.run([sys.executable, "-m", "bench.peers", "--events", "10000", "--systems", systems,
                           "--commit-interval", "0.1", "--rounds", str(rounds)],
                          cwd=ROOT, capture_output=True, text=True, timeout=240 * rounds)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {name: float(rate.replace(",", "")) for name, rate, _cpu, _to_raw in ROW.findall(done.stdout)}
    assert set(rows) == set(systems.split(",")), done.stdout
    return rows, done.stdout


def test_peers_times_raw_consume_and_a_noop_faust_agent_in_rounds_with_fresh_groups():
    rates, output = run_peers("raw,faust", rounds=2)
    assert all(rate > 0 for rate in rates.values())
    faust_rounds = re.search(r"^faust: ([\d,]+), ([\d,]+) events/s$", output, re.M)
    assert faust_rounds, output  # a second round that found its group's commits at the end would not be timed
    assert rates["faust"] == pytest.approx(sum(float(r.replace(",", "")) for r in faust_rounds.groups()) / 2, rel=0.01)


def test_peers_times_quix_streams():
    pytest.importorskip("quixstreams", reason="Quix Streams is a bench-only dependency: `make bench-setup` installs it")
    assert run_peers("raw,quix")[0]["quix"] > 0
