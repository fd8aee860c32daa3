"""The word lists behind the brand and profanity checks, and the one tokenizer both use.

**Ordinary English words** come from Webster's Second International word
list (``web2``, 235,970 words) shipped in the PyPI package ``english-words``
(MIT). web2 writes proper nouns with a capital and everything else in lower
case, so its lower-case entries are exactly its ordinary words (210,768).
It dates from 1934: ``MODERN_WORDS`` adds everyday words it lacks
(smartphone, online...), common acronyms (TV, DIY), calendar words (Monday,
Christmas) and units (GB, mAh), and ``lemma_candidates`` strips common
English inflections (dresses -> dress, featuring -> feature, crafted ->
craft) because web2 lists base forms only. Nationalities and languages stay
names ("Italian leather" claims an origin the facts must hold).

**Known brands** (``KNOWN_BRANDS``): well-known consumer, fashion, tech and
media brands that a small model likes to name-drop. Most are not ordinary
words and would be caught anyway; the list catches them also in lower case
and catches the few that are ordinary words (Apple, Amazon, Puma) when
capitalised.

**Profanity** (``PROFANITY``): English swear words and obscenities, matched
as whole words, case-insensitively, with the inflections listed. Words with
an innocent everyday meaning in product copy (cock, pussy, prick, ass) are
left out on purpose; slurs are not listed.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: A word: letters and digits starting with a letter ("S24", "iPhone", "Wi"); apostrophes and hyphens split words.
WORD = re.compile(r"[^\W\d_][^\W_]*")

MODERN_WORDS = frozenset("""
    smartphone smartwatch laptop tablet online offline app website email internet wifi bluetooth usb hd
    touchscreen earbuds headphone headset webcam ebook gadget eco sci fi wearable ergonomic upcycled activewear
    athleisure sneaker leggings jumpsuit crossbody skincare vegan multitasking streaming gameplay
    ok tv pc diy uv gps nfc lcd oled xs xl xxl eu uk
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december christmas easter halloween
    """.split()) | frozenset("""
    mm cm km kg mg ml gb mb tb kb ghz mhz hz mah wh kwh db fps rpm oz lb lbs ft
    """.split())  # units: "128 GB" is a number claim (grounded_numbers), not a brand

KNOWN_BRANDS = frozenset("""
    apple iphone ipad macbook samsung sony google android microsoft xbox amazon alexa nike adidas
    puma reebok asics gucci prada chanel dior versace zara uniqlo levi levis hollister abercrombie dell lenovo asus
    acer huawei xiaomi oppo oneplus nokia motorola canon nikon bose jbl philips panasonic intel amd nvidia
    qualcomm snapdragon playstation nintendo disney netflix lego ikea walmart ebay alibaba tesla rolex
    """.split())

PROFANITY = frozenset("""
    fuck fucks fucked fucker fuckers fucking fuckin motherfucker motherfuckers shit shits shitty shitting bullshit
    bitch bitches bitchy bastard bastards asshole assholes arsehole arseholes dick dicks dickhead dickheads cunt
    cunts twat twats wanker wankers slut sluts whore whores piss pissed pissing crap crappy damn damned goddamn
    bollocks bugger
    """.split())


#: Runs of CJK ideographs: Chinese has no spaces, so a word like "星辰X5手机" is split around them.
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def words(text: str) -> list[str]:
    """The words of ``text`` in order (see ``WORD``)."""
    return WORD.findall(text)


def latin_words(text: str) -> list[str]:
    """The words of ``text`` outside CJK runs: "星辰X5手机" -> ["X5"]."""
    return WORD.findall(CJK.sub(" ", text))


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """web2's lower-case words plus ``MODERN_WORDS``; loaded once (about 0.2 s)."""
    try:
        from english_words import get_english_words_set
    except ModuleNotFoundError as error:
        raise RuntimeError("The brand check needs the English word list of the 'english-words' package; install "
                           "the project's dependencies: pip install -c constraints.txt -e .") from error
    return frozenset(w for w in get_english_words_set(["web2"]) if w.islower()) | MODERN_WORDS


def lemma_candidates(word: str) -> set[str]:
    """``word`` in lower case and the base forms it may be an inflection of (a superset: some are not words)."""
    w = word.lower()
    found = {w}
    for suffix, replacements in (("ies", ("y",)), ("ied", ("y",)), ("es", ("", "e")), ("s", ("",)),
                                 ("ed", ("", "e")), ("ing", ("", "e")), ("ly", ("",)), ("er", ("", "e")),
                                 ("est", ("", "e"))):
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            stem = w[: -len(suffix)]
            found.update(stem + replacement for replacement in replacements)
            if len(stem) > 2 and stem[-1] == stem[-2]:  # running -> run, bigger -> big
                found.add(stem[:-1])
    return found


def is_ordinary(word: str) -> bool:
    """Whether ``word`` (any case) is an ordinary English word or an inflection of one."""
    return not lemma_candidates(word).isdisjoint(ordinary_words())


def is_known_brand(word: str) -> bool:
    """Whether ``word`` names a ``KNOWN_BRANDS`` brand: in any case, or only capitalised when it is also an
    ordinary word (so "apple" the fruit passes, "Apple" does not)."""
    lowered = word.lower()
    if lowered not in KNOWN_BRANDS:
        return False
    return word[0].isupper() or not is_ordinary(lowered)
