"""A bench-only Faust app whose one agent reads shop.clicks and does nothing: what Faust's own per-record
path costs, the floor under any Faust agent (bench/peers.py measures it beside the state worker).

Run as ``python -m faust -A bench.noop_faust worker -l warn`` with the same ``SHOPSTREAM_*``
variables as a worker (broker, app id, web port, data dir, commit interval, partitions).
"""

from __future__ import annotations

import faust

from schemas.topics import CLICKS
from streams.event_loop import use_event_loop
from streams.settings import get_settings

settings = get_settings()
use_event_loop(settings.event_loop)  # the same loop as the state worker's, so the two compare

app = faust.App(
    settings.app_id,
    broker=settings.broker,
    store="memory://",
    datadir=str(settings.data_dir),
    web_host=settings.web_host,
    web_port=settings.web_port,
    consumer_auto_offset_reset="earliest",
    broker_commit_interval=settings.commit_interval_s,
    topic_partitions=settings.partitions,
)
clicks = app.topic(CLICKS, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")


@app.agent(clicks)
async def ignore(stream) -> None:
    """Read every click, raw bytes, and do nothing with it."""
    async for _click in stream:
        pass
