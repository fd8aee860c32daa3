"""The copy-writing service of an inference worker: the copy writer on its own model thread, checks, records.

For each batch of ``CopyRequested`` (facts only, see ``streams/flows/copy/requests.py``), on the
service's model thread, the writer named by ``copy_writer`` drafts one description per product
(``shopmodels/copywriter/writers.py``: ``frames`` plans it from the facts with no model; ``model``
asks SmolLM2, bf16 on CUDA, fp32 on the CPU), then every draft is tidied and checked (length, PII,
numbers and brands not in the facts, copy that never names the product, profanity, and every
sentence supported by the facts). A draft that fails a check is still written, with
``published: false`` and the reasons in ``checks``, so a merchant sees it rather than it
vanishing. On shutdown a model batch being generated is abandoned after its current token (its
offsets are not committed, so it is written again after the restart).
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from functools import partial

from schemas import ProductCopyGenerated, derive_event_id
from schemas.requests import CopyRequested
from streams.inference.model_thread import ModelThreadService
from streams.settings import Settings

log = logging.getLogger("shopstream.copy")


class CopyService(ModelThreadService):
    """Batched, checked product copy for the copy agent (see the module docstring)."""

    thread_name = "shopstream-copy"

    def __init__(self, settings: Settings, **kwargs) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.writer = None  # a writers.CopyWriter once loaded
        self._stopping = threading.Event()  # set on shutdown: generation stops after its current token

    async def on_stop(self) -> None:
        """Stop the batch being generated, then release the model thread."""
        self._stopping.set()
        await super().on_stop()

    async def on_start(self) -> None:
        """Load the copy writer (for ``model``, SmolLM2 from the cache) on the model thread."""
        from shopmodels.copywriter.config import GenerationSettings
        from shopmodels.copywriter.writers import load_writer

        generation = GenerationSettings(
            max_new_tokens=self.settings.copy_max_new_tokens, temperature=self.settings.copy_temperature,
            top_p=self.settings.copy_top_p, seed=self.settings.copy_seed)
        self.writer = await self._run(partial(
            load_writer, self.settings.copy_writer, cache_dir=self.settings.cache_dir,
            device=self.settings.inference_device, settings=generation, batch_size=self.settings.copy_batch_max,
            constrained=self.settings.copy_constrained))
        log.info("Copy writer ready: %s on %s.", self.writer.version, self.writer.device)
        self.ready.set()

    async def write(self, requests: list[CopyRequested]) -> list[ProductCopyGenerated]:
        """One checked record per request, in order."""
        return await self._run(self._write_batch, requests)

    def _write_batch(self, requests: list[CopyRequested]) -> list[ProductCopyGenerated]:
        from shopmodels.copywriter.facts import ProductFacts
        from shopmodels.copywriter.writers import copy_fields

        facts = [ProductFacts.from_record(request) for request in requests]
        drafts = self.writer.write(facts, stop=self._stopping)
        now, records = datetime.now(UTC), []
        for request, fact, draft in zip(requests, facts, drafts):
            fields, review = copy_fields(fact, draft)
            records.append(ProductCopyGenerated(
                event_id=derive_event_id("copy", request.event_id), occurred_at=now, caused_by=request.event_id,
                **fields))
            if not review.published:
                log.info("Copy for %s not published: %s failed.", request.product_id, ", ".join(review.failed))
        return records
