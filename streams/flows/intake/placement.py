"""Where a keyed event's state lives: its key's *home* partition, whatever partitioner the shop used.

ShopStream keeps each key's state (a user's profile, a product's catalog entry) in the partition
that murmur2 of the key picks, the partitioner of Java's client, of aiokafka and of ShopStream's
own producer. HTTP reads are routed by the same hash (``streams/flows/http.py``). A shop's
producer may partition otherwise (librdkafka's default is CRC32; some send at random), so an
event read from another partition than its key's home is not applied there: it is re-sent,
keyed by its key, through ``<app_id>-moved-events`` (``moved.py``) and applied from its home.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Generic, NamedTuple, TypeVar

from aiokafka.partitioner import murmur2
from faust.types import EventT

V = TypeVar("V")


class Item(NamedTuple, Generic[V]):
    """One valid event on its way to state: the Faust ``event`` whose partition table writes use, its
    validated ``value``, and ``at``: its (partition, offset) on the input topic it first came from."""

    event: EventT
    value: V
    at: tuple[int, int]


@lru_cache(maxsize=1 << 16)
def home_partition(key: str, partitions: int) -> int:
    """The partition murmur2 of ``key``'s UTF-8 bytes picks among ``partitions`` (Kafka's default)."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def split_by_home(items: list[Item], key_field: str, partitions: int) -> tuple[list[Item], dict[str, list[Item]]]:
    """``items`` read in their key's home partition, and the others grouped by key (in order)."""
    home: list[Item] = []
    away: dict[str, list[Item]] = {}
    for item in items:
        key = str(getattr(item.value, key_field))
        if item.event.message.partition == home_partition(key, partitions):
            home.append(item)
        else:
            away.setdefault(key, []).append(item)
    return home, away
