"""``shopstream copy-catalog``: copy for a whole catalog in bulk, with a progress bar, resuming where it stopped.

Beside the streaming path (new catalog products get copy from the worker), a shop with an existing
catalog writes it all at once. The catalog is the demo's (the 2,861 products the replay sends,
built from the cached datasets) or a JSON Lines file of catalog records; the output is a JSON
Lines file of copy records (``shopmodels/copywriter/bulk.py``), and running the same command
again continues after the last product written.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from streams.settings import Settings, get_settings

console = Console()
DEFAULT_OUT = Path(".shopstream/copy/catalog-copy.jsonl")


def demo_catalog_records(settings: Settings) -> list[dict[str, Any]]:
    """The catalog records the demo's replay sends (every product its timeline names), in its order."""
    from schemas.topics import CATALOG
    from shopmodels.datasets import fetch_datasets, load_clothing_reviews, load_movielens
    from streams.tools.replay.events import build_replay

    paths = fetch_datasets(settings.cache_dir, progress=False)
    events = build_replay(load_movielens(paths), load_clothing_reviews(paths))
    return [event.value for event in itertools.takewhile(lambda event: event.topic == CATALOG, events)]


def file_records(path: Path) -> Iterator[dict[str, Any]]:
    """Catalog records from a JSON Lines file, one object a line (blank lines skipped)."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path} line {number} is not JSON: {exc}") from exc


def copy_catalog(
    out: Path = typer.Option(DEFAULT_OUT, help="JSON Lines file of copy records; products already in it are skipped."),
    catalog: Optional[Path] = typer.Option(
        None, exists=True, dir_okay=False,
        help="JSON Lines file of catalog records (ProductUpserted fields, optionally `praised`); default: the "
             "demo's catalog, built from the cached datasets."),
    writer: Optional[str] = typer.Option(None, help="'frames' or 'model' (default: SHOPSTREAM_COPY_WRITER)."),
    constrained: Optional[bool] = typer.Option(
        None, "--constrained/--free", help="With --writer model: constrained decoding (default: SHOPSTREAM_COPY_CONSTRAINED)."),
    limit: Optional[int] = typer.Option(None, min=1, help="Only the first N products of the catalog."),
    batch: int = typer.Option(64, min=1, help="Products per batch (and per flush of the output)."),
    device: str = typer.Option("auto", help="For --writer model: 'auto' (CUDA when present), 'cpu' or 'cuda'."),
) -> None:
    """Write marketing copy for a whole catalog, with a progress bar; run it again to resume.

    Every description goes through the same checks as the worker's, and only those that pass every
    one (each sentence supported by the product's facts) are marked published. Prints how many were
    written, published and skipped, and how long it took.
    """
    from shopmodels.copywriter.bulk import write_catalog
    from shopmodels.copywriter.config import GenerationSettings
    from shopmodels.copywriter.writers import load_writer

    settings = get_settings()
    try:
        records = list(file_records(catalog)) if catalog else demo_catalog_records(settings)
        records = records[:limit] if limit else records
        generation = GenerationSettings(max_new_tokens=settings.copy_max_new_tokens,
                                        temperature=settings.copy_temperature, top_p=settings.copy_top_p,
                                        seed=settings.copy_seed)
        chosen = load_writer(writer or settings.copy_writer, cache_dir=settings.cache_dir, device=device,
                             settings=generation, batch_size=min(batch, settings.copy_batch_max),
                             constrained=settings.copy_constrained if constrained is None else constrained)
    except (ValueError, OSError) as exc:
        console.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(code=1)
    started = time.monotonic()
    columns = (TextColumn("copy"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("copy", total=len(records))
        try:
            stats = write_catalog(records, chosen, out, batch_size=batch,
                                  on_batch=lambda done: progress.advance(task, done))
        except ValueError as exc:
            console.print(f"[bold red]error:[/] {exc}")
            raise typer.Exit(code=1)
        progress.update(task, completed=len(records))
    seconds = time.monotonic() - started
    console.print(f"{chosen.version}: wrote {stats.written} ({stats.published} published), skipped {stats.skipped} "
                  f"already in {out}, in {seconds:.1f} s.")
