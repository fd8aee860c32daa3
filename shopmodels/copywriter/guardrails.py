"""Checks run on generated copy before it may be published: pure functions of the text and the facts.

Each check returns a ``CheckResult`` shaped like ``schemas.results.CopyCheck``
(name, passed, detail of at most 300 characters); ``review_copy`` tidies the
text, runs them all and publishes only when every one passed, so a record
that fails says so instead of going live silently.

========================  ==================================================================
check                     fails when
========================  ==================================================================
``length``                the tidied copy is shorter than ``min_chars`` or, with no sentence
                          end to cut at, longer than ``max_chars``
``mentions_product``      the copy names neither the brand nor at least half of the title's
                          words (inflections count: "dress" names "Dresses 1078"), so it may
                          be about something else entirely (a small model drifts)
``no_pii``                ``shopmodels.pii.redact`` finds an email, IBAN, card or phone
                          number, or the copy holds a web address (``www.``/``http``)
``grounded_numbers``      a number in the copy is not a number of the facts (title, brand,
                          category, price, attribute names and values, praised aspects);
                          "1,299", "1299" and "1299.00" are the same number; or a currency
                          symbol contradicts the facts' currency ("$499" for a price in EUR)
``grounded_brands``       a brand-like word is neither in the facts nor an ordinary word
                          (rule below), or names a known brand the facts do not
``no_profanity``          a ``words.PROFANITY`` word appears (whole words, any case) that the
                          product's own facts do not hold (a film titled "Dick Tracy")
``supported_sentences``   a sentence holds a word, number or Chinese phrase that neither the
                          facts nor the small claim-free vocabulary hold (``support.py``):
                          an invented plot, product type or feature ("a toy", "waterproof")
========================  ==================================================================

Brand rule: a word is *brand-like* when it starts with a capital ("Samsung"),
has a capital after its first letter ("iPhone", "JBL") or mixes letters and
digits ("S24"). A brand-like word passes when it appears in the facts (any
case) or, for English copy, when it is an ordinary English word or an
inflection of one (``words.is_ordinary``), so sentence starts and title-case
headings pass, while invented names ("Jedi") and origins ("Italian") fail.
A ``words.KNOWN_BRANDS`` word fails unless the facts hold it, even when
ordinary ("Apple"). For copy in other languages, whose nouns may be
capitalised (German), only mixed-case, letter-digit and known-brand words are
judged. Not caught: invented claims in plain words ("waterproof"), numbers
spelled out ("two"), brands written in lower case that are not listed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from shopmodels.copywriter import words
from shopmodels.copywriter.facts import ProductFacts
from shopmodels.copywriter.support import support_problem
from shopmodels.pii import redact

MAX_DETAIL = 300  # int: CopyCheck.detail holds at most this many characters
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s|$)")
_WEB_ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_DOUBLE_QUOTES = "\"“”"
#: Currency symbols and the ISO 4217 codes they may stand for: "$499" does not ground a price in EUR.
CURRENCY_SYMBOLS = {"$": {"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN"}, "€": {"EUR"}, "£": {"GBP"},
                    "¥": {"JPY", "CNY"}, "₹": {"INR"}}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check, shaped like ``schemas.results.CopyCheck``."""

    name: str  # stable name, e.g. "grounded_numbers"
    passed: bool
    detail: str | None = None  # why it failed, or what was measured; at most 300 characters

    def to_dict(self) -> dict[str, str | bool | None]:
        """As a plain dict: ``CopyCheck(**result.to_dict())`` validates."""
        return asdict(self)


@dataclass(frozen=True)
class LengthLimits:
    """Bounds of a published description, in characters.

    min_chars (int): shorter copy says too little to publish.
    max_chars (int): longer copy is cut at its last sentence end within the limit.
    """

    min_chars: int = 40
    max_chars: int = 600


@dataclass(frozen=True)
class CopyReview:
    """Tidied copy, every check run on it, and whether it may be published."""

    text: str  # the description to publish (or to show a merchant when it may not be)
    checks: tuple[CheckResult, ...]
    published: bool  # True only when every check passed

    @property
    def failed(self) -> list[str]:
        """Names of the checks that failed."""
        return [check.name for check in self.checks if not check.passed]


def review_copy(raw: str, facts: ProductFacts, limits: LengthLimits = LengthLimits(), *,
                finished: bool = True) -> CopyReview:
    """Tidy the model's ``raw`` answer, run every check and decide whether it may be published.

    ``finished`` is False when generation stopped at ``max_new_tokens``: the
    unfinished last sentence is then dropped (when an earlier one ended).
    """
    text = tidy_copy(raw, limits.max_chars, finished=finished)
    checks = (check_length(text, limits), check_mentions_product(text, facts), check_no_pii(text),
              check_numbers(text, facts), check_brands(text, facts), check_profanity(text, facts),
              check_support(text, facts))
    return CopyReview(text, checks, all(check.passed for check in checks))


def tidy_copy(raw: str, max_chars: int, *, finished: bool = True) -> str:
    """Collapse whitespace, drop quotes wrapping the whole text, cut an unfinished ending and trim to length."""
    text = _unwrap_quotes(" ".join(raw.split()))
    if not finished:
        text = trim_to_sentence(text, len(text))
    if len(text) > max_chars:
        text = trim_to_sentence(text, max_chars)
    return _unwrap_quotes(text)


def trim_to_sentence(text: str, max_chars: int) -> str:
    """The longest prefix of ``text`` of at most ``max_chars`` that ends a sentence; ``text`` unchanged if none."""
    ends = [match.end() for match in _SENTENCE_END.finditer(text) if match.end() <= max_chars]
    return text[: ends[-1]] if ends else text


def _unwrap_quotes(text: str) -> str:
    """Drop a double quote opening the text when the only other one (if any) closes it."""
    count = sum(text.count(quote) for quote in _DOUBLE_QUOTES)
    if text[:1] in _DOUBLE_QUOTES and (count == 1 or count == 2 and text[-1:] in _DOUBLE_QUOTES):
        text = text[1:-1] if count == 2 else text[1:]
    elif count == 1 and text[-1:] in _DOUBLE_QUOTES:
        text = text[:-1]
    return text.strip()


def check_length(text: str, limits: LengthLimits) -> CheckResult:
    """``length``: the copy has ``min_chars`` to ``max_chars`` characters."""
    size = len(text)
    if size < limits.min_chars:
        return CheckResult("length", False, f"{size} characters, fewer than the {limits.min_chars} required")
    if size > limits.max_chars:
        return CheckResult("length", False, f"{size} characters, more than {limits.max_chars}, and no sentence end "
                                            "to cut at within the limit")
    return CheckResult("length", True, f"{size} characters")


def check_mentions_product(text: str, facts: ProductFacts) -> CheckResult:
    """``mentions_product``: the copy names the brand or at least half of the title's words."""
    written = set().union(*(words.lemma_candidates(word) for word in words.words(text)))
    title = words.words(facts.title)
    named = [word for word in title if not words.lemma_candidates(word).isdisjoint(written)]
    whole = [name.lower() for name in (facts.title, facts.brand) if name]  # also for unspaced scripts (Chinese)
    if any(name in text.lower() for name in whole) or title and 2 * len(named) >= len(title):
        return CheckResult("mentions_product", True)
    wanted = f"the title {facts.title!r}" + (f" or the brand {facts.brand!r}" if facts.brand else "")
    return CheckResult("mentions_product", False, _detail(f"does not name {wanted}"))


def check_no_pii(text: str) -> CheckResult:
    """``no_pii``: no email, IBAN, payment card, phone number or web address."""
    found = dict(redact(text).found)
    addresses = len(_WEB_ADDRESS.findall(text))
    if addresses:
        found["web address"] = addresses
    if not found:
        return CheckResult("no_pii", True)
    return CheckResult("no_pii", False, _detail("found " + ", ".join(f"{n} {kind}" for kind, n in found.items())))


def check_numbers(text: str, facts: ProductFacts) -> CheckResult:
    """``grounded_numbers``: every number in the copy is one of the facts' numbers, and any currency
    symbol is the facts' currency."""
    known = {_number_value(token) for piece in facts.texts() for token in _NUMBER.findall(piece)}
    unsupported = list(dict.fromkeys(t for t in _NUMBER.findall(text) if _number_value(t) not in known))
    problems = [f"numbers not in the facts: {', '.join(unsupported)}"] if unsupported else []
    problems += [f"currency {symbol} but the facts' currency is {facts.currency or 'unknown'}"
                 for symbol, codes in CURRENCY_SYMBOLS.items() if symbol in text and facts.currency not in codes]
    if not problems:
        return CheckResult("grounded_numbers", True)
    return CheckResult("grounded_numbers", False, _detail("; ".join(problems)))


def check_brands(text: str, facts: ProductFacts) -> CheckResult:
    """``grounded_brands``: no brand-like word that is neither in the facts nor ordinary (see the module doc)."""
    known = {word.lower() for piece in facts.texts() for word in words.words(piece) + words.latin_words(piece)}
    english = facts.language.split("-")[0].lower() == "en"
    unsupported = list(dict.fromkeys(
        word for word in words.latin_words(text)
        if word.lower() not in known and (words.is_known_brand(word) or _unexplained_name(word, english))))
    if not unsupported:
        return CheckResult("grounded_brands", True)
    return CheckResult("grounded_brands", False, _detail("names not in the facts: " + ", ".join(unsupported)))


def check_profanity(text: str, facts: ProductFacts) -> CheckResult:
    """``no_profanity``: no ``words.PROFANITY`` word, unless the product's own facts hold it."""
    blocked = words.PROFANITY - {word.lower() for piece in facts.texts() for word in words.words(piece)}
    found = list(dict.fromkeys(word for word in words.words(text) if word.lower() in blocked))
    if not found:
        return CheckResult("no_profanity", True)
    return CheckResult("no_profanity", False, _detail("blocked words: " + ", ".join(found)))


def check_support(text: str, facts: ProductFacts) -> CheckResult:
    """``supported_sentences``: every sentence says only what the facts say (``support.py``)."""
    problem = support_problem(text, facts)
    if problem is None:
        return CheckResult("supported_sentences", True)
    return CheckResult("supported_sentences", False, _detail(problem))


def _unexplained_name(word: str, english: bool) -> bool:
    """Whether a word looks like a name (see the module doc) that no dictionary explains."""
    mixed_case = any(char.isupper() for char in word[1:]) and not word.isupper() or word.isupper() and len(word) > 1
    letters_and_digits = any(char.isdigit() for char in word)
    if mixed_case or letters_and_digits:
        return not (english and not letters_and_digits and words.is_ordinary(word))
    return english and word[0].isupper() and not words.is_ordinary(word)


def _number_value(token: str) -> Decimal | str:
    """A number's value, so "1,299", "1299" and "1299.00" compare equal; odd forms ("1.2.3") stay text."""
    if _THOUSANDS.fullmatch(token):
        token = token.replace(",", "")
    elif token.count(",") == 1 and "." not in token:
        token = token.replace(",", ".")  # a decimal comma: "12,5"
    try:
        return Decimal(token).normalize()
    except InvalidOperation:
        return token


def _detail(message: str) -> str:
    """``message`` cut to ``MAX_DETAIL`` characters."""
    return message if len(message) <= MAX_DETAIL else message[: MAX_DETAIL - 1] + "…"
