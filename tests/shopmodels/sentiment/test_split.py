"""The training sample both languages draw from their held-out split, on each language's real split."""

import pytest

from shopmodels.sentiment.split import sample_training


def test_sampling_training_reviews_keeps_both_classes_and_leaves_the_rest(either_split):
    split = either_split
    sampled = sample_training(split, 500, seed=0)
    assert abs(len(sampled.train) - 500) <= 1 and set(sampled.train.index) <= set(split.train.index)
    assert abs(sampled.train["label"].mean() - split.train["label"].mean()) < 0.01
    assert sampled.test is split.test and sample_training(split, None, seed=0) is split
    with pytest.raises(ValueError, match="at least 2"):
        sample_training(split, 1, seed=0)
    if split.train_neutral is not None:  # English: the 3-star training reviews are sampled at the same rate
        expected = len(split.train_neutral) * len(sampled.train) / len(split.train)
        assert abs(len(sampled.train_neutral) - expected) <= 1
        assert set(sampled.train_neutral.index) <= set(split.train_neutral.index)
