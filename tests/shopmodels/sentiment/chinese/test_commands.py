"""`shopstream train sentiment-zh` and `eval sentiment-zh`: help, a refusal, quick tables (../test_commands.py: eval help, junk)."""

from typer.testing import CliRunner

from shopmodels.commands import eval_cli, train_cli


def test_train_and_eval_help_explain_their_options():
    train = CliRunner().invoke(train_cli, ["sentiment-zh", "--help"])
    assert train.exit_code == 0, train.output
    assert all(option in train.output for option in ("--time-budget", "--threads", "--registry", "SnowNLP"))


def test_an_invalid_hyperparameter_is_refused_before_training(tmp_path):
    result = CliRunner().invoke(train_cli, ["sentiment-zh", "--max-tokens", "2", "--registry", str(tmp_path)])
    assert result.exit_code == 1 and "max_tokens must be >= 3" in result.output
    assert not any(tmp_path.iterdir())


def test_eval_of_an_ensemble_scores_the_deployed_mix_and_each_side_alone(ensemble_checkpoint):
    result = CliRunner().invoke(eval_cli, ["sentiment-zh", "--checkpoint", str(ensemble_checkpoint), "--markdown",
                                           "--max-train", "1000", "--threads", "2"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("| ") and "Accuracy" not in line]
    starts = ("| Majority class (always negative) |", "| TF-IDF + logistic regression (char 1-3 grams, C=",
              f"| Ensemble {ensemble_checkpoint.parent.name} (deployed: w=", "| - its fine-tuned multilingual-e5-small alone |",
              "| - its TF-IDF + logistic regression alone |")
    held_out, out_of_domain = rows[:len(starts)], rows[len(starts):]  # one table each, the same rows
    for table in (held_out, out_of_domain):
        assert len(table) == len(starts) and all(row.startswith(start) for row, start in zip(table, starts)), rows
    assert "Out-of-domain check set" in result.output and "80 reviews (45 negative, 35 positive)" in result.output


def test_training_chooses_the_neutral_band_on_validation_and_saves_it(tmp_path):
    from shopmodels.checkpoints import load_checkpoint

    result = CliRunner().invoke(train_cli, [
        "sentiment-zh", "--registry", str(tmp_path), "--max-train", "64", "--epochs", "1", "--max-tokens", "16",
        "--batch-size", "16", "--eval-every", "0", "--threads", "2"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "Served labels: no neutral band, chosen on validation" in output
    assert "Deployed ensemble, w=" in output and "multilingual-e5-small" in output
    [checkpoint] = tmp_path.glob("sentiment-zh/*/model.pt")
    config = load_checkpoint(checkpoint).config
    # SnowNLP's reviews have no neutral class: every served "neutral" would be a miss, so no band is chosen.
    assert config["neutral_low"] == config["neutral_high"] == 0.5 and config["max_tokens"] == 16
