"""What a description may say about a product: its catalog facts and the aspects reviewers praise.

``ProductFacts`` is built from anything shaped like a catalog record: a
``ProductUpserted``, the inference agent's ``CopyRequested``, or the JSON a
worker serves at ``GET /products/{id}`` (a dict with the same field names).
It imports nothing from ``schemas`` or ``streams``, so the GPU benchmark
machine, which lacks Faust, can use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Names of the languages SmolLM2 is asked to write in, by ISO 639-1 code; other codes are used as is.
#: SmolLM2-135M was trained almost only on English: copy in other languages is poor and not checked
#: as strictly (see ``guardrails.check_brands``).
LANGUAGE_NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
                  "nl": "Dutch", "pt": "Portuguese", "zh": "Chinese", "ja": "Japanese"}
MAX_PRAISED = 5  # int: most praised aspects kept (the inference agent sends at most 5)


@dataclass(frozen=True)
class ProductFacts:
    """Everything the copy may be grounded on, and nothing else."""

    product_id: str
    title: str
    category: str
    brand: str | None = None
    price: float | None = None  # in ``currency``
    currency: str | None = None  # ISO 4217, e.g. "EUR"; may be unknown even when the price is known
    attributes: tuple[tuple[str, str], ...] = ()  # (name, value) pairs, in the catalog's order
    language: str = "en"  # ISO 639-1 code of the copy to write
    praised: tuple[str, ...] = field(default=())  # aspects reviewers praise most, best first

    @classmethod
    def from_record(cls, record: Any, praised: Iterable[str] | None = None) -> ProductFacts:
        """Facts from a ``ProductUpserted``, a ``CopyRequested`` or a dict with their field names.

        ``praised`` overrides the record's own ``praised`` list (a ``CopyRequested``
        has one; a catalog entry does not). Raises ``ValueError`` naming a
        missing required field.
        """
        get = record.get if isinstance(record, Mapping) else lambda name, default=None: getattr(record, name, default)
        missing = [name for name in ("product_id", "title", "category") if not get(name)]
        if missing:
            raise ValueError(f"The product record lacks {', '.join(missing)}; copy needs at least a product id, "
                             "a title and a category.")
        chosen = get("praised", None) if praised is None else praised
        return cls(product_id=str(get("product_id")), title=str(get("title")), category=str(get("category")),
                   brand=get("brand") or None, price=get("price"), currency=get("currency") or None,
                   attributes=tuple((str(k), str(v)) for k, v in (get("attributes") or {}).items() if str(v).strip()),
                   language=get("language") or "en", praised=tuple(chosen or ())[:MAX_PRAISED])

    @property
    def price_text(self) -> str | None:
        """The price as the prompt shows it: ``129.95 EUR``, ``1299 USD``, ``15`` (no currency); None if unknown."""
        if self.price is None:
            return None
        amount = f"{self.price:.0f}" if float(self.price).is_integer() else f"{self.price:.2f}"
        return f"{amount} {self.currency}" if self.currency else amount

    @property
    def language_name(self) -> str:
        """The language to write in, in English words (``German``), or the code itself when unknown."""
        return LANGUAGE_NAMES.get(self.language.split("-")[0].lower(), self.language)

    def grounding(self) -> dict[str, str]:
        """The facts as name -> text, for a ``ProductCopyGenerated.grounding`` record and for the checks."""
        facts = {"title": self.title, "category": self.category}
        if self.brand:
            facts["brand"] = self.brand
        if self.price_text:
            facts["price"] = self.price_text
        for name, value in self.attributes:
            facts.setdefault(name, value)  # an attribute named like a core fact never overrides it
        if self.praised:
            facts["praised"] = ", ".join(self.praised)
        return facts

    def texts(self) -> list[str]:
        """Every piece of text the copy may draw on: fact values, attribute names and praised aspects."""
        pieces = [self.title, self.category, self.brand or "", self.price_text or "", *self.praised]
        pieces += [part for pair in self.attributes for part in pair]
        return [piece for piece in pieces if piece]
