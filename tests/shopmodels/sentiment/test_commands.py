"""What the sentiment commands of both languages do alike: their eval help and refusing what is no checkpoint."""

import pytest
from typer.testing import CliRunner

from shopmodels.commands import eval_cli

LANGUAGES = ("sentiment", "sentiment-zh")  # the English and the Chinese command


@pytest.mark.parametrize("language", LANGUAGES)
def test_eval_help_names_its_options(language):
    result = CliRunner().invoke(eval_cli, [language, "--help"])
    assert result.exit_code == 0, result.output
    assert "--checkpoint" in result.output and "--markdown" in result.output


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_file_that_is_no_checkpoint_is_refused(language, tmp_path):
    junk = tmp_path / "model.pt"
    junk.write_text("not a checkpoint")
    result = CliRunner().invoke(eval_cli, [language, "--checkpoint", str(junk)])
    assert result.exit_code == 1 and "not a readable ShopStream checkpoint" in " ".join(result.output.split())
