"""The ensemble: its weight chosen on validation, its fit never reading the test part, and what it serves."""

import numpy as np
import pytest
import torch

from shopmodels.sentiment.chinese.ensemble import WEIGHT_GRID, as_logits, choose_weight, log_odds
from shopmodels.sentiment.chinese.predictor import ChineseSentimentPredictor
from shopmodels.sentiment.chinese.registry import load_chinese_sentiment, load_ensemble

LABELS = torch.tensor([1, 1, 0, 0])
# Each side is sure where it is right and unsure where it is wrong: all four right only for 1/3 < w < 2/3.
MODEL_Z = torch.tensor([2.0, -1.0, -2.0, 1.0])
LINEAR_Z = torch.tensor([-1.0, 2.0, 1.0, -2.0])


def test_the_weight_is_the_first_grid_value_with_the_best_macro_f1():
    assert choose_weight(MODEL_Z, LINEAR_Z, LABELS) == 0.35  # the first of 0.35 ... 0.65 in WEIGHT_GRID
    assert choose_weight(MODEL_Z, LINEAR_Z, LABELS, grid=(0.0, 0.3, 0.5, 1.0)) == 0.5
    right, noise = (LABELS * 2 - 1).float() * 3, torch.tensor([1.0, -1.0, -1.0, 1.0])  # always / half right
    assert choose_weight(right, noise, LABELS) == 0.3  # 3w > 1 - w: the first w past 0.25
    assert choose_weight(noise, right, LABELS) == 0.0  # already all right
    assert WEIGHT_GRID[0] == 0.0 and WEIGHT_GRID[-1] == 1.0


def test_log_odds_and_two_class_logits_are_inverse():
    values = torch.tensor([-2.5, 0.0, 4.0])
    assert torch.equal(log_odds(as_logits(values)), values)
    assert torch.softmax(as_logits(values), dim=1)[:, 1] == pytest.approx(torch.sigmoid(values).tolist())


def test_a_fit_that_read_no_test_review_serves_what_validation_measured(ensemble_checkpoint, small_split,
                                                                          tokenizer):
    model, vocabulary, checkpoint = load_chinese_sentiment(ensemble_checkpoint)  # conftest: fitted blind to test
    ensemble = load_ensemble(checkpoint)
    assert ensemble.weight in WEIGHT_GRID and 0.05 <= ensemble.temperature <= 20
    assert 0.05 <= ensemble.linear_temperature <= 20 and ensemble.valid_macro_f1 > 0.75

    predictor = ChineseSentimentPredictor.from_loaded(model, vocabulary, checkpoint, tokenizer, device="cpu")
    valid = small_split.valid
    accuracy = float(((predictor.positive_probability(valid["text"].tolist()) >= 0.5) == valid["label"]).mean())
    assert accuracy == pytest.approx(ensemble.valid_accuracy, abs=1.5 / len(valid))  # one review may sit on 0.5


def test_the_ensemble_mixes_the_calibrated_log_odds_as_documented(ensemble_checkpoint, dataset_paths):
    predictor = ChineseSentimentPredictor.from_checkpoint(ensemble_checkpoint, device="cpu",
                                                          tokenizer_dir=dataset_paths.qwen3_tokenizer)
    ensemble, texts = predictor.ensemble, ["质量太差了，用了两天就坏了，非常失望，千万别买。",
                                           "非常好，质量很好，物流也快，很满意，值得购买！", "还行吧，一般般。"]
    model_p = predictor.model_alone().positive_probability(texts)
    model_z = np.log(model_p / (1 - model_p))  # the model's log-odds over its temperature
    mixed = ensemble.weight * model_z + (1 - ensemble.weight) * ensemble.linear.log_odds(texts) / \
        ensemble.linear_temperature
    expected = 1 / (1 + np.exp(-mixed / ensemble.temperature))
    assert predictor.positive_probability(texts) == pytest.approx(expected, abs=1e-5)
    assert predictor.temperature == ensemble.temperature and predictor.model_alone().ensemble is None
