"""Catalog entries (the ``products`` table), keyed by product_id.

An entry is the latest ``ProductUpserted`` as a dict, plus ``updated_by`` (the event id that
wrote it). The entry with the latest ``occurred_at`` wins, so catalog entries need no id memory:
an equal or older one, or a redelivery, changes nothing.
"""

from __future__ import annotations

from typing import Any

from schemas import ProductUpserted
from streams.state.clock import utc_iso


def upsert_product(current: dict[str, Any] | None, product: ProductUpserted) -> tuple[dict[str, Any], bool]:
    """Keep the newest catalog entry (by occurred_at; redeliveries and stale updates change nothing)."""
    incoming = {**product.model_dump(mode="json"), "occurred_at": utc_iso(product.occurred_at),
                "updated_by": product.event_id}
    if current is not None:
        if current["updated_by"] == product.event_id or current["occurred_at"] >= incoming["occurred_at"]:
            return current, False
    return incoming, True
