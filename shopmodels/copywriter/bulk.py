"""Copy for a whole catalog into one JSON Lines file, resuming where an earlier run stopped.

Each line of the output is one product's ``ProductCopyGenerated`` fields
(``writers.copy_fields``: description, checks, published, grounding...). A run
first reads the file: every product already in it is skipped, and a last line
cut short by a kill is dropped, so running the same command again finishes
the job without writing any product twice. Lines are flushed a batch at a
time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shopmodels.copywriter.facts import ProductFacts
from shopmodels.copywriter.writers import CopyWriter, copy_fields


@dataclass
class BulkStats:
    """What a run did: products skipped (already written), written, and published among those written."""

    skipped: int = 0
    written: int = 0
    published: int = 0


def written_ids(path: Path) -> set[str]:
    """The product ids already in ``path``; a torn last line (a killed run) is cut off the file first."""
    if not path.exists():
        return set()
    data = path.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]
    if len(complete) != len(data):
        with open(path, "r+b") as handle:
            handle.truncate(len(complete))
    ids = set()
    for number, line in enumerate(complete.splitlines(), start=1):
        try:
            ids.add(json.loads(line)["product_id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path} line {number} is not a copy record ({exc}); move the file away or pass "
                             "another --out.") from exc
    return ids


def write_catalog(records: Iterable[dict[str, Any]], writer: CopyWriter, out: Path, *, batch_size: int = 64,
                  on_batch: Callable[[int], None] = lambda done: None) -> BulkStats:
    """Write copy for every catalog record not yet in ``out`` (see the module doc); ``on_batch(n)`` after each batch.

    ``records`` are catalog records (``ProductUpserted`` fields; ``praised`` optional).
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    out.parent.mkdir(parents=True, exist_ok=True)
    done = written_ids(out)
    stats = BulkStats()
    pending: list[ProductFacts] = []
    with open(out, "a", encoding="utf-8") as handle:
        for record in records:
            facts = ProductFacts.from_record(record)
            if facts.product_id in done:
                stats.skipped += 1
                continue
            done.add(facts.product_id)
            pending.append(facts)
            if len(pending) == batch_size:
                _write_batch(pending, writer, handle, stats, on_batch)
                pending = []
        if pending:
            _write_batch(pending, writer, handle, stats, on_batch)
    return stats


def _write_batch(products: Sequence[ProductFacts], writer: CopyWriter, handle, stats: BulkStats,
                 on_batch: Callable[[int], None]) -> None:
    lines = []
    for facts, draft in zip(products, writer.write(products)):
        fields, review = copy_fields(facts, draft)
        lines.append(json.dumps(fields, ensure_ascii=False) + "\n")
        stats.published += review.published
    handle.write("".join(lines))
    handle.flush()
    os.fsync(handle.fileno())
    stats.written += len(products)
    on_batch(len(products))
