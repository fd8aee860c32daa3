"""The copy agent (inference role): marketing copy for catalog products, in batches, off the event loop.

Requests come from ``ingest_catalog`` on ``<app_id>-copy-requests``, keyed by product. The frames
writer takes microseconds a product, the model writer seconds a batch on a CPU, so copy has its
own agent and model thread rather than sharing the recommendation and review batches: a catalog
burst queues here while recommendations keep flowing.
Offsets are committed after the batch's records were handed to the producer, so nothing is lost.
"""

from __future__ import annotations

import logging
import time

from schemas import topics as contract
from schemas.requests import CopyRequested
from shopmodels.copywriter.generator import GenerationStopped
from streams.batch_reader import take_batches
from streams import topics
from streams.monitoring import metrics
from streams.flows.intake.inputs import validated
from streams.app import app, settings
from streams.flows.copy.service import CopyService

log = logging.getLogger("shopstream.copy")
copywriter = app.service(CopyService(settings))


@app.agent(topics.copy_requests)
async def write_copy(stream):
    """For each batch of copy requests: generate, check and send one ``ProductCopyGenerated`` per product."""
    await copywriter.ready.wait()
    async for events in take_batches(stream, settings.copy_batch_max, settings.copy_batch_within_s):
        started = time.perf_counter()
        requests = [request for _, request in await validated(events, CopyRequested, "product_id")]
        try:
            written = await copywriter.write(requests) if requests else []
            metrics.record_inference("copywriter", metrics.since(started))
        except GenerationStopped:
            log.info("Shutting down mid-batch: copy for %d products is written again after the restart.",
                     len(requests))
            return
        for record in written:
            await topics.product_copy.send(key=record.product_id, value=record)
        metrics.record_result(contract.PRODUCT_COPY, len(written))
        metrics.set_model_version("copywriter", copywriter.writer.version if copywriter.writer else None)
        metrics.record_batch("copy", len(events), metrics.since(started))
