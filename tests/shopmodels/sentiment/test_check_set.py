"""The out-of-domain check sets: readable, labelled as documented, and disjoint from every corpus part."""

import unicodedata

import pandas as pd
import pytest

from shopmodels.sentiment.check_set import FILES, check_split, describe_check_set, load_check_set
from shopmodels.sentiment.labels import NEGATIVE, NEUTRAL, POSITIVE

# language -> (negative, neutral, positive) reviews, as check_set.py documents them
COUNTS = {"en": (45, 12, 35), "zh": (45, 0, 35)}


@pytest.mark.parametrize("language", sorted(FILES))
def test_each_set_holds_the_documented_reviews_once(language):
    reviews = load_check_set(language)
    counts = tuple(int((reviews["label"] == label).sum()) for label in (NEGATIVE, NEUTRAL, POSITIVE))
    assert counts == COUNTS[language]
    assert reviews["text"].str.strip().str.len().min() > 5 and reviews["text"].is_unique
    assert reviews["product"].str.len().min() > 0


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="No out-of-domain check set for language 'fr'"):
        load_check_set("fr")


@pytest.mark.parametrize("language, split_name", [("en", "english_split"), ("zh", "chinese_split")])
def test_the_check_split_replaces_only_the_test_parts(language, split_name, request):
    split = request.getfixturevalue(split_name)
    checked = check_split(split, language)
    assert checked.train is split.train and checked.valid is split.valid
    assert set(checked.test["label"]) == {NEGATIVE, POSITIVE}
    neutral = COUNTS[language][1]
    assert (checked.test_neutral is None) if neutral == 0 else (len(checked.test_neutral) == neutral)
    assert f"{len(checked.test)} reviews ({COUNTS[language][0]} negative" in describe_check_set(checked)


@pytest.mark.parametrize("language, split_name", [("en", "english_split"), ("zh", "chinese_split")])
def test_no_check_review_is_in_the_corpus(language, split_name, request):
    split = request.getfixturevalue(split_name)
    parts = [split.train, split.valid, split.test, split.valid_neutral, split.test_neutral]
    corpus = {_key(text) for text in pd.concat([part for part in parts if part is not None])["text"]}
    assert not corpus & {_key(text) for text in load_check_set(language)["text"]}


def _key(text: str) -> str:
    """Letters and digits, case-folded: texts that differ only in punctuation or width share a key."""
    return "".join(char for char in unicodedata.normalize("NFKC", text).casefold() if char.isalnum())
