"""Keyword matching of clauses against aspects: whole words for English, substrings for Chinese.

English keywords match case-insensitively and only as whole words or phrases:
``fit`` finds "It FIT well" but not "outfit", "fits" or "fitting room" (list
"fits" as a keyword of its own if it should count). A hyphen or run of spaces
inside a keyword matches either ("see-through" finds "see through"). A keyword that
starts or ends with a symbol (``$``) is not bounded on that side, so ``$``
finds "$50". Chinese keywords match as plain substrings, since Chinese is
written without spaces; a clause is matched by the Chinese list when it holds
a CJK character and by the English list otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from shopmodels.aspects.catalog import Aspect
from shopmodels.aspects.clauses import is_chinese


def english_pattern(keyword: str) -> str:
    """A regular expression for one English keyword: whole words, hyphen and space interchangeable."""
    words = re.split(r"[\s-]+", keyword.strip().lower())
    body = r"[\s-]+".join(re.escape(word) for word in words)
    start = r"\b" if re.match(r"\w", keyword.strip()) else ""
    end = r"\b" if re.search(r"\w$", keyword.strip()) else ""
    return start + body + end


class KeywordMatcher:
    """Find, per aspect, the first keyword a clause contains (one compiled pattern per aspect and language)."""

    def __init__(self, aspects: Sequence[Aspect]) -> None:
        self.aspects = tuple(aspects)
        self._english = [self._compile_english(aspect.keywords_en) for aspect in self.aspects]
        self._chinese = [tuple(aspect.keywords_zh) for aspect in self.aspects]

    def match(self, clause: str) -> dict[str, str]:
        """Return aspect name -> the keyword found in the clause, for every aspect with a match, in catalog order."""
        if is_chinese(clause):
            return {
                aspect.name: keyword
                for aspect, keywords in zip(self.aspects, self._chinese)
                if (keyword := next((k for k in keywords if k in clause), None)) is not None
            }
        return {
            aspect.name: found.group(0)
            for aspect, pattern in zip(self.aspects, self._english)
            if pattern is not None and (found := pattern.search(clause)) is not None
        }

    @staticmethod
    def _compile_english(keywords: Sequence[str]) -> re.Pattern[str] | None:
        """One alternation of all keywords, longest first so "battery life" wins over "battery"."""
        if not keywords:
            return None
        ordered = sorted(keywords, key=len, reverse=True)
        return re.compile("|".join(english_pattern(keyword) for keyword in ordered), re.IGNORECASE)
