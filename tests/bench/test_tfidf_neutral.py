"""The soft-target rows of bench/tfidf_neutral.py: a 3-star review counts half as negative, half as positive."""

import numpy as np
import pandas as pd
import pytest

from bench.tfidf_neutral import soft_rows


def test_each_three_star_review_is_a_negative_and_a_positive_at_half_weight():
    binary = pd.DataFrame({"text": ["bad", "good", "great"], "label": [0, 1, 1]})
    neutral = pd.DataFrame({"text": ["ok"], "label": [-1]})
    texts, labels, weights = soft_rows(binary, neutral, None)
    assert texts == ["bad", "good", "great", "ok", "ok"]
    assert labels.tolist() == [0, 1, 1, 0, 1] and weights.tolist() == [1, 1, 1, 0.5, 0.5]
    _, _, balanced = soft_rows(binary, neutral, "balanced")  # 1 negative, 2 positives: 3/2 and 3/4
    assert balanced == pytest.approx(np.array([1.5, 0.75, 0.75, 0.75, 0.375]))
