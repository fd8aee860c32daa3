"""One dead letter per malformed record, even when Kafka delivers the record again.

A state worker keeps, per input topic and partition, the highest offset it dead-lettered (the
``dead-letter-ledger`` table, keyed ``<topic>@<partition>``, written from that partition so its
changelog survives a crash and a move to another worker). A record at or below that offset was
dead-lettered before and is not sent again. The ledger moves only once the dead letter is
acknowledged by Kafka, so a crash between the two repeats a dead letter and never loses one.
Inference workers hold no tables: their rare refusals (requests written by ShopStream itself)
are not deduplicated.
"""

from __future__ import annotations

from typing import Any


class Ledger:
    """Where the state role's ledger table is plugged in (``streams/tables.py``); empty elsewhere."""

    def __init__(self) -> None:
        self.table: Any = None

    def use(self, table: Any) -> None:
        """Keep the dead-lettered offsets in ``table``."""
        self.table = table


ledger = Ledger()


def ledger_key(topic: str, partition: int) -> str:
    """The ledger entry of one input partition, e.g. ``shop.clicks@2``."""
    return f"{topic}@{partition}"


def already_dead_lettered(highest: int | None, offset: int) -> bool:
    """True when the record at ``offset`` is at or below the partition's highest dead-lettered offset."""
    return highest is not None and offset <= highest
