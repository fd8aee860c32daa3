"""Command-line glue for ShopStream's models: ``train`` and ``eval`` sub-apps for ``shopstream``.

Mount them with ``cli.add_typer(train_cli, name="train")`` and
``cli.add_typer(eval_cli, name="eval")``, and the single command ``copy_command`` with
``cli.command("copy")(copy_command)``. Each model family keeps its commands in its own
``commands.py`` (sentiment: one for both languages); heavy imports (torch) happen inside the
commands, so ``shopstream --help`` stays fast.
"""

from __future__ import annotations

import typer

from shopmodels.aspects.commands import eval_aspects
from shopmodels.copywriter.commands import copy_command
from shopmodels.recommender import commands as recommender
from shopmodels.sentiment import commands as sentiment
from shopmodels.sentiment import eval_commands as sentiment_eval
from shopmodels.sentiment.chinese.average_command import average_chinese_command
from shopmodels.sentiment.english.mix_command import mix_sentiment_command
from shopmodels.sentiment.tfidf.commands import train_tfidf_command

train_cli = typer.Typer(help="Train ShopStream's models and save them to the model registry.",
                        no_args_is_help=True, add_completion=False)
eval_cli = typer.Typer(help="Evaluate ShopStream's models against baselines on held-out data.",
                       no_args_is_help=True, add_completion=False)


@train_cli.callback()
def _train_group() -> None:
    """Train ShopStream's models and save them to the model registry."""


@eval_cli.callback()
def _eval_group() -> None:
    """Evaluate ShopStream's models against baselines on held-out data."""


train_cli.command("recommender")(recommender.train_recommender)
eval_cli.command("recommender")(recommender.eval_recommender)
train_cli.command("sentiment")(sentiment.train_sentiment_command)
eval_cli.command("sentiment")(sentiment_eval.eval_sentiment)
train_cli.command("sentiment-zh")(sentiment.train_chinese_command)
eval_cli.command("sentiment-zh")(sentiment_eval.eval_chinese)
train_cli.command("sentiment-tfidf")(train_tfidf_command)
train_cli.command("sentiment-mix")(mix_sentiment_command)
train_cli.command("sentiment-zh-average")(average_chinese_command)
eval_cli.command("aspects")(eval_aspects)

__all__ = ["copy_command", "eval_cli", "train_cli"]
