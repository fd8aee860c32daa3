"""The copy-writing service of an inference worker: SmolLM2 on its own model thread, guardrails, records.

For each batch of ``CopyRequested`` (facts only, see ``streams/flows/copy/requests.py``), on the service's
model thread: the prompts are built from the facts with the model's chat template, generated as
batches with left padding (``shopmodels/copywriter``: bf16 on CUDA, fp32 on the CPU, seeded per
product), then every draft is tidied and checked (length, PII, numbers and brands not in the
facts, copy that never names the product, profanity). A draft that fails a check is still
written, with ``published: false`` and the reasons in ``checks``, so a merchant sees it rather
than it vanishing. On shutdown the batch being generated is abandoned after its current token
(its offsets are not committed, so it is generated again after the restart).
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from schemas import CopyCheck, ProductCopyGenerated, derive_event_id
from schemas.requests import CopyRequested
from streams.inference.model_thread import ModelThreadService
from streams.settings import Settings

log = logging.getLogger("shopstream.copy")

EMPTY = "(the model wrote nothing)"  # the description of a draft with no text left after tidying


class CopyService(ModelThreadService):
    """Batched, checked product copy for the copy agent (see the module docstring)."""

    thread_name = "shopstream-copy"

    def __init__(self, settings: Settings, **kwargs) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.generator = None  # CopyGenerator once loaded
        self._stopping = threading.Event()  # set on shutdown: generation stops after its current token

    async def on_stop(self) -> None:
        """Stop the batch being generated, then release the model thread."""
        self._stopping.set()
        await super().on_stop()

    async def on_start(self) -> None:
        """Load SmolLM2 (converting the package's GGUF once into the cache) on the model thread."""
        from shopmodels.copywriter.config import GenerationSettings
        from shopmodels.copywriter.generator import CopyGenerator

        self.generation = GenerationSettings(
            max_new_tokens=self.settings.copy_max_new_tokens, temperature=self.settings.copy_temperature,
            top_p=self.settings.copy_top_p, seed=self.settings.copy_seed)
        self.generator = await self._run(CopyGenerator.from_package, self.settings.cache_dir,
                                         self.settings.inference_device)
        log.info("Copy writer ready: %s on %s.", self.generator.version, self.generator.device)
        self.ready.set()

    async def write(self, requests: list[CopyRequested]) -> list[ProductCopyGenerated]:
        """One checked record per request, in order."""
        return await self._run(self._write_batch, requests)

    def _write_batch(self, requests: list[CopyRequested]) -> list[ProductCopyGenerated]:
        from shopmodels.copywriter.facts import ProductFacts
        from shopmodels.copywriter.guardrails import review_copy

        facts = [ProductFacts.from_record(request) for request in requests]
        drafts = self.generator.generate(facts, self.generation, batch_size=self.settings.copy_batch_max,
                                         stop=self._stopping)
        now, records = datetime.now(UTC), []
        for request, fact, draft in zip(requests, facts, drafts):
            review = review_copy(draft.text, fact, finished=draft.stopped)
            records.append(ProductCopyGenerated(
                event_id=derive_event_id("copy", request.event_id), occurred_at=now, caused_by=request.event_id,
                product_id=request.product_id, language=request.language, description=review.text or EMPTY,
                model_version=draft.model_version, grounding=fact.grounding(), generation=draft.generation(),
                checks=[CopyCheck(**check.to_dict()) for check in review.checks], published=review.published))
            if not review.published:
                log.info("Copy for %s not published: %s failed.", request.product_id, ", ".join(review.failed))
        return records
