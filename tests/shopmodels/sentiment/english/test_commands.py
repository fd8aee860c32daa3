"""`shopstream train sentiment` and `eval sentiment`: a refusal and a quick table (../test_commands.py: help, junk)."""

from typer.testing import CliRunner

from shopmodels.commands import eval_cli, train_cli
from shopmodels.sentiment.english.registry import save_sentiment


def test_an_invalid_hyperparameter_is_refused_before_training(tmp_path):
    result = CliRunner().invoke(train_cli, ["sentiment", "--max-tokens", "2", "--registry", str(tmp_path)])
    assert result.exit_code == 1 and "max_tokens must be >= 3" in result.output
    assert not any(tmp_path.iterdir())


def test_eval_of_a_checkpoint_prints_every_model_on_the_same_test_split(tiny_classifier, tmp_path):
    checkpoint = save_sentiment(tmp_path, tiny_classifier, temperature=1.0, split_seed=20240501)
    result = CliRunner().invoke(eval_cli, ["sentiment", "--checkpoint", str(checkpoint), "--markdown",
                                           "--max-train", "1000"])
    assert result.exit_code == 0, result.output
    for text in ("| Majority class (always positive) |", "| TF-IDF + logistic regression", "| MiniLM fine-tuned",
                 "1,982 reviews", "282 3-star reviews", "baseline fitted on 1,000 training reviews",
                 "Out-of-domain check set", "80 reviews (45 negative, 35 positive; 12 neutral apart)",
                 "| Neutral reviews labelled neutral |"):
        assert text in result.output, text


def test_training_chooses_the_neutral_band_on_validation_and_saves_it(tmp_path):
    from shopmodels.checkpoints import load_checkpoint

    result = CliRunner().invoke(train_cli, ["sentiment", "--registry", str(tmp_path), "--max-train", "160",
                                            "--epochs", "1", "--max-tokens", "32", "--threads", "2"])
    assert result.exit_code == 0, result.output
    assert "chosen on validation (served macro-F1" in " ".join(result.output.split())  # rich wraps at 80 columns
    [checkpoint] = tmp_path.glob("sentiment/*/model.pt")
    config = load_checkpoint(checkpoint).config
    low, high = config["neutral_low"], config["neutral_high"]
    assert f"Served labels: neutral band [{low:.2f}, {high:.2f}), chosen" in " ".join(result.output.split())
    assert 0.05 <= low <= 0.5 <= high <= 0.95
