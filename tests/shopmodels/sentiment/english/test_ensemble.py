"""The English ensemble: fitted on training and validation reviews only, stored, and served as documented."""

from dataclasses import replace

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from shopmodels.commands import eval_cli, train_cli
from shopmodels.checkpoints import load_checkpoint
from shopmodels.sentiment.english.ensemble import fit_english_ensemble
from shopmodels.sentiment.english.predictor import SentimentPredictor
from shopmodels.sentiment.english.registry import save_sentiment
from shopmodels.sentiment.classifier import encode
from shopmodels.sentiment.fine_tuning import predict_logits
from shopmodels.sentiment.mixing import WEIGHT_GRID
from shopmodels.sentiment.report import binary_scores
from shopmodels.sentiment.split import sample_training
from shopmodels.sentiment.training import fit_temperature
from shopmodels.splits import stratified_sample

TEXTS = ["Terrible quality, it fell apart after one wash.", "Love it, fits perfectly and the colour is gorgeous!",
         "It is okay."]


@pytest.fixture
def ensemble_checkpoint(tiny_classifier, tokenizer, split, tmp_path):
    """A tiny random MiniLM mixed with a TF-IDF + LR fitted on 1,000 training and 400 validation reviews."""
    small = replace(sample_training(split, 1000, seed=0), valid=stratified_sample(split.valid, 400, 0),
                    test=split.test.iloc[:0])  # the fit must not need the test part
    valid_logits = predict_logits(tiny_classifier, encode(tokenizer, small.valid["text"].tolist(), 32))
    temperature = fit_temperature(valid_logits, torch.tensor(small.valid["label"].to_numpy()))
    ensemble = fit_english_ensemble(small, valid_logits, temperature)
    linear_alone = binary_scores(small.valid["label"].to_numpy(),
                                 (ensemble.linear.log_odds(small.valid["text"].tolist()) >= 0).astype(int))[1]
    assert ensemble.weight in WEIGHT_GRID and ensemble.valid_macro_f1 >= linear_alone  # w=0 was on the grid
    return save_sentiment(tmp_path, tiny_classifier, temperature=temperature, split_seed=split.seed,
                          ensemble=ensemble)


def test_a_reloaded_ensemble_serves_the_calibrated_mix(ensemble_checkpoint):
    predictor = SentimentPredictor.from_checkpoint(ensemble_checkpoint, "cpu")
    ensemble, alone = predictor.ensemble, predictor.model_alone()
    model_p = alone.positive_probability(TEXTS)
    mixed = ensemble.weight * np.log(model_p / (1 - model_p)) + \
        (1 - ensemble.weight) * ensemble.linear.log_odds(TEXTS) / ensemble.linear_temperature
    assert predictor.positive_probability(TEXTS) == pytest.approx(1 / (1 + np.exp(-mixed / ensemble.temperature)),
                                                                  abs=1e-5)
    assert predictor.temperature == ensemble.temperature and alone.ensemble is None
    assert ensemble.describe().startswith(f"w={ensemble.weight:.2f} MiniLM, ")


def test_eval_of_an_ensemble_scores_the_deployed_mix_and_each_side_alone(ensemble_checkpoint):
    result = CliRunner().invoke(eval_cli, ["sentiment", "--checkpoint", str(ensemble_checkpoint), "--markdown",
                                           "--max-train", "1000"])
    assert result.exit_code == 0, result.output
    for start in (f"| Ensemble {ensemble_checkpoint.parent.name} (deployed: w=", "| - its MiniLM alone |",
                  "| - its TF-IDF + logistic regression alone |"):
        assert sum(line.startswith(start) for line in result.output.splitlines()) == 2, start  # both tables


def test_mix_command_saves_a_new_version_with_the_mix_and_its_band(tiny_classifier, tmp_path):
    plain = save_sentiment(tmp_path / "before", tiny_classifier, temperature=1.0, split_seed=20240501)
    result = CliRunner().invoke(train_cli, ["sentiment-mix", "--checkpoint", str(plain), "--registry",
                                            str(tmp_path / "after"), "--threads", "1"])
    assert result.exit_code == 0, result.output
    [mixed] = (tmp_path / "after").glob("sentiment/*/model.pt")
    stored = load_checkpoint(mixed)
    assert stored.extra["mixed_from"] == plain.parent.name and stored.extra["ensemble"]["weight"] in WEIGHT_GRID
    assert "Deployed ensemble, w=" in " ".join(result.output.split())
    assert f"neutral band [{stored.config['neutral_low']:.2f}" in " ".join(result.output.split()) or \
        stored.config["neutral_low"] == stored.config["neutral_high"]
