"""How clicks and reviews reach product stats: re-keyed by product, with their input coordinates.

Both the profiles flow (clicks) and the reviews flow (reviews) call ``forward``; the products
flow applies the records (``stats.apply_forwarded``). A micro-batch is sent as one record per
destination partition (the murmur2 home partition of each product, as a record keyed by the
product would land), not one per product: every record Faust produces and consumes costs far more
than the events in it, and a batch of 2,000 clicks touches hundreds of products but only
``SHOPSTREAM_PARTITIONS`` partitions.
"""

from __future__ import annotations

from streams import topics
from streams.app import settings
from streams.flows.intake.inputs import coordinate
from streams.flows.intake.placement import home_partition
from streams.flows.products.stats import carried, forwarded
from streams.state.batch import group_by

#: Most events one record carries: 500 clicks are about 150 kB, well under Kafka's 1 MB default record limit.
EVENTS_PER_RECORD = 500


async def forward(batch: list, kind: str) -> None:
    """Pass the (event, click or review) pairs of ``batch`` on to product stats: one record per destination
    partition (split past ``EVENTS_PER_RECORD``), each event with the (partition, offset) it had on its input
    topic, in batch order."""
    by_partition = group_by(batch, lambda pair: home_partition(pair[1].product_id, settings.partitions))
    for partition, pairs in by_partition.items():
        for start in range(0, len(pairs), EVENTS_PER_RECORD):
            chunk = pairs[start:start + EVENTS_PER_RECORD]
            record = forwarded(kind, [carried(kind, value) for _, value in chunk],
                               [coordinate(event) for event, _ in chunk])
            await topics.product_interactions.send(key=None, partition=partition, value=record)
