"""Redact personal data from text before it leaves ShopStream.

Review text is sent on in sentiment-alert excerpts and in prompts for generated copy, and
generated copy must hold none before it is published. This module is shared by the stream
processor (``shopmodels/pii.py`` re-exports it) and the copy guardrails
(``shopmodels/copywriter/guardrails.py``); it imports nothing but ``re`` and ``phonenumbers``.
``redact`` replaces what can be recognised reliably by its shape with a token and leaves
every other character exactly as it was (whitespace, punctuation, CJK text):

============  =========  ==============================================================
kind          token      what is caught
============  =========  ==============================================================
``email``     [email]    ``local@domain.tld`` with an ASCII local part of letters, digits
                         and ``. _ % + -``; any number of subdomains; a letter TLD of two
                         or more characters, or a punycode ``xn--`` TLD.
``iban``      [iban]     2 letters, 2 check digits and 11-30 letters or digits, in one
                         block or in groups split by single spaces, either case, whose
                         ISO 13616 mod-97 check passes.
``card``      [card]     13-19 digits that pass the Luhn check, in one block or in groups
                         split by single spaces or dashes, every group but the last of
                         3+ digits (``4111 1111 1111 1111``, ``3782 822463 10005``).
``phone``     [phone]    what ``phonenumbers.PhoneNumberMatcher`` accepts at leniency
                         VALID: international numbers written with ``+`` (any country),
                         national numbers of ``default_region``, and national numbers of
                         ``EXTRA_PHONE_REGIONS`` (GB, DE, CN) written with their trunk
                         prefix 0 (``020 7946 0958``, ``030 901820``) or mobile numbers
                         of 10+ digits (``13812345678``).
============  =========  ==============================================================

Kinds are found in that order, each on the text the previous ones left, so an IBAN is not
read as a card and a card is not half-eaten as a phone number.

NOT caught: names, street and postal addresses, postcodes, dates of birth, order and
account numbers (a long digit run that fails the Luhn check is kept on purpose), national
ID numbers, URLs and social-media handles; obfuscated emails (``jane at example dot com``),
internationalised emails (``用户@例子.中国``) and local parts with rarer RFC 5322 characters
(``! # $ & ' * / = ? ^ ` { | } ~``; a part after such a character is redacted, the part
before it is kept); national phone numbers of regions not scanned (a Spanish
``612 34 56 78`` with the default region ``US``, though numbers dialled with a leading 0
are often caught anyway as valid German or British numbers), US numbers without an area
code (``555-1234``), numbers that are not VALID in the phonenumbers metadata (fictional
ranges such as UK ``07700 900xxx``), and numbers spelled out or with unusual separators.
Cards written with other separators (dots, slashes) or with groups of one or two digits
before the last are kept, as is any PII glued to other digits or letters so that its
shape changes (``4111111111111111`` inside a longer digit run).

False positives: about one in ten random 13-19 digit numbers pass the Luhn check, so an
order number written like a card has that chance of becoming ``[card]``; a national
number of ``default_region`` can match an unrelated digit group that happens to be a
valid phone number. With ``default_region="DE"`` body measurements such as ``38-30-40``
are valid German numbers and become ``[phone]``; with the default ``US`` nothing in the
23,486 clothing reviews (titles and texts) is redacted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

#: Replacement token per kind, in the order kinds are redacted.
TOKENS = {"email": "[email]", "iban": "[iban]", "card": "[card]", "phone": "[phone]"}

#: Regions whose national phone formats are scanned besides ``default_region``: common
#: origins of ShopStream's reviews. Each region is one more pass of the phone matcher.
EXTRA_PHONE_REGIONS = ("GB", "DE", "CN")

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+(?:xn--[A-Za-z0-9-]+|[A-Za-z]{2,})")
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])",
                   re.ASCII | re.IGNORECASE)
_DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:[ -]\d+)*(?!\d)")
_DIGIT_GROUP = re.compile(r"\d+")
_TOKEN = re.compile("|".join(re.escape(token) for token in TOKENS.values()))
_ELLIPSIS = "…"


@dataclass(frozen=True)
class Redaction:
    """Redacted text and how many of each kind were replaced (only kinds found, e.g. ``{"email": 1}``)."""

    text: str
    found: dict[str, int]


def redact(text: str, *, default_region: str = "US") -> Redaction:
    """Replace emails, IBANs, payment cards and phone numbers in ``text`` with tokens.

    ``default_region`` (ISO 3166 code) decides which national phone numbers, written
    without ``+``, are recognised besides those of ``EXTRA_PHONE_REGIONS``. See the module
    docstring for exactly what is and is not caught. Idempotent: redacting the result
    changes nothing.
    """
    if not isinstance(text, str):
        raise TypeError(f"redact() takes review text as str, got {type(text).__name__}")
    region = default_region.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"default_region {default_region!r} is not a region phonenumbers knows; "
                         "pass an ISO 3166 two-letter code such as 'US' or 'GB'")
    found: dict[str, int] = {}
    for kind, find in (("email", _email_spans), ("iban", _iban_spans), ("card", _card_spans)):
        text = _replace(text, find(text), kind, found)
    text = _replace(text, _phone_spans(text, region, extra=False), "phone", found)
    for extra_region in (code for code in EXTRA_PHONE_REGIONS if code != region):
        text = _replace(text, _phone_spans(text, extra_region, extra=True), "phone", found)
    return Redaction(text=text, found=found)


def excerpt(text: str, limit: int = 200, *, default_region: str = "US") -> str:
    """Redact ``text``, then shorten it to at most ``limit`` characters, ellipsis included.

    Text that fits is returned redacted but otherwise unchanged. Longer text is cut at the
    last whitespace in the second half of the allowed length, or, where there is none
    (Chinese text, a very long word), between two characters; a redaction token is never
    cut in half. Trailing whitespace before the ``…`` is dropped. Cuts fall between code
    points, so a character built from several (an emoji sequence) may lose its tail.
    """
    if limit < 1:
        raise ValueError(f"excerpt limit must be at least 1 character, got {limit}")
    redacted = redact(text, default_region=default_region).text
    if len(redacted) <= limit:
        return redacted
    cut = _cut_outside_tokens(redacted, limit - len(_ELLIPSIS))
    if not redacted[cut].isspace():
        space = max((i for i in range(cut // 2, cut) if redacted[i].isspace()), default=None)
        cut = cut if space is None else space
    return redacted[:cut].rstrip() + _ELLIPSIS


def _email_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _EMAIL.finditer(text)]


def _iban_spans(text: str) -> list[tuple[int, int]]:
    """Valid IBANs; a candidate that swallowed following words is shortened at its spaces."""
    spans = []
    for match in _IBAN.finditer(text):
        candidate = match.group()
        ends = [len(candidate), *(i for i in range(len(candidate) - 1, 0, -1) if candidate[i] == " ")]
        end = next((end for end in ends if _iban_ok(candidate[:end])), None)
        if end is not None:
            spans.append((match.start(), match.start() + end))
    return spans


def _iban_ok(candidate: str) -> bool:
    """ISO 13616: 15-34 characters, and the number with its first four moved last is 1 mod 97."""
    compact = candidate.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    return int("".join(str(int(char, 36)) for char in compact[4:] + compact[:4])) % 97 == 1


def _card_spans(text: str) -> list[tuple[int, int]]:
    """Luhn-valid card numbers; a digit run holding several numbers yields its card part."""
    spans = []
    for run in _DIGIT_RUN.finditer(text):
        groups = [(m.start() + run.start(), m.end() + run.start()) for m in _DIGIT_GROUP.finditer(run.group())]
        spans.extend(_cards_in_groups(text, groups))
    return spans


def _cards_in_groups(text: str, groups: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Leftmost, then longest, windows of consecutive groups that read as a card number."""
    spans, first = [], 0
    while first < len(groups):
        for last in range(len(groups) - 1, first - 1, -1):
            window = groups[first:last + 1]
            digits = "".join(text[start:end] for start, end in window)
            grouped_ok = all(end - start >= 3 for start, end in window[:-1])
            if grouped_ok and 13 <= len(digits) <= 19 and _luhn_ok(digits):
                spans.append((window[0][0], window[-1][1]))
                first = last
                break
        first += 1
    return spans


def _luhn_ok(digits: str) -> bool:
    """The Luhn checksum: double every second digit from the right; the sum ends in 0."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def _phone_spans(text: str, region: str, *, extra: bool) -> list[tuple[int, int]]:
    """Valid phone numbers; for an extra region only those its people would write (``_written_at_home``)."""
    matches = PhoneNumberMatcher(text, region, leniency=Leniency.VALID)
    return [(match.start, match.end) for match in matches if not extra or _written_at_home(match, region)]


def _written_at_home(match: phonenumbers.PhoneNumberMatch, region: str) -> bool:
    """Dialled with the region's trunk prefix (``020 ...``), or a mobile number of 10+ digits.

    Without this, short digit groups such as body measurements (``38-30-40``) read as
    valid German numbers.
    """
    prefix = phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix or ""
    if prefix and phonenumbers.normalize_digits_only(match.raw_string).startswith(prefix):
        return True
    number = match.number
    return (phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
            and len(phonenumbers.national_significant_number(number)) >= 10)


def _replace(text: str, spans: list[tuple[int, int]], kind: str, found: dict[str, int]) -> str:
    """Replace non-overlapping, ordered ``spans`` with the token of ``kind``; count them in ``found``."""
    if not spans:
        return text
    found[kind] = found.get(kind, 0) + len(spans)
    pieces, previous = [], 0
    for start, end in spans:
        pieces += [text[previous:start], TOKENS[kind]]
        previous = end
    return "".join(pieces) + text[previous:]


def _cut_outside_tokens(text: str, cut: int) -> int:
    """Move ``cut`` back to the start of a redaction token it would split."""
    for token in _TOKEN.finditer(text):
        if token.start() < cut < token.end():
            return token.start()
    return cut
