"""The two copy writers behind one interface, and the record every written description becomes.

* ``frames`` (the default): ``frames.write_frames``, copy planned sentence by
  sentence from the facts; no model, microseconds a product.
* ``model``: SmolLM2-135M-Instruct (``generator.CopyGenerator``) prompted with
  the facts; with ``constrained`` its decoding may only spell words of the
  facts and the claim-free vocabulary (``constrained.py``).

Whatever wrote it, a draft is published only when ``guardrails.review_copy``
passes every check, the support check included. The worker's copy service and
``shopstream copy-catalog`` both use ``load_writer`` and ``copy_fields``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from shopmodels.copywriter.config import GenerationSettings
from shopmodels.copywriter.facts import ProductFacts
from shopmodels.copywriter.frames import VERSION as FRAMES_VERSION
from shopmodels.copywriter.frames import write_frames
from shopmodels.copywriter.guardrails import CopyReview, review_copy

WRITERS = ("frames", "model")  # the values of Settings.copy_writer
EMPTY = "(no copy was written)"  # the description of a draft with no text left after tidying


class Draft(Protocol):
    """What a writer returns per product (``frames.FramedCopy`` or ``generator.GeneratedCopy``)."""

    text: str
    stopped: bool
    model_version: str

    def generation(self) -> dict[str, int | float | str]: ...


class CopyWriter(Protocol):
    """Writes one draft per product, in order."""

    version: str
    device: str

    def write(self, products: Sequence[ProductFacts], stop: threading.Event | None = None) -> list[Draft]: ...


class FramesWriter:
    """Copy planned from the facts (``frames.py``); no model, no device."""

    version = FRAMES_VERSION
    device = "none"

    def write(self, products: Sequence[ProductFacts], stop: threading.Event | None = None) -> list[Draft]:
        """One framed draft per product."""
        return list(write_frames(products))


class ModelWriter:
    """SmolLM2 drafts, optionally constrained to the facts' words."""

    def __init__(self, generator: Any, settings: GenerationSettings, batch_size: int, constrained: bool) -> None:
        self.generator = generator
        self.settings = settings
        self.batch_size = batch_size
        self.constrained = constrained
        self.version = generator.version + ("+constrained" if constrained else "")
        self.device = str(generator.device)

    def write(self, products: Sequence[ProductFacts], stop: threading.Event | None = None) -> list[Draft]:
        """One generated draft per product (``GenerationStopped`` when ``stop`` is set mid-batch)."""
        if not self.constrained:
            return list(self.generator.generate(products, self.settings, batch_size=self.batch_size, stop=stop))
        from shopmodels.copywriter.constrained import generate_constrained

        return list(generate_constrained(self.generator, products, self.settings, stop=stop))


def load_writer(kind: str, *, cache_dir: Path, device: str = "auto", settings: GenerationSettings | None = None,
                batch_size: int = 8, constrained: bool = False) -> CopyWriter:
    """The writer named ``kind`` ("frames" or "model"; the model loads from the cache, see ``weights.py``)."""
    if kind == "frames":
        return FramesWriter()
    if kind != "model":
        raise ValueError(f"Unknown copy writer {kind!r}; choose one of {', '.join(WRITERS)}.")
    from shopmodels.copywriter.generator import CopyGenerator

    generator = CopyGenerator.from_package(cache_dir, device=device)
    return ModelWriter(generator, settings or GenerationSettings(), batch_size, constrained)


def copy_fields(facts: ProductFacts, draft: Draft) -> tuple[dict[str, Any], CopyReview]:
    """The ``ProductCopyGenerated`` fields a draft gives (all but ids and time), and its review."""
    review = review_copy(draft.text, facts, finished=draft.stopped)
    fields = {"product_id": facts.product_id, "language": facts.language, "description": review.text or EMPTY,
              "model_version": draft.model_version, "grounding": facts.grounding(),
              "generation": draft.generation(), "checks": [check.to_dict() for check in review.checks],
              "published": review.published}
    return fields, review
