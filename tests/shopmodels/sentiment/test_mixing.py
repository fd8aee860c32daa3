"""The log-odds mix both languages' ensembles share: the weight chosen on validation, the logits it serves."""

import pytest
import torch

from shopmodels.sentiment.mixing import (WEIGHT_GRID, LinearEnsemble, LogOddsMix, as_logits, choose_weight,
                                         fit_mix, log_odds)

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


def test_a_fitted_mix_gets_every_validation_review_right_where_only_the_mix_can():
    mix = fit_mix(as_logits(MODEL_Z), 1.0, LINEAR_Z.double(), LABELS)
    assert 0 < mix.weight < 1 and mix.valid_accuracy == mix.valid_macro_f1 == 1.0  # neither side alone is
    assert 0.05 <= mix.temperature <= 20 and 0.05 <= mix.linear_temperature <= 20
    assert LogOddsMix.from_checkpoint({**mix.to_checkpoint(), "linear": "ignored"}) == mix


def test_a_linear_ensemble_serves_the_documented_formula():
    class Linear:
        def log_odds(self, texts):
            return LINEAR_Z[:len(texts)].double().numpy()

    mix = LogOddsMix(weight=0.4, linear_temperature=2.0, temperature=0.5, valid_accuracy=1.0, valid_macro_f1=1.0)
    ensemble = LinearEnsemble(Linear(), mix)
    mixed = ensemble.logits(as_logits(MODEL_Z), 1.5, ["a", "b", "c", "d"])  # [4, 2]
    assert log_odds(mixed) == pytest.approx((0.4 * MODEL_Z / 1.5 + 0.6 * LINEAR_Z / 2.0).tolist(), abs=1e-6)
    assert (ensemble.weight, ensemble.temperature, ensemble.linear_temperature) == (0.4, 0.5, 2.0)
    assert ensemble.describe_mix("A", "B") == "w=0.40 A, 0.60 B"
