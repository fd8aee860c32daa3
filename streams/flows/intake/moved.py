"""Events outside their key's home partition reach their state through ShopStream's own re-key.

    shop.clicks, shop.searches,  ─ home partition ─────────────────────────────> handler (same agent)
    shop.erasures, shop.catalog  ─ other partition ─> <app_id>-moved-events ─> apply_moved_events ─> handler
                                                      (keyed by user_id / product_id: murmur2 = home)

Each ingest agent hands its valid events to ``place``: those read in their key's home partition
(``placement.py``) come back to be applied at once; the others are sent on, one record per key
and batch, with the (partition, offset) each had on its input topic. ``apply_moved_events`` reads
them in the home partition and calls the same handler (registered with ``handles``), so a
profile or catalog entry is kept in one place whatever partitioner the shop's producer used.

Exactly once: the carried coordinates feed the same per-partition offset markers as events read
at home (``streams/state/dedupe.py``). Records of one input partition and key are re-sent in
offset order by the one worker that owns that partition, so a re-send after a crash (the input
offsets were not committed yet) is recognised by the markers, however many events it holds.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel

from streams.batch_reader import take_batches
from streams import topics
from streams.app import app, settings
from streams.flows.intake.inputs import coordinate
from streams.flows.intake.placement import Item, split_by_home
from streams.monitoring import metrics

Handler = Callable[[list[Item]], Awaitable[None]]
#: kind -> (the model its events validate as, the handler that applies them at home).
HANDLERS: dict[str, tuple[type[BaseModel], Handler]] = {}


def handles(kind: str, model: type[BaseModel]) -> Callable[[Handler], Handler]:
    """Register ``handler`` as what applies ``kind`` events (``clicks``, ``searches``...) at home."""
    def register(handler: Handler) -> Handler:
        HANDLERS[kind] = (model, handler)
        return handler
    return register


def moved_record(kind: str, items: list[Item]) -> dict[str, Any]:
    """The record that carries one key's ``items`` of ``kind`` home: their values and input coordinates."""
    return {"kind": kind, "events": [item.value.model_dump(mode="json") for item in items],
            "at": [list(item.at) for item in items]}


def unpack(event) -> list[Item]:
    """The items a moved-events record carries, each attributed to the record's (home) partition."""
    record = event.value
    model, _ = HANDLERS[record["kind"]]
    return [Item(event, model.model_validate(value), (at[0], at[1]))
            for value, at in zip(record["events"], record["at"], strict=True)]


async def place(kind: str, pairs: list[tuple], key_field: str) -> list[Item]:
    """Of the valid (event, value) ``pairs`` of ``kind``, return those read in their key's home partition,
    as items; send the others home through ``<app_id>-moved-events``."""
    items = [Item(event, value, coordinate(event)) for event, value in pairs]
    home, away = split_by_home(items, key_field, settings.partitions)
    for key, group in away.items():
        await topics.moved_events.send(key=key, value=moved_record(kind, group))
    return home


async def apply_home(kind: str, pairs: list[tuple], key_field: str) -> None:
    """``place`` the pairs, then apply those at home with ``kind``'s handler."""
    home = await place(kind, pairs, key_field)
    if home:
        await HANDLERS[kind][1](home)


@app.agent(topics.moved_events)
async def apply_moved_events(stream):
    """Apply events that the shop's producer put outside their key's home partition, from the home,
    with the handler of their kind; consecutive records of one kind are applied together, in order."""
    async for events in take_batches(stream, settings.batch_max, settings.batch_within_s):
        started = time.perf_counter()
        runs: list[tuple[str, list[Item]]] = []
        for event in events:
            kind = event.value["kind"]
            if not runs or runs[-1][0] != kind:
                runs.append((kind, []))
            runs[-1][1].extend(unpack(event))
        for kind, items in runs:
            await HANDLERS[kind][1](items)
        metrics.record_batch("moved-events", len(events), metrics.since(started))
