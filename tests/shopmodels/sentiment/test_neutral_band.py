"""The neutral band: served labels, served scores, and the band chosen on validation."""

import numpy as np
import pytest

from shopmodels.sentiment.neutral_band import BAND_GRID, NeutralBand, choose_band, served_scores


def test_labels_follow_the_band_edges():
    band = NeutralBand(0.3, 0.7)
    assert [band.label(p) for p in (0.29, 0.3, 0.69, 0.7)] == ["negative", "neutral", "neutral", "positive"]
    assert band.class_ids(np.array([0.29, 0.3, 0.7])).tolist() == [0, -1, 1]
    assert NeutralBand(0.5, 0.5).describe() == "no neutral band"


def test_a_band_outside_zero_to_one_or_reversed_is_refused():
    with pytest.raises(ValueError, match="low <= high"):
        NeutralBand(0.8, 0.2)


def test_served_macro_f1_averages_only_the_classes_the_truth_holds():
    truth = np.array([0, 0, 1, 1])
    served = np.array([0, -1, 1, 1])  # one neutral where the corpus has none: a missed negative
    accuracy, macro_f1 = served_scores(truth, served)
    assert accuracy == 0.75 and macro_f1 == pytest.approx((2 / 3 + 1.0) / 2)


def test_without_neutral_truth_the_chosen_band_is_empty():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 500)
    positive = np.clip(truth * 0.6 + rng.normal(0.2, 0.2, 500), 0, 1)
    band, _ = choose_band(positive, truth)
    assert band.low == band.high == 0.5 and BAND_GRID[0] == band


def test_with_neutral_truth_a_band_catches_the_middle():
    positive = np.array([0.05, 0.1, 0.45, 0.5, 0.55, 0.9, 0.95])
    truth = np.array([0, 0, -1, -1, -1, 1, 1])
    band, score = choose_band(positive, truth)
    assert band.low <= 0.45 and band.high > 0.55 and score == 1.0
