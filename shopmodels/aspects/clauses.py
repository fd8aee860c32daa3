"""Split a review into clauses, the unit an aspect (and later a sentiment score) is attached to.

Pure string functions, no model. A text that holds any CJK character is
split by the Chinese rules, any other text by the English ones:

* **English**: at sentence ends (``.``, ``!``, ``?`` followed by a space or
  the end, or glued to a capital as in ``small.The``), at ``;`` and line
  breaks, and before the contrast words ``but`` and ``however``. The contrast
  word itself is dropped (``"cute but too short"`` -> ``["cute", "too short"]``).
  ``but`` is kept inside ``not only ... but also``, ``anything but``,
  ``nothing but``, ``all but`` and ``everything but``, where splitting would
  turn the meaning around. A parenthetical ``"The colour, however, is off."``
  is still split (into ``"The colour"`` and ``"is off."``): telling it from
  ``"It is cute, however, it runs small"`` needs a parser.
* **Chinese**: at ``。！？；，．`` and their ASCII forms ``.!?;,`` (not
  between digits: ``5.5寸``), ``…``, line breaks, list numbers (``1.``,
  ``2、``, ``3：``, dropped), and before ``但是`` / ``不过`` (dropped like
  ``but``). ``不过`` is kept in ``只不过``, ``不过如此`` and ``再好不过了``-style
  phrases, where it is not a contrast. The enumeration comma ``、`` joins
  list items (``词、字``), so it does not split.

Clauses are stripped of surrounding spaces and of leading commas, and a
piece with no letter or CJK character (``"..."``, ``":)"``, a stray ``"2"``)
is dropped.
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_ENGLISH_BREAKS = re.compile(
    r"(?<=[.!?])\s+|(?<=[.!?][\"')])\s+"  # sentence end (maybe closing a quote) then a space
    r"|(?-i:(?<=[a-z][.!?])(?=[A-Z]))"  # sentence end glued to the next one: "small.The"
    r"|[;\n\r]+"
    r"|,?\s+however\b,?"
    r"|(?<!\banything)(?<!\bnothing)(?<!\ball)(?<!\beverything),?\s+but\b(?!\s+also\b),?",
    re.IGNORECASE,
)
_ENGLISH_LEADING_CONTRAST = re.compile(r"^(?:but|however)\b[,\s]*", re.IGNORECASE)

_CHINESE_BREAKS = re.compile(
    r"[。！？；，．!?;…\n\r]+"
    r"|(?<!\d)[.,]+|[.,]+(?!\d)"  # ASCII full stops and commas, but not inside 5.5 or 1,000
    r"|\s+\d{1,2}[.、)）:：](?!\d)"  # a list number: "外观好 2.续航长"
    r"|但是"
    r"|(?<![只再好])不过(?!如此|了)"
)

_CHINESE_LIST_NUMBER = re.compile(r"^\d{1,2}[、)）:：]")  # "3：没送鼠标" -> "没送鼠标"
_CONTENT = re.compile(r"[^\W\d_]")  # a letter or CJK character


def is_chinese(text: str) -> bool:
    """True if the text holds any CJK ideograph (and so is split, and matched, by the Chinese rules)."""
    return _CJK.search(text) is not None


def split_clauses(text: str) -> list[str]:
    """Return the clauses of one review, in order (see the module docstring for the rules)."""
    if is_chinese(text):
        pieces = [_CHINESE_LIST_NUMBER.sub("", piece.strip()) for piece in _CHINESE_BREAKS.split(text)]
    else:
        pieces = [_ENGLISH_LEADING_CONTRAST.sub("", piece.strip()) for piece in _ENGLISH_BREAKS.split(text)]
    clauses = [piece.strip().lstrip(",，").strip() for piece in pieces]
    return [clause for clause in clauses if _CONTENT.search(clause)]
