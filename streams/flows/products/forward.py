"""How clicks and reviews reach product stats: re-keyed by product, with their input coordinates.

Both the profiles flow (clicks) and the reviews flow (reviews) call ``forward``; the products
flow applies the records (``stats.apply_forwarded``).
"""

from __future__ import annotations

from streams import topics
from streams.flows.intake.inputs import as_event, coordinate
from streams.flows.products.stats import forwarded
from streams.state.batch import group_by


async def forward(batch: list, kind: str) -> None:
    """Pass the (event, click or review) pairs of ``batch`` on to product stats: one record per product,
    each value with the (partition, offset) it had on its input topic."""
    for product_id, pairs in group_by(batch, lambda pair: pair[1].product_id).items():
        as_event(pairs[-1][0])
        record = forwarded(kind, [value.model_dump(mode="json") for _, value in pairs],
                           [coordinate(event) for event, _ in pairs])
        await topics.product_interactions.send(key=product_id, value=record)
