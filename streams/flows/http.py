"""What every flow's HTTP views share: a JSON answer, a 404 that says what is missing, or a 503 while
this worker's partitions are moving (its tables may not hold the owner's current values yet)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import aiohttp
from aiokafka.partitioner import murmur2
from faust.app.router import Router
from faust.types import TP
from yarl import URL
from faust.web import Response, View


class RawKeyRouter(Router):
    """Faust's HTTP router, hashing the key bytes the data was partitioned by.

    Every table is fed from topics keyed by the plain UTF-8 id (``shop.*`` and ShopStream's own
    internal topics), but Faust's router hashes the table's JSON-serialised key (``"p1"`` with the
    quotes), which lands in another partition for most keys: with two or more workers, a read was
    sent to a worker that does not own the key and answered an old value or a 404. The app uses
    this router (``Router=`` in ``streams/app.py``) for every ``app.table_route`` view.
    """

    @classmethod
    def _get_serialized_key(cls, table, key) -> bytes:
        return key.encode() if isinstance(key, str) else key

    def key_store(self, table_name: str, key) -> URL:
        """The URL of the worker that owns ``key``'s partition of the table: murmur2 of the key bytes
        over the table's partitions, as every producer of its inputs computes it. (Faust asked the
        producer, whose metadata lacks a changelog topic it has not written to yet: a TypeError.)
        A KeyError (no owner known: partitions moving) becomes a 503 in ``route_req``."""
        table = self._get_table(table_name)
        partition = (murmur2(self._get_serialized_key(table, key)) & 0x7FFFFFFF) % table.partitions
        return URL(self._assignor._tps_url[TP(self._get_table_topic(table), partition)])

    async def _route_req(self, dest_url, web, request):
        """Forward to the owner; while the owner cannot be reached (restarting, moving), a 503 to retry."""
        try:
            return await super()._route_req(dest_url, web, request)
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return web.json({"error": f"the worker that owns this key ({dest_url}) cannot be reached; retry shortly"},
                            status=503, headers={"Retry-After": "1"})


def json_or_404(web: View, value: dict | None, missing: str, render: Callable[[dict], dict] = lambda value: value
                ) -> Response:
    """``render(value)`` as JSON, or a 404 whose ``error`` says what is ``missing``; a 503 with
    ``Retry-After`` while the worker rebalances or restores its tables from the changelogs."""
    if web.app.rebalancing or web.app.in_recovery:
        return web.json({"error": "this worker's partitions are moving (rebalance or table recovery); retry shortly"},
                        status=503, headers={"Retry-After": "1"})
    if value is None:
        return web.json({"error": missing}, status=404)
    return web.json(render(value))
