"""Labels, texts and the held-out split, on handmade rows and on the real reviews."""

import pandas as pd
import pytest

from shopmodels.sentiment.english.data import label_for_rating, review_texts, split_reviews

PARTS = ("train", "valid", "test", "train_neutral", "valid_neutral", "test_neutral")


@pytest.mark.parametrize(("rating", "label"), [(1, 0), (2, 0), (3, -1), (4, 1), (5, 1)])
def test_stars_map_to_negative_neutral_and_positive(rating, label):
    assert label_for_rating(rating) == label


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_outside_one_to_five_is_refused(rating):
    with pytest.raises(ValueError, match="1 to 5"):
        label_for_rating(rating)


def test_text_is_title_then_review_and_reviews_without_text_are_dropped():
    reviews = pd.DataFrame({"title": ["Love it", pd.NA, "Only a title"],
                            "review_text": ["Fits well.", "Runs small.", pd.NA], "rating": [5, 2, 4]},
                           index=[10, 11, 12])
    texts = review_texts(reviews)
    assert texts["text"].tolist() == ["Love it. Fits well.", "Runs small."]
    assert texts["label"].tolist() == [1, 0] and texts.index.tolist() == [10, 11]


def test_split_is_disjoint_complete_and_keeps_three_stars_apart(split, reviews):
    indices = [set(getattr(split, part).index) for part in PARTS]
    assert len(set().union(*indices)) == sum(len(part) for part in indices)  # no review in two parts
    with_text = reviews.dropna(subset=["review_text"])
    binary = set(with_text.index[with_text["rating"] != 3])
    assert set().union(*indices[:3]) == binary  # every 1-2 and 4-5 star review with text, once
    for part in ("train", "valid", "test"):
        assert set(getattr(split, part)["label"]) == {0, 1}
    assert set(split.test_neutral["rating"]) == set(split.valid_neutral["rating"]) == {3}
    assert set(split.train_neutral["rating"]) == {3} and set(split.train_neutral["label"]) == {-1}
    assert indices[3:] == [set(split.train_neutral.index), set(split.valid_neutral.index),
                           set(split.test_neutral.index)]
    assert set().union(*indices[3:]) == set(with_text.index[with_text["rating"] == 3])


def test_split_is_stratified_by_star_rating(split, reviews):
    test = pd.concat([split.test, split.test_neutral])
    expected = review_texts(reviews)["rating"].value_counts() * 0.1
    assert (test["rating"].value_counts() - expected).abs().max() <= 1
    assert split.sizes() == {"train": 15854, "valid": 1982, "test": 1982, "train_neutral": 2259,
                             "valid_neutral": 282, "test_neutral": 282}


def test_split_is_deterministic_and_follows_its_seed(split, reviews):
    again = split_reviews(reviews)
    for part in PARTS:
        pd.testing.assert_frame_equal(getattr(split, part), getattr(again, part))
    assert not split_reviews(reviews, seed=1).test.index.equals(split.test.index)
