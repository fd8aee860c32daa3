"""The frames writer: copy planned from the facts, one sentence per kind of fact, no model at all.

``plan_copy`` decides which facts to state and in what order: what the
product is (title, brand, category), its attributes, its price, what
reviewers praise, then an invitation. Each sentence is a fixed frame whose
slots only a fact can fill, so every claim it makes is a fact; the frames'
own words are the claim-free words of ``vocabulary.py``. A product's wording
(which frame of each kind) is picked by a stable hash of its id, so the
catalog does not read as one sentence repeated, and the same product always
gets the same text.

English and Chinese (``language`` "zh") have frames of their own; any other
language gets no copy (an empty text, which the length check refuses with a
reason) rather than copy in the wrong language.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from shopmodels.copywriter.facts import ProductFacts
from shopmodels.copywriter.vocabulary import aspect_phrase

VERSION = "frames-1"  # str: the model_version of frames copy; bump it when a frame's wording changes
MAX_ATTRIBUTES = 4  # int: attributes stated at most, in the catalog's order
LANGUAGES = ("en", "zh")  # str: the languages that have frames

INTRO_EN = ("Discover {title}{by_brand} in our {category} range.",
            "Meet {title}{by_brand}, a pick from our {category} collection.",
            "{title}{by_brand} is part of our {category} range.")
PRICE_EN = ("Yours for {price}.", "Priced at {price}.")
PRAISE_EN = ("Reviewers praise its {praised}.", "Shoppers love its {praised}.")
CLOSE_EN = ("Add it to your cart today.", "Take a look today.", "")
INTRO_ZH = ("为您推荐{title}{by_brand}，属于{category}类。", "发现{title}{by_brand}：本店{category}系列精选。")
PRICE_ZH = ("售价{price}。", "仅售{price}。")
PRAISE_ZH = ("买家称赞它的{praised}。", "顾客喜欢它的{praised}。")
CLOSE_ZH = ("欢迎选购。", "")


@dataclass(frozen=True)
class FramedCopy:
    """A description written from frames, shaped like ``generator.GeneratedCopy`` for the copy service."""

    text: str
    sentences: tuple[str, ...]  # the planned sentences, in order
    variant: int  # which wording of each frame the product got (from its id)
    stopped: bool = True  # frames always finish
    model_version: str = VERSION

    def generation(self) -> dict[str, int | float | str]:
        """How it was written, for a ``ProductCopyGenerated.generation`` record."""
        return {"writer": "frames", "variant": self.variant, "sentences": len(self.sentences)}


def write_frames(products: Sequence[ProductFacts]) -> list[FramedCopy]:
    """One framed description per product, in order (pure; no model)."""
    return [_write_one(facts) for facts in products]


def plan_copy(facts: ProductFacts, variant: int) -> list[str]:
    """The sentences of ``facts``' copy, in order; empty for a language without frames."""
    language = facts.language.split("-")[0].lower()
    if language == "zh":
        return _plan(facts, variant, (INTRO_ZH, PRICE_ZH, PRAISE_ZH, CLOSE_ZH), _attributes_zh, "zh")
    if language == "en":
        return _plan(facts, variant, (INTRO_EN, PRICE_EN, PRAISE_EN, CLOSE_EN), _attributes_en, "en")
    return []


def variant_of(product_id: str) -> int:
    """A stable number for the product (CRC-32 of its id): the same id always gets the same wording."""
    return zlib.crc32(product_id.encode("utf-8"))


def _write_one(facts: ProductFacts) -> FramedCopy:
    variant = variant_of(facts.product_id)
    sentences = plan_copy(facts, variant)
    joiner = "" if facts.language.split("-")[0].lower() == "zh" else " "
    return FramedCopy(joiner.join(sentences), tuple(sentences), variant % 1000)


def _plan(facts: ProductFacts, variant: int, frames: tuple[tuple[str, ...], ...], attributes, language: str
          ) -> list[str]:
    intro, price, praise, close = frames
    brand = "" if not facts.brand else (f"，{facts.brand}出品" if language == "zh" else f" by {facts.brand}")
    sentences = [_pick(intro, variant).format(title=facts.title, by_brand=brand, category=facts.category)]
    stated = [(name, value) for name, value in facts.attributes
              if value.strip().lower() not in (facts.category.lower(), facts.title.lower())][:MAX_ATTRIBUTES]
    if stated:
        sentences.append(attributes(stated))
    if facts.price_text:
        sentences.append(_pick(price, variant >> 4).format(price=facts.price_text))
    if facts.praised:
        phrases = [aspect_phrase(aspect, language) for aspect in facts.praised]
        listed = "、".join(phrases) if language == "zh" else _and_list(phrases)
        sentences.append(_pick(praise, variant >> 8).format(praised=listed))
    closing = _pick(close, variant >> 12)
    return sentences + ([closing] if closing else [])


def _attributes_en(stated: list[tuple[str, str]]) -> str:
    """"Its genres are Action and Drama, and its year is 1995." from the attributes."""
    clauses = []
    for name, value in stated:
        listed = _and_list([part.strip() for part in value.split(",") if part.strip()])
        verb = "are" if "," in value else "is"
        clauses.append(f"its {name} {verb} {listed}")
    text = _and_list(clauses, last=", and " if len(clauses) > 1 else " and ")
    return text[0].upper() + text[1:] + "."


def _attributes_zh(stated: list[tuple[str, str]]) -> str:
    """"颜色：蓝色；屏幕：高清屏。" from the attributes."""
    return "；".join(f"{name}：{value}" for name, value in stated) + "。"


def _and_list(items: list[str], last: str = " and ") -> str:
    """"a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + last + items[-1]


def _pick(options: tuple[str, ...], number: int) -> str:
    return options[number % len(options)]
