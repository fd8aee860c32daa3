"""``shopstream train sentiment`` and ``shopstream eval sentiment`` (registered in ``shopmodels/commands.py``)."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.table import Table

from shopmodels.cli_support import THREADS, console, fail, set_threads

from shopmodels.sentiment.english.config import SentimentConfig

if TYPE_CHECKING:
    from shopmodels.sentiment.english.data import SentimentSplit
    from shopmodels.sentiment.english.evaluate import SentimentReport
    from shopmodels.sentiment.english.predictor import SentimentPredictor

_SENTIMENT = SentimentConfig()  # option defaults; sentiment/config.py documents each hyperparameter


def train_sentiment_command(
    registry: Path = typer.Option(Path("models"), help="Model registry directory."),
    max_tokens: int = typer.Option(_SENTIMENT.max_tokens, help="Word pieces kept per review (title first)."),
    lr: float = typer.Option(_SENTIMENT.lr, help="Peak AdamW learning rate (linear warmup, then decay)."),
    batch_size: int = typer.Option(_SENTIMENT.batch_size, help="Reviews per optimiser step."),
    epochs: int = typer.Option(_SENTIMENT.epochs, help="Most passes over the training reviews."),
    eval_every: int = typer.Option(_SENTIMENT.eval_every,
                                   help="Steps between validation passes (0: at each epoch's end only)."),
    patience: int = typer.Option(_SENTIMENT.patience,
                                 help="Stop after this many validation passes without a better macro-F1."),
    class_weighting: bool = typer.Option(_SENTIMENT.class_weighting,
                                         help="Weight the loss by inverse class frequency."),
    seed: int = typer.Option(_SENTIMENT.seed, help="Seed for the head, dropout and shuffling."),
    max_train: Optional[int] = typer.Option(None, help="Train on at most this many reviews (stratified sample)."),
    time_budget: Optional[float] = typer.Option(
        None, "--time-budget", help="Stop training after this many minutes (checked after each step)."),
    threads: Optional[int] = THREADS,
) -> None:
    """Fine-tune MiniLM on the clothing reviews and save it as a new version in the registry.

    Trains on the training part of the held-out split (1-2 stars negative,
    4-5 positive); validation picks the weights and fits the temperature, and
    the test part stays unseen for `eval sentiment --checkpoint`.
    """
    from dataclasses import fields

    from shopmodels.sentiment.english.data import sample_training
    from shopmodels.sentiment.english.model import SentimentClassifier, load_pretrained_encoder, load_tokenizer
    from shopmodels.sentiment.english.registry import save_sentiment
    from shopmodels.sentiment.english.training import train_sentiment

    options = locals()
    try:
        config = SentimentConfig(**{f.name: options[f.name] for f in fields(SentimentConfig) if f.name in options})
        split = sample_training(_sentiment_split(), max_train, seed)
    except ValueError as exc:
        fail(str(exc))
    set_threads(threads)
    model = SentimentClassifier(config, load_pretrained_encoder())
    console.print(f"Training on {len(split.train):,} reviews, validating on {len(split.valid):,}.")
    budget = None if time_budget is None else time_budget * 60
    result = train_sentiment(model, load_tokenizer(), split, time_budget_s=budget)
    extra = {"source": "womens-clothing-reviews", "train_reviews": len(split.train), "best_step": result.best_step,
             "steps_run": result.steps, "valid_macro_f1": result.best_valid_macro_f1,
             "stopped_because": result.stopped_because}
    path = save_sentiment(registry, result.model, temperature=result.temperature, split_seed=split.seed, extra=extra)
    for record in result.history:
        console.print(f"step {record.step} (epoch {record.epoch}, {record.seconds:.0f} s): loss {record.loss:.4f}, "
                      f"valid accuracy {record.valid_accuracy:.4f}, macro-F1 {record.valid_macro_f1:.4f}")
    console.print(f"Best step {result.best_step} of {result.steps} (validation macro-F1 "
                  f"{result.best_valid_macro_f1:.4f}; temperature {result.temperature:.3f}; "
                  f"stopped: {result.stopped_because}).")
    console.print(f"Saved checkpoint to [bold]{path}[/]")


def eval_sentiment(
    checkpoint: Optional[Path] = typer.Option(
        None, exists=True, dir_okay=False,
        help="Also score this checkpoint (from `train sentiment`). Without it only the TF-IDF baseline and the "
             "majority class are scored: fine-tuning takes about half an hour on a CPU, so eval never trains."),
    markdown: bool = typer.Option(False, "--markdown", help="Print a Markdown table instead of a rich one."),
    max_train: Optional[int] = typer.Option(
        None, help="Fit the baseline on at most this many training reviews (quick checks; the test part is "
                   "unchanged)."),
    threads: Optional[int] = THREADS,
) -> None:
    """Compare the fine-tuned MiniLM with TF-IDF + logistic regression on the held-out test reviews.

    Accuracy and macro-F1 on 1-2 star (negative) and 4-5 star (positive)
    reviews no model was trained or tuned on; the baseline is fitted here on
    the same training part, its setting chosen on the validation part.
    """
    from shopmodels.sentiment.english.baseline import fit_baseline
    from shopmodels.sentiment.english.data import sample_training
    from shopmodels.sentiment.english.evaluate import describe_split, majority_scorer, neutral_share, score_test

    set_threads(threads)
    started = time.monotonic()
    predictor, split_seed = _sentiment_predictor(checkpoint) if checkpoint is not None else (None, None)
    split = _sentiment_split(split_seed)
    try:
        baseline_split = sample_training(split, max_train, seed=0)
        baseline = fit_baseline(baseline_split)
    except ValueError as exc:
        fail(str(exc))
    reports = [score_test("Majority class (always positive)", majority_scorer(split), split),
               score_test(f"TF-IDF + logistic regression ({baseline.describe()})", baseline.positive_probability,
                          split)]
    if predictor is not None:
        report = score_test(f"MiniLM fine-tuned {predictor.version}", predictor.positive_probability, split)
        labels = [p.label for p in predictor.predict(split.test_neutral["text"].tolist())]
        reports.append(replace(report, three_star_neutral=neutral_share(labels)))
    sample = "" if max_train is None else f"; baseline fitted on {len(baseline_split.train):,} training reviews"
    caption = f"{describe_split(split)}{sample}; {time.monotonic() - started:.0f} s in all."
    _print_sentiment_table(reports, caption, markdown)


def _sentiment_split(seed: Optional[int] = None) -> SentimentSplit:
    """The clothing reviews' held-out split (the default seed when None), fetching the data if needed."""
    from shopmodels.datasets.clothing import load_clothing_reviews
    from shopmodels.datasets.fetch import DatasetUnavailable, fetch_datasets
    from shopmodels.sentiment.english.data import SPLIT_SEED, split_reviews
    from streams.settings import get_settings

    try:
        reviews = load_clothing_reviews(fetch_datasets(get_settings().cache_dir))
    except DatasetUnavailable as exc:
        fail(str(exc))
    return split_reviews(reviews, seed=SPLIT_SEED if seed is None else seed)


def _sentiment_predictor(checkpoint: Path) -> tuple[SentimentPredictor, int]:
    """A predictor for ``checkpoint`` and the seed of the split it was trained on, or fail saying why."""
    from shopmodels.search.embedder import ModelPackageMissing
    from shopmodels.sentiment.english.model import load_tokenizer
    from shopmodels.sentiment.english.predictor import SentimentPredictor
    from shopmodels.sentiment.english.registry import load_sentiment

    try:
        model, loaded = load_sentiment(checkpoint)
        predictor = SentimentPredictor(model, load_tokenizer(), temperature=loaded.extra["temperature"],
                                       version=loaded.version)
    except (ValueError, ModelPackageMissing) as exc:
        fail(str(exc))
    return predictor, loaded.extra["split_seed"]


def _print_sentiment_table(reports: list[SentimentReport], caption: str, markdown: bool) -> None:
    """Print the sentiment reports as Markdown or as a rich table."""
    from shopmodels.sentiment.english.evaluate import HEADERS, markdown_table, table_rows

    if markdown:
        print(markdown_table(reports, caption))
        return
    table = Table(*HEADERS, title="Review sentiment evaluation", caption=caption)
    for row in table_rows(reports):
        table.add_row(*row)
    console.print(table)
