"""What every flow's HTTP views share: a JSON answer, a 404 that says what is missing, or a 503 while
this worker's partitions are moving (its tables may not hold the owner's current values yet)."""

from __future__ import annotations

from collections.abc import Callable

from faust.app.router import Router
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
