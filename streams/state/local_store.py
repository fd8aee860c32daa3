"""The local table store is trusted only after a clean stop; after a crash it is rebuilt from the changelogs.

A table write lands in the local RocksDB store at once and reaches its changelog topic a moment
later, from the producer's buffer. A kill -9 in between leaves the local store holding updates
(and their offset markers) that the changelog never got. The next process on that store saw
them as applied, skips their redelivered events and commits past them; when the partition is
later rebuilt from the changelog (another worker, a new machine, a deleted store), those updates
are gone. (The crash test's lost updates turned out to have another cause, the fetch order of a
partition nobody had committed, see ``streams/fetch_order.py``; this gap is closed all the same.)

So, like Kafka Streams after an unclean shutdown: a worker that stops cleanly leaves a mark in
its data directory; a worker that starts without the mark (the last one crashed, or was ended
by the shutdown timeout) deletes the local tables and restores them from the changelogs, which
hold exactly what was committed with them.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

CLEAN_MARK = "clean-stop"
log = logging.getLogger(__name__)


def prepare(data_dir: Path, tables_dir: Path) -> bool:
    """At start: delete ``tables_dir`` unless the last worker on ``data_dir`` stopped cleanly, and forget
    the mark (this run has not stopped yet). Returns whether the tables were deleted."""
    mark = data_dir / CLEAN_MARK
    clean = mark.exists()
    mark.unlink(missing_ok=True)
    if clean or not tables_dir.exists() or not any(tables_dir.iterdir()):
        return False
    log.warning("The last worker on %s did not stop cleanly: rebuilding its tables from the changelogs "
                "(its local store may hold updates the changelogs never got)", data_dir)
    shutil.rmtree(tables_dir)
    return True


def mark_clean(data_dir: Path) -> None:
    """At the end of a clean stop, once tables and producer are flushed: the local store may be reused."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / CLEAN_MARK).touch()
