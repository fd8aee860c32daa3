"""Review texts, sentiment labels and the one held-out split every sentiment number uses.

Labels (from the star rating, 1-5):
    1-2 stars -> "negative" (label 0)
    4-5 stars -> "positive" (label 1)
    3 stars   -> no binary label. Three-star reviews are mixed by nature
        ("love the colour, runs small"), so they are left out of binary
        training and of the headline accuracy / macro-F1. They are still
        split like the others; the validation and test ones are kept apart
        (``*_neutral`` frames), so the neutral band of the predictor (a
        review whose calibrated positive probability falls between two
        cut-offs is called "neutral") can be checked on held-out three-star
        reviews. The training part's three-star reviews are not used.

Text: ``title + ". " + review_text``; the review alone when there is no
title. Reviews without review text are dropped (a title alone is too thin).

Split: stratified by star rating (so the test part has the same mix of 1,
2, 3, 4 and 5 stars as the data), 80 / 10 / 10 train / valid / test, drawn
with a fixed seed from the published row order: the same data gives the
same split on every machine. Training reads only ``train``; ``valid`` picks
epochs, hyperparameters and the temperature; ``test`` is read once, by
``evaluate``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from shopmodels.splits import stratified_parts, stratified_sample

LABEL_NAMES: tuple[str, ...] = ("negative", "positive")  # index = class id
NEGATIVE, POSITIVE = 0, 1
NEUTRAL_NAME = "neutral"  # inference-only label, never a training class
SOURCE = "womens-clothing-reviews"  # the data, as checkpoints record it
NEUTRAL_RATING = 3
SPLIT_SEED = 20240501  # int: seeds the train/valid/test draw; stored in checkpoints
VALID_FRACTION = 0.1  # float: share of each star rating held out for validation
TEST_FRACTION = 0.1  # float: share of each star rating held out for the final test
_COLUMNS = ["text", "rating", "label"]


@dataclass(frozen=True)
class SentimentSplit:
    """The held-out split: binary parts (text, rating, label) and the three-star parts (label -1).

    Every frame has columns text (str), rating (int 1-5) and label (int: 0
    negative, 1 positive, -1 for three stars); its index is the review's row
    number in the published data, so parts can be checked for overlap.
    """

    train: pd.DataFrame  # 1-2 and 4-5 stars, for fitting
    valid: pd.DataFrame  # 1-2 and 4-5 stars, for model selection and temperature
    test: pd.DataFrame  # 1-2 and 4-5 stars, read only by evaluate
    valid_neutral: pd.DataFrame  # 3 stars, validation part
    test_neutral: pd.DataFrame  # 3 stars, test part
    seed: int  # the seed the split was drawn with

    def sizes(self) -> dict[str, int]:
        """Rows per part, e.g. ``{"train": 15854, "valid": 1982, ...}``."""
        parts = ("train", "valid", "test", "valid_neutral", "test_neutral")
        return {name: len(getattr(self, name)) for name in parts}


def label_for_rating(rating: int) -> int:
    """Return 0 (negative) for 1-2 stars, 1 (positive) for 4-5 stars and -1 for 3 stars."""
    if rating not in (1, 2, 3, 4, 5):
        raise ValueError(f"A star rating is 1 to 5, got {rating!r}.")
    if rating == NEUTRAL_RATING:
        return -1
    return POSITIVE if rating > NEUTRAL_RATING else NEGATIVE


def review_texts(reviews: pd.DataFrame) -> pd.DataFrame:
    """Return text, rating and label per review with text, keeping the input's index.

    ``reviews`` has columns title, review_text (missing when absent) and
    rating, as ``shopmodels.datasets.load_clothing_reviews`` returns them.
    """
    kept = reviews.dropna(subset=["review_text"])
    titles = kept["title"].astype("string")
    body = kept["review_text"].astype("string")
    text = (titles + ". " + body).fillna(body)
    ratings = kept["rating"].astype("int64")
    frame = pd.DataFrame({"text": text.astype(str), "rating": ratings,
                          "label": ratings.map(label_for_rating).astype("int64")}, index=kept.index)
    return frame[_COLUMNS]


def split_reviews(reviews: pd.DataFrame, *, seed: int = SPLIT_SEED, valid_fraction: float = VALID_FRACTION,
                  test_fraction: float = TEST_FRACTION) -> SentimentSplit:
    """Build texts and labels and draw the stratified train/valid/test split (see the module docstring)."""
    if not (0 < valid_fraction and 0 < test_fraction and valid_fraction + test_fraction < 1):
        raise ValueError(f"valid_fraction ({valid_fraction}) and test_fraction ({test_fraction}) must be "
                         "positive and leave something to train on.")
    frame = review_texts(reviews)
    if frame.empty:
        raise ValueError("No review has text, so there is nothing to split; check the reviews frame.")
    train, valid, test = stratified_parts(frame, "rating", valid_fraction, test_fraction, seed)
    return SentimentSplit(train=_binary(train), valid=_binary(valid), test=_binary(test),
                          valid_neutral=_neutral(valid), test_neutral=_neutral(test), seed=seed)


def sample_training(split: SentimentSplit, max_train: int | None, seed: int) -> SentimentSplit:
    """Return ``split`` with at most ``max_train`` training reviews (stratified by label; others unchanged)."""
    if max_train is None or max_train >= len(split.train):
        return split
    if max_train < 2:
        raise ValueError(f"max_train must be at least 2 (one review per class), got {max_train}.")
    train = stratified_sample(split.train, max_train, seed)
    return SentimentSplit(train, split.valid, split.test, split.valid_neutral, split.test_neutral, split.seed)


def _binary(part: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``part`` with a binary label."""
    return part[part["label"] >= 0]


def _neutral(part: pd.DataFrame) -> pd.DataFrame:
    """The three-star rows of ``part``."""
    return part[part["label"] < 0]
