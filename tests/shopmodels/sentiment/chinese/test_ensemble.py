"""The Chinese ensemble: its fit never reading the test part, and what it serves (the mix's math: ../test_mixing.py)."""

import numpy as np
import pytest

from shopmodels.sentiment.chinese.predictor import ChineseSentimentPredictor
from shopmodels.sentiment.chinese.registry import load_chinese_sentiment, load_ensemble
from shopmodels.sentiment.mixing import WEIGHT_GRID


def test_a_fit_that_read_no_test_review_serves_what_validation_measured(ensemble_checkpoint, small_split,
                                                                          weights, tokenizer):
    model, checkpoint = load_chinese_sentiment(ensemble_checkpoint, weights)  # conftest: fitted blind to test
    ensemble = load_ensemble(checkpoint)
    assert ensemble.weight in WEIGHT_GRID and 0.05 <= ensemble.temperature <= 20
    assert 0.05 <= ensemble.linear_temperature <= 20 and ensemble.valid_macro_f1 > 0.75

    predictor = ChineseSentimentPredictor.from_loaded(model, checkpoint, tokenizer, device="cpu")
    valid = small_split.valid
    accuracy = float(((predictor.positive_probability(valid["text"].tolist()) >= 0.5) == valid["label"]).mean())
    assert accuracy == pytest.approx(ensemble.valid_accuracy, abs=1.5 / len(valid))  # one review may sit on 0.5


def test_the_ensemble_mixes_the_calibrated_log_odds_as_documented(ensemble_checkpoint, dataset_paths):
    predictor = ChineseSentimentPredictor.from_checkpoint(ensemble_checkpoint, device="cpu",
                                                          e5_path=dataset_paths.e5_weights)
    ensemble, texts = predictor.ensemble, ["质量太差了，用了两天就坏了，非常失望，千万别买。",
                                           "非常好，质量很好，物流也快，很满意，值得购买！", "还行吧，一般般。"]
    model_p = predictor.model_alone().positive_probability(texts)
    model_z = np.log(model_p / (1 - model_p))  # the model's log-odds over its temperature
    mixed = ensemble.weight * model_z + (1 - ensemble.weight) * ensemble.linear.log_odds(texts) / \
        ensemble.linear_temperature
    expected = 1 / (1 + np.exp(-mixed / ensemble.temperature))
    assert predictor.positive_probability(texts) == pytest.approx(expected, abs=1e-5)
    assert predictor.temperature == ensemble.temperature and predictor.model_alone().ensemble is None
