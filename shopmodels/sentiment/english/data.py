"""The English reviews (Women's Clothing E-Commerce): texts, labels from the stars, and the held-out split.

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
        reviews. The training part's three-star reviews (``train_neutral``)
        are read only when a config asks (``train_neutral``: each is then a
        training review whose target is P(positive) = 0.5).

Text: ``title + ". " + review_text``; the review alone when there is no
title. Reviews without review text are dropped (a title alone is too thin).

Split: stratified by star rating (so the test part has the same mix of 1,
2, 3, 4 and 5 stars as the data), 80 / 10 / 10 train / valid / test, drawn
with a fixed seed from the published row order: the same data gives the
same split on every machine. Training reads only ``train``; ``valid`` picks
epochs, hyperparameters and the temperature; ``test`` is read once, by
``shopstream eval sentiment``. The split type and its training sample are shared with the
Chinese data (``shopmodels/sentiment/split.py``).
"""

from __future__ import annotations

import pandas as pd

from shopmodels.sentiment.labels import NEGATIVE, NEUTRAL, POSITIVE
from shopmodels.sentiment.split import SentimentSplit, check_fractions
from shopmodels.splits import stratified_parts

SOURCE = "womens-clothing-reviews"  # the data, as checkpoints record it
NEUTRAL_RATING = 3
SPLIT_SEED = 20240501  # int: seeds the train/valid/test draw; stored in checkpoints
VALID_FRACTION = 0.1  # float: share of each star rating held out for validation
TEST_FRACTION = 0.1  # float: share of each star rating held out for the final test
_COLUMNS = ["text", "rating", "label"]


def label_for_rating(rating: int) -> int:
    """Return 0 (negative) for 1-2 stars, 1 (positive) for 4-5 stars and -1 for 3 stars."""
    if rating not in (1, 2, 3, 4, 5):
        raise ValueError(f"A star rating is 1 to 5, got {rating!r}.")
    if rating == NEUTRAL_RATING:
        return NEUTRAL
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
    """Build texts and labels and draw the stratified train/valid/test split (see the module docstring).

    The three-star reviews of each part become ``train_neutral``, ``valid_neutral`` and
    ``test_neutral`` (label -1); every other part holds 1-2 and 4-5 star reviews only.
    """
    check_fractions(valid_fraction, test_fraction)
    frame = review_texts(reviews)
    if frame.empty:
        raise ValueError("No review has text, so there is nothing to split; check the reviews frame.")
    train, valid, test = stratified_parts(frame, "rating", valid_fraction, test_fraction, seed)
    return SentimentSplit(train=_binary(train), valid=_binary(valid), test=_binary(test), seed=seed,
                          train_neutral=_neutral(train), valid_neutral=_neutral(valid), test_neutral=_neutral(test))


def _binary(part: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``part`` with a binary label."""
    return part[part["label"] != NEUTRAL]


def _neutral(part: pd.DataFrame) -> pd.DataFrame:
    """The three-star rows of ``part``."""
    return part[part["label"] == NEUTRAL]
