"""The worker's progress line: events/s, what was accepted, dead letters, state sizes."""

from __future__ import annotations

import logging

from streams.monitoring import metrics
from streams.app import app, counters, settings
from streams.tables import ALL

log = logging.getLogger("shopstream.report")


def format_report(rate: float, accepted: dict, duplicates: int, dead_letters: dict, sizes: dict) -> str:
    """One human-readable progress line."""
    done = ", ".join(f"{name} {count}" for name, count in sorted(accepted.items())) or "none yet"
    dead = sum(dead_letters.values())
    reasons = ", ".join(f"{kind} {count}" for kind, count in sorted(dead_letters.items()))
    state = ", ".join(f"{name}={size}" for name, size in sizes.items())
    return (f"{rate:,.0f} events/s | applied: {done} | duplicates {duplicates} | "
            f"dead letters {dead}{f' ({reasons})' if reasons else ''} | state: {state}")


@app.timer(settings.report_interval_s)
async def report_progress() -> None:
    """Log what the worker did since the last report."""
    sizes = {name: len(table) for name, table in ALL.items()}
    log.info(format_report(counters.rate_since_last_call(), dict(counters.accepted),
                           sum(counters.duplicates.values()), dict(counters.dead_letters), sizes))


metrics.register_at_scrape("shopstream_table_entries", "Keys held in each table on this worker.", ["table"],
                           lambda: {(name,): len(table) for name, table in ALL.items()})
