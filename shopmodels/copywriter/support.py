"""The support check: every sentence of a description must say only what the product's facts say.

``check_support`` splits the copy into sentences and, in each, looks for
anything no fact holds:

* an **English word** is supported when one of its base forms
  (``words.lemma_candidates``: "dresses" -> "dress") is a word of the facts
  (title, category, brand, price, attribute names and values, the praised
  aspects and how they read, ``vocabulary.aspect_phrase``), or when it is a
  claim-free word of ``vocabulary`` (grammar, "discover", "our range");
* a **number** is supported when it is one of the facts' numbers (as in
  ``guardrails.check_numbers``: "1,299" = "1299");
* **Chinese text** is supported when nothing is left of it after removing
  every fact text and every phrase of ``vocabulary.ALLOWED_ZH``.

A sentence must also end with an end mark: copy that stops mid-sentence
says less than it seems to. A description passes only when every sentence does; the detail names each
failing sentence's unsupported words, so a refused record says why. This is a
lexical test: it cannot tell "not waterproof" from "waterproof", but it
cannot be talked into a word the facts never used ("toy", "plot", "film").
"""

from __future__ import annotations

import re

from shopmodels.copywriter import words
from shopmodels.copywriter.facts import ProductFacts
from shopmodels.copywriter.vocabulary import ALLOWED_ZH, aspect_phrase, is_allowed_english

_SENTENCE = re.compile(r"[^.!?。！？；;]+[.!?。！？；;]*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_END = re.compile(r"[.!?。！？;；][\"'”’)\]]*$")
UNFINISHED = "(unfinished)"  # what a sentence cut off before its end mark lacks
_CJK = words.CJK
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (English or Chinese end marks), stripped, empty ones dropped.

    A full stop between digits ("129.95") does not end a sentence.
    """
    guarded = re.sub(r"(?<=\d)\.(?=\d)", "\0", text)
    return [s.strip().replace("\0", ".") for s in _SENTENCE.findall(guarded) if s.strip(" \0")]


def fact_texts(facts: ProductFacts) -> list[str]:
    """Every text a sentence may draw on: the facts' own texts and how their praised aspects read."""
    language = _language(facts)
    return facts.texts() + [aspect_phrase(aspect, language) for aspect in facts.praised] \
        + [aspect_phrase(aspect, "en") for aspect in facts.praised]


def unsupported(sentence: str, facts: ProductFacts) -> list[str]:
    """The words, numbers and Chinese pieces of ``sentence`` that neither the facts nor the vocabulary hold."""
    texts = fact_texts(facts)
    known_words = {lemma for text in texts for word in words.words(text) + words.latin_words(text)
                   for lemma in words.lemma_candidates(word)}
    known_numbers = {_number_value(token) for text in texts for token in _NUMBER.findall(text)}
    rest = _without_chinese_support(sentence, texts)
    found = [piece for piece in _CJK.findall(rest)]
    for word in words.latin_words(rest):
        candidates = words.lemma_candidates(word)
        if candidates.isdisjoint(known_words) and not is_allowed_english(word.lower()):
            found.append(word)
    found += [token for token in _NUMBER.findall(sentence) if _number_value(token) not in known_numbers]
    return list(dict.fromkeys(found))


def sentence_verdicts(text: str, facts: ProductFacts) -> list[tuple[str, list[str]]]:
    """Each sentence of ``text`` with its unsupported pieces (an empty list: supported).

    A sentence without an end mark (the copy stops mid-sentence) is unsupported: "(unfinished)".
    """
    return [(sentence, unsupported(sentence, facts) + ([] if _END.search(sentence) else [UNFINISHED]))
            for sentence in split_sentences(text)]


def support_problem(text: str, facts: ProductFacts) -> str | None:
    """Why ``text`` is not fully supported by the facts (naming each failing sentence's pieces), or None."""
    verdicts = sentence_verdicts(text, facts)
    failing = [(sentence, pieces) for sentence, pieces in verdicts if pieces]
    if not verdicts:
        return "no sentence to check"
    if not failing:
        return None
    reasons = "; ".join(f"{_quote(sentence)}: {', '.join(pieces)}" for sentence, pieces in failing)
    return f"{len(failing)} of {len(verdicts)} sentences say what the facts do not: {reasons}"


def _without_chinese_support(sentence: str, texts: list[str]) -> str:
    """``sentence`` with every Chinese fact text and allowed Chinese phrase blanked out (longest first)."""
    if not _CJK.search(sentence):
        return sentence
    pieces = sorted({text for text in texts if _CJK.search(text)} | set(ALLOWED_ZH), key=len, reverse=True)
    for piece in pieces:
        sentence = sentence.replace(piece, " ")
    return sentence


def _language(facts: ProductFacts) -> str:
    return facts.language.split("-")[0].lower()


def _quote(sentence: str) -> str:
    return repr(sentence if len(sentence) <= 60 else sentence[:59] + "…")


def _number_value(token: str) -> str:
    """A number in one canonical spelling: "1,299", "1299" and "1299.00" give the same."""
    if _THOUSANDS.fullmatch(token):
        token = token.replace(",", "")
    elif token.count(",") == 1 and "." not in token:
        token = token.replace(",", ".")
    try:
        value = float(token)
    except ValueError:
        return token
    return repr(int(value)) if value.is_integer() else repr(value)
