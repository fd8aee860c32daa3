"""``shopstream train recommender`` and ``shopstream eval recommender`` (registered in ``shopmodels/commands.py``)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer
from rich.table import Table

from shopmodels.cli_support import THREADS, console, fail, set_threads

from shopmodels.recommender.config import SASRecConfig

if TYPE_CHECKING:
    from shopmodels.recommender.data import LeaveOneOutSplit
    from shopmodels.recommender.evaluate import RankingReport
    from shopmodels.recommender.vocabulary import Vocabulary

_DEFAULTS = SASRecConfig(num_items=1)  # option defaults; config.py documents each hyperparameter
_MAX_LEN = typer.Option(_DEFAULTS.max_len, help="Longest input sequence (newest items kept).")
_HIDDEN = typer.Option(_DEFAULTS.hidden, help="Embedding and hidden width.")
_BLOCKS = typer.Option(_DEFAULTS.blocks, help="Causal self-attention blocks.")
_HEADS = typer.Option(_DEFAULTS.heads, help="Attention heads; must divide --hidden.")
_DROPOUT = typer.Option(_DEFAULTS.dropout, help="Dropout rate.")
_LOSS = typer.Option(_DEFAULTS.loss, help="'softmax' (full cross-entropy) or 'gbce' (gSASRec).")
_NEGATIVES = typer.Option(_DEFAULTS.num_negatives, help="Negatives per position for --loss gbce.")
_GBCE_T = typer.Option(_DEFAULTS.gbce_t, help="gSASRec calibration t in [0, 1] for --loss gbce.")
_LR = typer.Option(_DEFAULTS.lr, help="AdamW learning rate.")
_WEIGHT_DECAY = typer.Option(_DEFAULTS.weight_decay, help="AdamW weight decay.")
_BATCH_SIZE = typer.Option(_DEFAULTS.batch_size, help="Training windows per step.")
_EPOCHS = typer.Option(_DEFAULTS.epochs, help="Most epochs to run.")
_PATIENCE = typer.Option(_DEFAULTS.patience,
                         help="Stop after this many epochs without a better validation NDCG@10.")
_SEED = typer.Option(_DEFAULTS.seed, help="Seed for initialisation, shuffling and sampling.")
_BUDGET = typer.Option(None, "--time-budget",
                       help="Stop training after this many minutes (checked after each epoch).")



def train_recommender(
    from_file: Optional[Path] = typer.Option(None, "--from-file", exists=True, dir_okay=False,
                                             help="JSONL export of shop.clicks events to train on."),
    from_topic: Optional[str] = typer.Option(
        None, "--from-topic",
        help="Kafka topic of click events to train on (e.g. shop.clicks), read from the beginning up to "
             "its current end."),
    broker: Optional[str] = typer.Option(
        None, help="Kafka bootstrap servers for --from-topic, as host:port[,host:port] "
                   "(default: from SHOPSTREAM_BROKER)."),
    movielens: bool = typer.Option(False, "--movielens", help="Train on MovieLens-100k (the default)."),
    registry: Path = typer.Option(Path("models"), help="Model registry directory."),
    max_len: int = _MAX_LEN, hidden: int = _HIDDEN, blocks: int = _BLOCKS, heads: int = _HEADS,
    dropout: float = _DROPOUT, loss: str = _LOSS, num_negatives: int = _NEGATIVES, gbce_t: float = _GBCE_T,
    lr: float = _LR, weight_decay: float = _WEIGHT_DECAY, batch_size: int = _BATCH_SIZE,
    epochs: int = _EPOCHS, patience: int = _PATIENCE,
    seed: int = _SEED, time_budget: Optional[float] = _BUDGET, threads: Optional[int] = THREADS,
) -> None:
    """Train the SASRec recommender and save it as a new version in the registry.

    The last two interactions of every user are held out (validation picks
    the epoch; the test item stays unseen, so `eval recommender --checkpoint`
    can score the model fairly on the same data).
    """
    from shopmodels.recommender.registry import save_sasrec
    from shopmodels.recommender.training import train_sasrec

    source, sequences = _training_sequences(from_file, from_topic, broker, movielens)
    set_threads(threads)
    vocabulary, split = _split(sequences)
    config = _config(len(vocabulary), locals())
    result = train_sasrec(config, split, time_budget_s=None if time_budget is None else time_budget * 60)
    extra = {"source": source, "best_epoch": result.best_epoch, "epochs_run": len(result.history),
             "valid_ndcg10": result.best_valid_ndcg, "stopped_because": result.stopped_because,
             "users": len(split.users)}
    path = save_sasrec(registry, result.model, vocabulary, extra=extra)
    console.print(f"Best epoch {result.best_epoch} of {len(result.history)} "
                  f"(validation NDCG@10 {result.best_valid_ndcg:.4f}; "
                  f"stopped: {result.stopped_because}).")
    console.print(f"Saved checkpoint to [bold]{path}[/]")


def eval_recommender(
    checkpoint: Optional[Path] = typer.Option(
        None, exists=True, dir_okay=False,
        help="Evaluate this checkpoint instead of training one. It must have been trained on MovieLens "
             "with the same split (e.g. `train recommender --movielens`), or the test items leak."),
    markdown: bool = typer.Option(False, "--markdown", help="Print a Markdown table instead of a rich one."),
    negatives_seed: int = typer.Option(0, help="Seed for the 100 sampled negatives per user."),
    max_len: int = _MAX_LEN, hidden: int = _HIDDEN, blocks: int = _BLOCKS, heads: int = _HEADS,
    dropout: float = _DROPOUT, loss: str = _LOSS, num_negatives: int = _NEGATIVES, gbce_t: float = _GBCE_T,
    lr: float = _LR, weight_decay: float = _WEIGHT_DECAY, batch_size: int = _BATCH_SIZE,
    epochs: int = _EPOCHS, patience: int = _PATIENCE,
    seed: int = _SEED, time_budget: Optional[float] = _BUDGET, threads: Optional[int] = THREADS,
) -> None:
    """Compare SASRec with popularity and item-kNN on MovieLens-100k, leave-one-out.

    HR@10 and NDCG@10 on each user's last item, ranked against all items
    (the user's input items excluded, ties against the model), and against
    100 sampled negatives for comparison with older papers.
    """
    from shopmodels.recommender.evaluate import compare_on_test, sasrec_scorer
    from shopmodels.recommender.registry import load_sasrec
    from shopmodels.recommender.training import train_sasrec

    set_threads(threads)
    started = time.monotonic()
    sequences = _movielens_sequences()
    if checkpoint is not None:
        model, vocabulary, loaded = load_sasrec(checkpoint)
        _, split = _split(sequences, vocabulary)
        label, note = f"SASRec {loaded.version}", f"checkpoint {checkpoint}"
    else:
        vocabulary, split = _split(sequences)
        config = _config(len(vocabulary), locals())
        budget = None if time_budget is None else time_budget * 60
        result = train_sasrec(config, split, time_budget_s=budget)
        model, label = result.model, "SASRec"
        note = (f"trained here: best epoch {result.best_epoch} of {len(result.history)}, validation NDCG@10 "
                f"{result.best_valid_ndcg:.4f}, stopped: {result.stopped_because}")
    reports = compare_on_test(split, len(vocabulary), {label: sasrec_scorer(model)}, seed=negatives_seed)
    caption = (f"MovieLens-100k leave-one-out test, {len(split.users)} users, {len(vocabulary)} items; "
               f"{note}; {time.monotonic() - started:.0f} s in all.")
    if markdown:
        print(_markdown_table(reports, caption))
    else:
        console.print(_rich_table(reports, caption))


_HEADERS = ("Model", "HR@10 (full)", "NDCG@10 (full)", "HR@10 (100 sampled)", "NDCG@10 (100 sampled)")


def _rows(reports: list[RankingReport]) -> list[tuple[str, ...]]:
    """Format each report as one table row of strings."""
    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value:.4f}"
    return [(r.name, cell(r.hr_full), cell(r.ndcg_full), cell(r.hr_sampled), cell(r.ndcg_sampled))
            for r in reports]


def _rich_table(reports: list[RankingReport], caption: str) -> Table:
    """The results as a rich table."""
    table = Table(*_HEADERS, title="Recommender evaluation", caption=caption)
    for row in _rows(reports):
        table.add_row(*row)
    return table


def _markdown_table(reports: list[RankingReport], caption: str) -> str:
    """The results as a Markdown table followed by its caption."""
    lines = ["| " + " | ".join(_HEADERS) + " |", "|" + "---|" * len(_HEADERS)]
    lines += ["| " + " | ".join(row) + " |" for row in _rows(reports)]
    return "\n".join(lines) + f"\n\n{caption}"


def _config(num_items: int, options: dict[str, Any]) -> SASRecConfig:
    """Build the SASRec config from the command's options, or fail with the reason."""
    from dataclasses import fields

    values = {f.name: options[f.name] for f in fields(SASRecConfig) if f.name in options}
    try:
        return SASRecConfig(num_items=num_items, **values)
    except ValueError as exc:
        fail(str(exc))


def _training_sequences(from_file: Optional[Path], from_topic: Optional[str], broker: Optional[str],
                        movielens: bool) -> tuple[str, dict[str, list[str]]]:
    """The one source the options name (MovieLens when none) and its users' sequences."""
    chosen = [name for name, given in (("--from-file", from_file is not None),
                                       ("--from-topic", from_topic is not None), ("--movielens", movielens))
              if given]
    if len(chosen) > 1:
        fail(f"choose one source: --from-file, --from-topic or --movielens, not several "
              f"(got {' and '.join(chosen)}).")
    if from_file is not None:
        return str(from_file), _click_sequences(from_file)
    if from_topic is not None:
        return f"topic:{from_topic}", _topic_sequences(from_topic, broker)
    return "movielens-100k", _movielens_sequences()


def _movielens_sequences() -> dict[str, list[str]]:
    """MovieLens-100k users' sequences with stream ids, fetching the data if needed."""
    from shopmodels.datasets.fetch import DatasetUnavailable, fetch_datasets
    from shopmodels.datasets.movielens import load_movielens
    from shopmodels.recommender.data import movielens_sequences
    from streams.settings import get_settings

    try:
        return movielens_sequences(load_movielens(fetch_datasets(get_settings().cache_dir)))
    except DatasetUnavailable as exc:
        fail(str(exc))


def _click_sequences(path: Path) -> dict[str, list[str]]:
    """Users' sequences from a JSONL export of click events."""
    from shopmodels.recommender.data import read_click_events, sequences_from_click_events

    try:
        return sequences_from_click_events(read_click_events(path))
    except ValueError as exc:
        fail(str(exc))


def _topic_sequences(topic: str, broker: Optional[str]) -> dict[str, list[str]]:
    """Users' sequences from every click event now on ``topic``, with a progress bar while reading."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from shopmodels.recommender.data import sequences_from_click_events
    from streams.tools.click_log import read_click_events_sync
    from streams.settings import get_settings

    from streams.kafka_clients import KafkaAccessError, require_kafka_access

    bootstrap = broker or get_settings().bootstrap_servers
    try:
        require_kafka_access(get_settings(), bootstrap=bootstrap)
    except KafkaAccessError as exc:
        fail(str(exc))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console) as bar:
            task = bar.add_task(f"Reading {topic} from {bootstrap}", total=None)
            events, invalid = read_click_events_sync(
                bootstrap, topic, progress=lambda read, total: bar.update(task, completed=read, total=total))
    except (ValueError, ConnectionError, TimeoutError) as exc:
        fail(str(exc))
    console.print(f"Read {len(events):,} click events from {topic}; skipped {invalid:,} invalid message(s).")
    try:
        return sequences_from_click_events(event.model_dump(mode="json") for event in events)
    except ValueError as exc:
        fail(str(exc))


def _split(sequences: dict[str, list[str]],
           vocabulary: Vocabulary | None = None) -> tuple[Vocabulary, LeaveOneOutSplit]:
    """Encode sequences with ``vocabulary`` (built from them when None) and split leave-one-out."""
    from shopmodels.recommender.data import leave_one_out
    from shopmodels.recommender.vocabulary import Vocabulary

    if vocabulary is None:
        vocabulary = Vocabulary.build(sequences.values())
    split = leave_one_out({user: vocabulary.encode(items) for user, items in sequences.items()})
    if not split.users:
        fail("no user has three or more interactions, so nothing can be held out for validation.")
    return vocabulary, split
